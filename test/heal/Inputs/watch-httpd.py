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
import re
import signal
import socket
import subprocess
import sys
import time

scenario, heal, httpd, src, log = sys.argv[1:6]
opts = sys.argv[6:]
corpus = os.path.join(src, "examples", "httpd", "corpus")
attack = os.path.join(src, "examples", "httpd", "attack.req")


def fetch(port, path):
    """The server's answer (CRs removed), or None when the connection ends without one."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        out = b""
        while True:
            d = s.recv(65536)
            if not d:
                break
            out += d
        s.close()
    except OSError as e:
        return "error: %s" % e.__class__.__name__
    return out.decode().replace("\r", "") if out else None


def show(what, ans):
    if ans is None:
        print("%s: the connection ended without an answer" % what)
    else:
        lines = ans.split("\n")
        print("%s: %s / %s" % (what, lines[0], lines[-2] if len(lines) > 1 else ""))


def wait_log(pattern, timeout):
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        with open(log) as f:
            m = re.search(pattern, f.read(), re.M)
        if m:
            return m
        if watcher.poll() is not None:
            break
        time.sleep(0.02)
    with open(log) as f:
        sys.stdout.write(f.read())
    sys.exit("FAIL: no '%s' in the log" % pattern)


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


errf = open(log, "w")
watcher = subprocess.Popen([heal, "watch", httpd, "--listen", "0"] + opts + ["--", "{PORT}"],
                           stderr=errf, stdin=subprocess.DEVNULL)
try:
    port = int(wait_log(r"^heal watch: listening on 127\.0\.0\.1:(\d+)$", 10).group(1))
    wait_log(r"^heal watch: server started ", 10)
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
        wait_log(r"^heal watch: server restarted .*: running the new binary", 10)
        show("attack after the approval", fetch(port, attack))
        show("good", fetch(port, os.path.join(corpus, "status.req")))
    if "--no-warm" not in opts:
        wait_log(r"^heal watch: (variant cache warm|warming the variant cache failed)", 60)
    watcher.send_signal(signal.SIGTERM)
    print("watcher: exit status %d" % watcher.wait(timeout=10))
finally:
    if watcher.poll() is None:
        watcher.kill()
        watcher.wait()
