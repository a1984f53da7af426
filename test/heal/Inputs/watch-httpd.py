"""Drives `heal watch` over examples/httpd for test/heal/watch*.test.

    watch-httpd.py SCENARIO HEAL HTTPD SRCROOT LOG [WATCH-OPTIONS...]

Starts `heal watch HTTPD --listen 0 WATCH-OPTIONS -- {PORT}` (its stderr in LOG), then acts
as a client of the public port. SCENARIO "deploy": a good request; the attack (the server
dies, the connection ends without an answer); good requests until one is answered again
(at most 30 s); the attack again (the healed server answers it); a good request; a second
heal watch on the same public port (refused). SCENARIO "unpatched" (--approve, a patch
left pending): three attacks (the one of examples/httpd twice, then ATTACK2 from the
environment), each followed by good requests until the restarted server answers; then
heal approve 1, and once heal watch has restarted the server from the deployed patch, the
attack and a good request. Then SIGTERM. Prints one line per step for FileCheck. The watcher is killed whatever happens,
so the test never hangs."""
import os
import subprocess
import sys
import time

from watchlib import Watcher, exchange

scenario, heal, httpd, src, log = sys.argv[1:6]
opts = sys.argv[6:]
corpus = os.path.join(src, "examples", "httpd", "corpus")
attack = os.path.join(src, "examples", "httpd", "attack.req")


def fetch(port, path):
    """The server's answer (CRs removed), or None when the connection ends without one."""
    with open(path, "rb") as f:
        ans = exchange(port, f.read())
    return ans.decode().replace("\r", "") if isinstance(ans, bytes) else ans


def show(what, ans):
    if ans is None:
        print("%s: the connection ended without an answer" % what)
    else:
        lines = ans.split("\n")
        print("%s: %s / %s" % (what, lines[0], lines[-2] if len(lines) > 1 else ""))


def wait_good(what):
    t0 = time.monotonic()
    ans = None
    while time.monotonic() < t0 + 30:
        ans = fetch(port, os.path.join(corpus, "hello.req"))
        if ans and ans.endswith("Hello, heal!\n"):
            break
        time.sleep(0.05)
    show(what, ans)
    sys.stderr.write("answered again %.2f s after the attack\n" % (time.monotonic() - t0))


with Watcher(heal, httpd, log, opts) as w:
    port = w.port
    show("good", fetch(port, os.path.join(corpus, "hello.req")))
    if scenario == "deploy":
        show("attack", fetch(port, attack))
        wait_good("good after the crash")
        show("attack again", fetch(port, attack))
        show("good", fetch(port, os.path.join(corpus, "status.req")))
        # A second watcher cannot take the same public port.
        second = subprocess.run([heal, "watch", httpd, "--listen", str(port), "--", "{PORT}"],
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=20)
        msg = second.stderr.decode().replace(str(port), "PORT")
        print("second watcher: exit status %d: %s" % (second.returncode, msg.strip()))
    else:
        for name, path in [("attack", attack), ("attack again", attack),
                           ("another attack", os.environ["ATTACK2"])]:
            show(name, fetch(port, path))
            wait_good("good after the crash")
        # heal approve deploys the pending patch: heal watch restarts the server from it.
        rc = subprocess.run([heal, "approve", "1"], stdout=subprocess.DEVNULL).returncode
        print("heal approve 1: exit status %d" % rc)
        w.wait_log(r"^heal watch: server restarted .*: running the new binary", 10)
        show("attack after the approval", fetch(port, attack))
        show("good", fetch(port, os.path.join(corpus, "status.req")))
    if "--no-warm" not in opts:
        w.wait_log(r"^heal watch: (variant cache warm|warming the variant cache failed)", 60)
    w.stop()
