# Starts heal-cc with TMPDIR=<dir>, sends SIGTERM once its private temporary directory
# exists, and prints whether heal-cc died of the signal and whether the directory is gone.
import os
import signal
import subprocess
import sys
import time

tmp = sys.argv[1]
env = dict(os.environ, TMPDIR=tmp)
p = subprocess.Popen(sys.argv[2:], env=env, stderr=subprocess.DEVNULL)
deadline = time.time() + 20
while time.time() < deadline and not os.listdir(tmp) and p.poll() is None:
    time.sleep(0.005)
p.send_signal(signal.SIGTERM)
rc = p.wait()
print("signal=%s" % ("SIGTERM" if rc == -signal.SIGTERM else "rc %d" % rc))
time.sleep(0.2)
print("left=%s" % os.listdir(tmp))
