"""A client of `heal watch` for test/heal/watch-*.test.

    watch-steps.py HEAL BINARY LOG [WATCH-OPTIONS...] -- STEP...

Starts `heal watch BINARY --listen 0 WATCH-OPTIONS -- {PORT}` (stderr in LOG), then for
each STEP: "TEXT" sends TEXT on a new connection and prints "TEXT: <answer>" (or "TEXT:
the connection ended without an answer"); "wait:TEXT=ANSWER" sends TEXT until the answer
is ANSWER (at most 30 s) and prints it. Then SIGTERM. The watcher is killed whatever
happens."""
import sys
import time

from watchlib import Watcher, exchange

heal, binary, log = sys.argv[1:4]
sep = sys.argv.index("--")
opts, steps = sys.argv[4:sep], sys.argv[sep + 1:]


def fetch(port, text):
    ans = exchange(port, text.encode())
    return ans.decode().strip() if isinstance(ans, bytes) else ans


with Watcher(heal, binary, log, opts) as w:
    for step in steps:
        if step.startswith("wait:"):
            text, want = step[5:].split("=", 1)
            until = time.monotonic() + 30
            ans = fetch(w.port, text)
            while ans != want and time.monotonic() < until:
                time.sleep(0.05)
                ans = fetch(w.port, text)
        else:
            text, ans = step, fetch(w.port, step)
        print("%s: %s" % (text, ans if ans is not None
                          else "the connection ended without an answer"))
    w.stop()
