#!/usr/bin/env python3
"""asan-check.py PROGRAM.c...: cross-check a corpus program's expected Oracle report with
AddressSanitizer (a development aid, not run by lit).

For every bad run in the program's RUN lines (`... %expect_crash SIG %t/oracle ARGS` whose
report is checked by `%report DIR | FileCheck [--check-prefix=P]`), builds the program with
`clang -O0 -g -fsanitize=address`, runs the same input, and compares ASan's kind, innermost
frames in the program's own source (function, stack[1], stack[2]), buffer, buffer_size and
offset with the P: lines. For a release-time detection (`detected: "release"`) the
function/stack are the owner's at release, not the access frame, and the offset is the
corrupted canary byte nearest the buffer: those are not compared.
Prints one line per run: ok, or the differences."""
import os
import re
import shlex
import subprocess
import sys
import tempfile

CLANG = os.environ.get("CLANG", "/usr/lib/llvm-19/bin/clang")


def checks_of(path):
    checks = {}
    for line in open(path):
        m = re.match(r"\s*// ([A-Z][A-Z0-9_]*)(?:-NEXT|-DAG)?: (\w+(?:\[\d+\])?): (.*)", line)
        if m:
            checks.setdefault(m.group(1), {})[m.group(2)] = m.group(3).strip()
    return checks


def parse(path):
    runs, checks = [], {}
    src = os.path.dirname(os.path.abspath(path))
    for line in open(path):
        m = re.match(r"\s*// RUN: (.*)", line)
        if m:
            runs.append(m.group(1).replace("%S", src).replace("%s", os.path.abspath(path)))
        m = re.match(r"\s*// ([A-Z][A-Z0-9_]*)(?:-NEXT|-DAG)?: (\w+(?:\[\d+\])?): (.*)", line)
        if m:
            checks.setdefault(m.group(1), {})[m.group(2)] = m.group(3).strip()
    bad = []
    for r in runs:
        if "%expect_crash" not in r:
            continue
        toks = shlex.split(r)
        rdir = next(t.split("=", 1)[1] for t in toks if t.startswith("HEAL_REPORT_DIR="))
        env = {t.split("=", 1)[0]: t.split("=", 1)[1] for t in toks[:toks.index("%expect_crash")]
               if "=" in t and t != "env"}
        i = toks.index("%t/oracle") + 1
        args, stdin = [], None
        while i < len(toks):
            if toks[i] == "<":
                stdin = toks[i + 1]
                i += 2
            elif toks[i] in ("2>", ">", "|", "&&"):
                break
            else:
                args.append(toks[i])
                i += 1
        # The report is checked by `%report DIR | FileCheck ...` or saved by `%report DIR >
        # FILE` and checked by `FileCheck ... < FILE`; the prefix that checks `kind` counts.
        fcs = []
        for r2 in runs:
            m = re.match(r"%report (\S+) (\||>) (.*)", r2)
            if m and m.group(1) == rdir:
                if m.group(2) == "|":
                    fcs.append(m.group(3))
                else:
                    fcs += [r3 for r3 in runs if r3.startswith("FileCheck") and
                            r3.endswith("< " + m.group(3).strip())]
        prefix = "CHECK"
        for fc in fcs:
            m = re.search(r"--check-prefix=(\w+)", fc)
            p = m.group(1) if m else "CHECK"
            if "kind" in checks_of(path).get(p, {}):
                prefix = p
        bad.append((prefix, args, stdin, env))
    return bad, checks


