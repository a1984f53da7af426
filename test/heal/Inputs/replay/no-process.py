#!/usr/bin/env python3
"""no-process.py PATH: fails (listing them) if a process whose command line starts with
PATH is still running: a replay must leave nothing behind."""
import os
import sys

path = sys.argv[1].encode()
left = []
for pid in os.listdir("/proc"):
    if not pid.isdigit() or int(pid) == os.getpid():
        continue
    try:
        with open("/proc/%s/cmdline" % pid, "rb") as f:
            argv = f.read().split(b"\0")
        with open("/proc/%s/stat" % pid, "rb") as f:
            state = f.read().rsplit(b")", 1)[1].split()[0]
    except OSError:
        continue
    if argv and argv[0].startswith(path) and state != b"Z":
        left.append("%s %s" % (pid, b" ".join(argv).decode(errors="replace")))
if left:
    sys.exit("still running:\n" + "\n".join(left))
