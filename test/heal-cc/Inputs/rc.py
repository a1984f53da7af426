# Runs a command and prints its exit status as `rc=N` (lit's `not` only knows non-zero).
import subprocess
import sys

r = subprocess.run(sys.argv[1:])
print("rc=%d" % (r.returncode if r.returncode >= 0 else 128 - r.returncode), flush=True)
