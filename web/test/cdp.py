"""Headless Chromium driven over the DevTools protocol on a pipe (no port, no
WebSocket library), and a static server for the page on a free 127.0.0.1 port: what
web/test/drive.py and web/bench.py use to load tg's page, type into it, read its
answer and take screenshots with real timing.  Every call has a deadline, so a frozen
page is reported as one instead of hanging the test.

Only 127.0.0.1 is reachable from the browser; any other host resolves to nothing.
"""
import base64
import contextlib
import fcntl
import functools
import http.server
import json
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


@contextlib.contextmanager
def serve(directory):
    """Serves directory on 127.0.0.1 (a free port) from a thread; yields its base URL."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=directory)
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield "http://127.0.0.1:%d/" % httpd.server_address[1]
        finally:
            httpd.shutdown()
            thread.join()


def dump_dom(url, chromium="chromium"):
    """The DOM after loading url, as `chromium --headless --dump-dom` prints it (virtual
    time lets the page's fetches and scripts finish first)."""
    with tempfile.TemporaryDirectory(prefix="tg-web-chromium.") as profile:
        return subprocess.run(
            [chromium, *FLAGS, "--user-data-dir=" + profile, "--virtual-time-budget=20000",
             "--dump-dom", url], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, timeout=60, check=True, text=True).stdout


class Frozen(Exception):
    """The browser did not answer in time."""


class Browser:
    def __init__(self, chromium="chromium"):
        self.profile = tempfile.mkdtemp(prefix="tg-web-chromium.")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        # Chromium reads commands on fd 3 and writes on fd 4.  The ends are first copied
        # above 9 (close-on-exec), so that neither dup2 overwrites the other's source.
        r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD_CLOEXEC, 10)
        w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD_CLOEXEC, 10)

        def pipes_at_3_and_4():
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            [chromium, *FLAGS, "--user-data-dir=" + self.profile, "--remote-debugging-pipe",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            close_fds=False, preexec_fn=pipes_at_3_and_4)
        for fd in (to_browser_r, from_browser_w, r, w):
            os.close(fd)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def close(self):
        try:
            self.call("Browser.close", timeout=5, session=False)
        except (Frozen, OSError, RuntimeError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_browser)
        os.close(self.from_browser)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.from_browser], [], [], left)[0]:
                raise Frozen("no answer from the browser in time")
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("the browser exited")
            self.buf += chunk
        raw, self.buf = self.buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, params=None, timeout=30, session=None):
        """Sends one command (to the page's session unless session=False); its result."""
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session is not False and self.session:
            msg["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error'].get('message')}")
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def open_page(self, width=960, height=900):
        """A fresh tab with console, network and page events on; becomes the target."""
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": target["targetId"], "flatten": True},
                                 session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(domain + ".enable")
        self.call("Network.setCacheDisabled", {"cacheDisabled": True})
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def eval(self, expression, timeout=30):
        """The value of a JS expression (promises awaited); raises on a JS exception."""
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                           "awaitPromise": True, "timeout": timeout * 1000},
                      timeout=timeout + 5)
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            raise RuntimeError(d.get("exception", {}).get("description") or d.get("text"))
        return r["result"].get("value")

    def goto(self, url, until, timeout=30):
        """Navigates and waits until the JS expression `until` is true."""
        self.call("Page.navigate", {"url": url})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.eval(until, timeout=max(1, int(deadline - time.monotonic()))):
                    return
            except RuntimeError:
                pass  # the new document is not there yet
            time.sleep(0.01)
        raise Frozen(f"{url}: not ready after {timeout} s")

    def screenshot(self):
        return base64.b64decode(self.call("Page.captureScreenshot", {"format": "png"})["data"])

    def problems(self):
        """Console errors, uncaught exceptions and failed loads seen so far."""
        out = []
        for e in self.events:
            m, p = e["method"], e.get("params", {})
            if m == "Runtime.exceptionThrown":
                out.append("exception: " + json.dumps(p["exceptionDetails"])[:300])
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "warning", "assert"):
                out.append("console: " + json.dumps(p.get("args"))[:300])
            elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
                out.append("log: " + p["entry"].get("text", "")[:300])
            elif m == "Network.loadingFailed":
                out.append("load failed: " + p.get("errorText", ""))
        return out

    def requested_urls(self):
        return [e["params"]["request"]["url"] for e in self.events
                if e["method"] == "Network.requestWillBeSent"]
