"""make web-test's checks: serves tg's page from 127.0.0.1, drives it in headless
Chromium (cdp.py) and holds every answer against the native extension on the same
model database.

usage: drive.py SITE_DIR MODEL_DB TG_SO CSV [SCREENSHOT.png]
Prints one line per check, "ok<TAB>name" or "FAIL<TAB>name: why", for web/test/run.sh.
"""
import html
import json
import os
import re
import shutil
import sys
import tempfile
import urllib.parse

import cdp
import native
import png

N_OVERVIEWS = 50
N_TITLED = 20
N_BY_URL = 3

# Texts of ours (never film text from the data): the page's sample and hostile input.
SAMPLE = ("After her band breaks up on the eve of its first tour, a young singer takes a job "
          "at a wedding band in a small seaside town, where she falls for the shy pianist who "
          "writes the songs she was always meant to sing.")
SENTENCES = ["A detective hunts a killer through the rain-soaked city at night.",
             "Two friends fall in love during a summer of music and dancing.",
             "Aliens land on a farm and a family must save the world.",
             "The soldiers fight a desperate battle behind enemy lines in the war.",
             "A lonely ghost haunts the old house where a terrible murder happened."]
LONG = " ".join(SENTENCES[i % len(SENTENCES)] for i in range(800))[:50 * 1024]
SURROGATES = "\ud800 The ghost \udfff of the old house \ud83d returns \udc00"
AT_LIMIT = (LONG + " ") * 20  # just under the page's 1 MB limit
HUGE = "word " * (2 * 1024 * 1024 // 5 + 1)

ANSWER = "document.getElementById('answer')"
READ = ("(() => { const d = %s.dataset; return {state: d.tgState, top: d.tgTop ?? null, "
        "tags: d.tgTags ?? null, status: document.getElementById('status').textContent}; })()"
        % ANSWER)
LOADED = ANSWER + ".dataset.tgState !== 'loading'"


def typed(text, title=""):
    """JS that puts a title and a text in the boxes as typing or pasting would, then
    reads the answer; the old answer is wiped first, so a page that ignored the input
    cannot pass."""
    return ("(() => { const d = %s.dataset; d.tgState = 'stale'; delete d.tgTop; "
            "delete d.tgTags; document.getElementById('title').value = %s; "
            "const box = document.getElementById('text'); box.value = %s; "
            "box.dispatchEvent(new Event('input', {bubbles: true})); return %s; })()"
            % (ANSWER, json.dumps(title), json.dumps(text), READ))


class Run:
    def __init__(self):
        self.failed = 0

    def check(self, name, ok, why=""):
        print(("ok\t" + name) if ok else ("FAIL\t%s: %s" % (name, why)), flush=True)
        self.failed += not ok


def same(run, name, got, want):
    """The page's answer equals the native (tg_predict, tg_tags)."""
    ok = got["state"] == "answer" and (got["top"], got["tags"]) == tuple(want)
    run.check("%s: %s %s" % (name, want[0], want[1]), ok,
              "page said %s %s %s (%s), native %s %s"
              % (got["state"], got["top"], got["tags"], got["status"], want[0], want[1]))


def check_dump_dom(run, url, nat):
    """What `chromium --headless --dump-dom` sees: the answer's attributes on #answer."""
    text = SENTENCES[4]
    dom = cdp.dump_dom(url + "index.html?q=" + urllib.parse.quote(text, safe=""))
    tag = re.search(r'<div id="answer"[^>]*>', dom)
    attr = lambda name: re.search(' %s="([^"]*)"' % name, tag.group(0)) if tag else None
    top, tags = attr("data-tg-top"), attr("data-tg-tags")
    got = top and tags and (html.unescape(top.group(1)), html.unescape(tags.group(1)))
    want = nat.answer(text)
    run.check("chromium --dump-dom of index.html?q=... shows %s %s" % want, got == want,
              "the dumped DOM has %s" % (got,))


def main():
    site, model_db, tg_so, csv_path = sys.argv[1:5]
    shot = sys.argv[5] if len(sys.argv) > 5 else None
    nat = native.Native(model_db, tg_so)
    texts = native.overviews(csv_path, N_OVERVIEWS)
    run = Run()
    with cdp.serve(site) as url, cdp.Browser() as b:
        check_dump_dom(run, url, nat)
        b.open_page(width=960, height=1000)
        b.goto(url + "index.html?q=" + urllib.parse.quote(SAMPLE, safe=""), LOADED)
        same(run, "opens with ?q= filled in and answers it", b.eval(READ), nat.answer(SAMPLE))

        for i, text in enumerate(texts):
            same(run, "overview %d (%d bytes), typed" % (i + 1, len(text.encode())),
                 b.eval(typed(text)), nat.answer(text))
        # With titles: the page hands the model tg_text(title, overview), as SQL does.
        differ = 0
        for i, (title, text) in enumerate(native.films(csv_path, N_TITLED)):
            want = nat.answer(text, title)
            differ += want != nat.answer(text)
            same(run, "film %d with its title, typed" % (i + 1), b.eval(typed(text, title)), want)
        run.check("the title changes the shipped model's answer for some films (%d of %d)"
                  % (differ, N_TITLED), differ > 0, "titles changed no answer: is the model reading them?")
        b.goto(url + "index.html?t=%s&q=%s" % (urllib.parse.quote("Ghost Town", safe=""),
                                               urllib.parse.quote(SAMPLE, safe="")), LOADED)
        same(run, "opens with ?t= and ?q= filled in and answers both", b.eval(READ),
             nat.answer(SAMPLE, "Ghost Town"))
        for i, text in enumerate(texts[:N_BY_URL]):
            b.goto(url + "index.html?q=" + urllib.parse.quote(text, safe=""), LOADED)
            same(run, "overview %d from the URL" % (i + 1), b.eval(READ), nat.answer(text))

        # Hostile input: an answer or a clear message, and the page still answers after.
        for name, text, expect in [
                ("50 KB of text", LONG, nat.answer(LONG)),
                ("1000 KB of text", AT_LIMIT, nat.answer(AT_LIMIT)),
                ("lone UTF-16 surrogates (read as U+FFFD)", SURROGATES,
                 nat.answer(re.sub("[\ud800-\udfff]", "\ufffd", SURROGATES))),
                ("a NUL character", "ghost\0house", nat.answer("ghost\0house")),
                ("empty text", "", "ready"),
                ("only spaces", "  \n\t ", "ready"),
                ("no word the model knows", "?! ... x -- y", "none"),
                ("2 MB of text", HUGE, "error")]:
            try:
                got = b.eval(typed(text), timeout=20)
            except cdp.Frozen as e:
                run.check("hostile: " + name, False, "the page froze: %s" % e)
                continue
            if isinstance(expect, str):
                ok = (got["state"] == expect and got["top"] is None and got["tags"] is None
                      and (expect != "error" or got["status"].startswith("tg: ")))
                # ...and natively too, where it has no word the model knows.
                ok = ok and (expect != "none" or nat.answer(text) == (None, None))
                run.check("hostile: %s -> %s (%s)" % (name, expect, got["status"]), ok,
                          "page said %s %s %s, native %s"
                          % (got["state"], got["top"], got["status"], nat.answer(text)))
            else:
                same(run, "hostile: " + name, got, expect)
            same(run, "answers again after " + name, b.eval(typed(SAMPLE)), nat.answer(SAMPLE))

        # What a person sees: the sample text tagged, as a screenshot that is not blank.
        b.eval(typed(SAMPLE))
        image = b.screenshot()
        if shot:
            with open(shot, "wb") as f:
                f.write(image)
        colours, ink = png.summary(image)
        run.check("screenshot is not blank (%d colours, %.0f%% ink)" % (colours, 100 * ink),
                  colours >= 64 and ink >= 0.05, "looks blank")

        problems = b.problems()
        run.check("no console errors, exceptions or failed loads", not problems,
                  "; ".join(problems[:5]))
        foreign = [u for u in b.requested_urls() if not u.startswith(url)]
        run.check("every request went to the local server", not foreign, " ".join(foreign[:5]))

        # A damaged model database: a clear message, not a dead page.
        with tempfile.TemporaryDirectory(prefix="tg-web-site.") as bad:
            for f in os.listdir(site):
                shutil.copy(os.path.join(site, f), bad)
            with open(os.path.join(bad, "genre.db"), "wb") as f:
                f.write(b"this is not a model database" * 100)
            with cdp.serve(bad) as bad_url:
                b.goto(bad_url + "index.html?q=ghost", LOADED)
                got = b.eval(READ)
        run.check("a damaged model database: %s" % got["status"], got["state"] == "error"
                  and got["status"].startswith("tg: "), "page said %s" % got)

        # Opened as a file, the page cannot fetch its model, and says what to do.
        b.goto("file://%s/index.html" % os.path.abspath(site), LOADED)
        got = b.eval(READ)
        run.check("opened as a file: says to serve it over http", got["state"] == "error"
                  and got["status"].startswith("tg: open this page over http"),
                  "page said %s: %s" % (got["state"], got["status"]))
    return run.failed


if __name__ == "__main__":
    sys.exit(1 if main() else 0)
