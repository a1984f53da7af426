#!/usr/bin/env python3
"""busy-port.py CMD ARGS...: listen on a free port of 127.0.0.1, then run CMD with every
"BUSY" argument replaced by that port, and exit with its status."""
import socket
import subprocess
import sys

s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
port = str(s.getsockname()[1])
sys.exit(subprocess.run([a.replace("BUSY", port) for a in sys.argv[1:]]).returncode)
