#!/usr/bin/env python3
"""check-frames.py DIR: cross-check the frames of the one heal report in DIR.

For every frame: stack[i] is frames[i].function (or "??" when null); a frame with an
object has an offset, and frames of the same object share one load base (pc - offset).
For frames whose object is the program, the function's symbol (llvm-nm -S) must contain
the offset (the faulting pc for frame 0, the call before the return address otherwise).
Prints "frames ok: N" or the first mismatch."""
import json
import os
import subprocess
import sys


def symbols(path):
    out = subprocess.run(["llvm-nm", "-S", "--defined-only", path], capture_output=True,
                         text=True, check=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in "tTwW":
            syms.setdefault(parts[3], []).append((int(parts[0], 16), int(parts[1], 16)))
    return syms


def main():
    d = sys.argv[1]
    files = [f for f in os.listdir(d) if f.endswith(".json")]
    if len(files) != 1:
        sys.exit("expected one report, found %d" % len(files))
    r = json.load(open(os.path.join(d, files[0])))
    frames, stack = r["frames"], r["stack"]
    if len(frames) != len(stack) or not frames:
        sys.exit("stack has %d entries, frames %d" % (len(stack), len(frames)))
    if r["function"] != frames[0]["function"]:
        sys.exit("function %r is not frames[0] %r" % (r["function"], frames[0]["function"]))
    bases = {}
    prog_syms = symbols(r["program"])
    for i, f in enumerate(frames):
        if stack[i] != (f["function"] or "??"):
            sys.exit("stack[%d] %r != frames[%d].function %r" % (i, stack[i], i, f["function"]))
        if f["object"] is None:
            continue
        if f["offset"] is None:
            sys.exit("frame %d has an object but no offset" % i)
        pc, off = int(f["pc"], 16), int(f["offset"], 16)
        base = bases.setdefault(f["object"], pc - off)
        if pc - off != base:
            sys.exit("frame %d: load base %#x differs from %#x" % (i, pc - off, base))
        if f["object"] == r["program"] and f["function"]:
            look = off if i == 0 else off - 1
            ranges = prog_syms.get(f["function"], [])
            if not any(a <= look < a + s for a, s in ranges):
                sys.exit("frame %d: %s does not contain offset %#x" % (i, f["function"], look))
    print("frames ok: %d" % len(frames))


if __name__ == "__main__":
    main()
