#!/usr/bin/env python3
"""on-terminal.py CMD...: runs CMD with its stdin, stdout and stderr on a pseudo-terminal, and
prints what it wrote with control characters made visible (\\r as <CR>, ESC as <ESC>), one
output line per line. Exits with CMD's exit status."""
import os
import pty
import sys

pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b""
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
_, status = os.waitpid(pid, 0)
text = out.decode("utf-8", "replace").replace("\r\n", "\n")
sys.stdout.write(text.replace("\r", "<CR>").replace("\x1b", "<ESC>"))
sys.exit(os.waitstatus_to_exitcode(status))
