"""A client of `heal watch` for test/heal/watch-*.test.

    watch-steps.py HEAL BINARY LOG [WATCH-OPTIONS...] -- STEP...

Starts `heal watch BINARY --listen 0 WATCH-OPTIONS -- {PORT}` (stderr in LOG), then for
each STEP: "TEXT" sends TEXT on a new connection and prints "TEXT: <answer>" (or "TEXT:
the connection ended without an answer"); "wait:TEXT=ANSWER" sends TEXT until the answer
is ANSWER (at most 30 s) and prints it. Then SIGTERM. The watcher is killed whatever
happens."""
import re
import signal
import socket
import subprocess
import sys
import time

heal, binary, log = sys.argv[1:4]
sep = sys.argv.index("--")
opts, steps = sys.argv[4:sep], sys.argv[sep + 1:]


def fetch(port, text):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(text.encode())
        s.shutdown(socket.SHUT_WR)
        out = b""
        while True:
            d = s.recv(4096)
            if not d:
                break
            out += d
        s.close()
    except OSError as e:
        return "error: %s" % e.__class__.__name__
    return out.decode().strip() if out else None


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


watcher = subprocess.Popen([heal, "watch", binary, "--listen", "0"] + opts + ["--", "{PORT}"],
                           stderr=open(log, "w"), stdin=subprocess.DEVNULL)
try:
    port = int(wait_log(r"^heal watch: listening on 127\.0\.0\.1:(\d+)$", 10).group(1))
    wait_log(r"^heal watch: server started ", 10)
    for step in steps:
        if step.startswith("wait:"):
            text, want = step[5:].split("=", 1)
            until = time.monotonic() + 30
            ans = fetch(port, text)
            while ans != want and time.monotonic() < until:
                time.sleep(0.05)
                ans = fetch(port, text)
        else:
            text, ans = step, fetch(port, step)
        print("%s: %s" % (text, ans if ans is not None
                          else "the connection ended without an answer"))
    watcher.send_signal(signal.SIGTERM)
    print("watcher: exit status %d" % watcher.wait(timeout=10))
finally:
    if watcher.poll() is None:
        watcher.kill()
        watcher.wait()
