#!/usr/bin/env python3
"""expect-crash.py SIGNAL CMD [ARGS...]: run CMD; succeed iff it is killed by SIGNAL.

Its stdout and stderr pass through, so a lit test can FileCheck them. Core dumps are
disabled so a crash test leaves nothing behind."""
import resource
import signal
import subprocess
import sys


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: expect-crash.py SIGNAL CMD [ARGS...]")
    want = sys.argv[1]
    want_num = int(getattr(signal, want if want.startswith("SIG") else "SIG" + want))
    def no_core():
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    proc = subprocess.run(sys.argv[2:], preexec_fn=no_core)
    if proc.returncode == -want_num:
        sys.exit(0)
    if proc.returncode < 0:
        got = signal.Signals(-proc.returncode).name
        sys.exit("expect-crash: expected %s, got %s" % (want, got))
    sys.exit("expect-crash: expected %s, but exited with status %d" % (want, proc.returncode))


if __name__ == "__main__":
    main()
