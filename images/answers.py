#!/usr/bin/python3
"""The replicas' answers, for images/test.sh; requests go to 127.0.0.1 only.

  answers.py check TOKEN BODIES EXPECTED PORT...
      POSTs each line of BODIES (JSON) to /predict on every PORT with the bearer TOKEN
      and compares each answer, parsed, with the same line of EXPECTED (JSON: genre,
      tags, scores): prints "PORT: N of M as expected" per port; exit 1 unless all are.
  answers.py status PORT [TOKEN]
      prints the HTTP status of a /predict request (with TOKEN as bearer, if given).
  answers.py health PORT SECONDS
      waits up to SECONDS for GET /health to answer 200; prints its body."""
import json
import sys
import time
import urllib.error
import urllib.request


def post(port, body, token):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/predict", data=body.encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def check(token, bodies_path, expected_path, ports):
    with open(bodies_path) as f:
        bodies = f.read().splitlines()
    with open(expected_path) as f:
        expected = [json.loads(line) for line in f.read().splitlines()]
    if len(bodies) != len(expected) or not bodies:
        sys.exit(f"answers: {len(bodies)} bodies, {len(expected)} answers")
    ok_all = True
    for port in ports:
        good = 0
        for body, want in zip(bodies, expected):
            try:
                status, got = post(port, body, token)
                good += status == 200 and json.loads(got) == want
            except OSError:
                pass
        print(f"{port}: {good} of {len(bodies)} as expected")
        ok_all &= good == len(bodies)
    return 0 if ok_all else 1


def health(port, seconds):
    end = time.monotonic() + float(seconds)
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as r:
                print(r.read().decode().strip())
                return 0
        except OSError:
            if time.monotonic() > end:
                print("no answer")
                return 1
            time.sleep(0.2)


def main(argv):
    if len(argv) >= 6 and argv[1] == "check":
        return check(argv[2], argv[3], argv[4], argv[5:])
    if len(argv) in (3, 4) and argv[1] == "status":
        try:
            print(post(argv[2], '{"overview": "A ghost haunts a family."}', argv[3] if len(argv) == 4 else None)[0])
        except OSError as e:
            print(f"no answer ({e})")
        return 0
    if len(argv) == 4 and argv[1] == "health":
        return health(argv[2], argv[3])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
