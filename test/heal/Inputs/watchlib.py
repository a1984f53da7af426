"""What the clients of `heal watch` in test/heal/watch*.test share (watch-httpd.py,
watch-steps.py): starting the watcher, waiting for its log lines, one exchange with the
public port, and stopping it."""
import re
import signal
import socket
import subprocess
import sys
import time


def exchange(port, data):
    """Sends data on a new connection, returns all the server answered (bytes), None when
    the connection ends without an answer, or "error: <exception>"."""
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
    return out if out else None


class Watcher:
    """`heal watch BINARY --listen 0 OPTS -- {PORT}`, its stderr in log; use with `with`:
    the watcher is killed whatever happens, so a test never hangs."""

    def __init__(self, heal, binary, log, opts):
        self.log = log
        self.proc = subprocess.Popen(
            [heal, "watch", binary, "--listen", "0"] + opts + ["--", "{PORT}"],
            stderr=open(log, "w"), stdin=subprocess.DEVNULL)

    def __enter__(self):
        self.port = int(self.wait_log(r"^heal watch: listening on 127\.0\.0\.1:(\d+)$",
                                      10).group(1))
        self.wait_log(r"^heal watch: server started ", 10)
        return self

    def wait_log(self, pattern, timeout):
        """The first match of pattern in the log within timeout seconds; else prints the
        log and fails."""
        until = time.monotonic() + timeout
        while time.monotonic() < until:
            with open(self.log) as f:
                m = re.search(pattern, f.read(), re.M)
            if m:
                return m
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        with open(self.log) as f:
            sys.stdout.write(f.read())
        sys.exit("FAIL: no '%s' in the log" % pattern)

    def stop(self):
        """SIGTERM; prints the watcher's exit status."""
        self.proc.send_signal(signal.SIGTERM)
        print("watcher: exit status %d" % self.proc.wait(timeout=10))

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        return False