def asan(exe, args, stdin, srcname):
    inp = open(stdin, "rb").read() if stdin else b""
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0:symbolize=1")
    p = subprocess.run([exe] + args, input=inp, capture_output=True, env=env, timeout=30)
    err = p.stderr.decode(errors="replace")
    got = {}
    m = re.search(r"ERROR: AddressSanitizer: (attempting double-free|attempting free on address"
                  r" which was not malloc\(\)-ed|[\w-]+)", err)
    if not m:
        return None, err
    kind = m.group(1)
    frames = []
    for line in err.split("\n\n")[0].splitlines():
        fm = re.match(r"\s+#\d+ 0x[0-9a-f]+ in (\S+) (\S+)", line)
        if fm and os.path.basename(fm.group(2).split(":")[0]) == srcname:
            frames.append(fm.group(1))
    for i, f in enumerate(frames[:3]):
        got["function" if i == 0 else "stack[%d]" % i] = f
    got["stack[0]"] = frames[0] if frames else None
    off = None
    # Stack: "at offset X in frame" and the frame's objects "[lo, hi) 'name'"; the buffer
    # is the nearest object (ASan's own "<==" marks a neighbour on either side).
    m = re.search(r"at offset (\d+) in frame", err)
    if m:
        x = int(m.group(1))
        objs = [(int(a), int(b), n) for a, b, n in re.findall(r"\[(\d+), (\d+)\) '([^']+)'", err)]
        dist = lambda o: 0 if o[0] <= x < o[1] else (x - o[1] + 1 if x >= o[1] else o[0] - x)
        if objs:
            lo, hi, name = min(objs, key=dist)
            got["buffer"], got["buffer_size"] = name, hi - lo
            off = x - lo
    # Heap: "located N bytes after|before|inside of S-byte region"; globals: "located N
    # bytes to the right|left of global variable 'g' ... of size S" (one line per
    # neighbour: the nearest one is the buffer).
    best = None
    for m in re.finditer(r"located (\d+) bytes (after|before|inside of|to the right of|to the "
                         r"left of) (?:(\d+)-byte region|global variable '([^']+)'.*? of size "
                         r"(\d+))", err):
        if best is None or int(m.group(1)) < int(best.group(1)):
            best = m
    if best:
        m = best
        n = int(m.group(1))
        size = int(m.group(3) or m.group(5))
        got["buffer_size"] = size
        if m.group(4):
            got["buffer"] = m.group(4).split(".")[-1]  # function statics: "f.name"
        where = {"to the right of": "after", "to the left of": "before"}.get(m.group(2), m.group(2))
        off = {"after": size + n, "before": -n, "inside of": n}[where]
    if off is not None:
        got["offset"] = off
    region = "heap" if "heap" in kind or "free" in kind else (
        "global" if "global" in kind else "stack")
    if kind == "heap-use-after-free":
        got["kind"] = "use-after-free"
    elif "double-free" in kind:
        got["kind"] = "double-free"
    elif "not malloc" in kind:
        got["kind"] = "invalid-free"
    elif kind.endswith("overflow") or kind.endswith("underflow"):
        got["kind"] = "%s-buffer-%s" % (region, "underflow" if (off is not None and off < 0)
                                        or kind.endswith("underflow") else "overflow")
    else:
        got["kind"] = kind
    return got, err


def main():
    for path in sys.argv[1:]:
        bad, checks = parse(path)
        with tempfile.TemporaryDirectory() as d:
            exe = os.path.join(d, "a.out")
            subprocess.run([CLANG, "-O0", "-g", "-fsanitize=address", "-pthread", path, "-o",
                            exe], check=True)
            for prefix, args, stdin, env in bad:
                exp = checks.get(prefix, {})
                got, err = asan(exe, args, stdin, os.path.basename(path))
                name = "%s [%s]" % (os.path.basename(path), prefix)
                if got is None:
                    print("%s: asan reported nothing" % name)
                    continue
                release = exp.get("detected") == '"release"'
                diffs = []
                for key in ["kind", "function", "stack[0]", "stack[1]", "stack[2]", "buffer",
                            "buffer_size", "offset"]:
                    if key not in exp or key not in got:
                        continue
                    if release and (key in ("function", "offset") or key.startswith("stack")):
                        continue
                    g = got[key]
                    g = str(g) if isinstance(g, int) else '"%s"' % g
                    if exp[key] != g:
                        diffs.append("%s: expected %s, asan %s" % (key, exp[key], g))
                print("%s: %s" % (name, "; ".join(diffs) if diffs else "ok (%s)" % ", ".join(
                    "%s=%s" % (k, got[k]) for k in ["kind", "function", "buffer", "offset"]
                    if k in got)))


if __name__ == "__main__":
    main()
