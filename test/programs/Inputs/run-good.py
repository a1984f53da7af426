#!/usr/bin/env python3
"""run-good.py REPORT_DIR REF ORACLE [--stdin FILE] [--env VAR=VAL]... -- ARGS...

Runs the good input under the plain clang build REF and the Oracle build ORACLE (with
HEAL_REPORT_DIR=REPORT_DIR) and fails unless both behave identically: same stdout, same
stderr, same exit status, and the Oracle wrote no report (REPORT_DIR stays empty) and no
`heal:` line. On success it prints REF's stdout, so the test can FileCheck it too (a test
whose program does nothing must not pass). --env settings apply to both runs."""
import os
import subprocess
import sys


def run(cmd, stdin_data, env):
    p = subprocess.run(cmd, input=stdin_data, capture_output=True, env=env, timeout=20)
    return p.returncode, p.stdout, p.stderr


def status(code):
    return "signal %d" % -code if code < 0 else "exit %d" % code


def main():
    argv = sys.argv[1:]
    if "--" not in argv or len(argv) < 4:
        sys.exit(__doc__)
    sep = argv.index("--")
    opts, args = argv[:sep], argv[sep + 1:]
    report_dir, ref, oracle = opts[:3]
    stdin_data = b""
    extra = {}
    i = 3
    while i < len(opts):
        if opts[i] == "--stdin":
            with open(opts[i + 1], "rb") as f:
                stdin_data = f.read()
            i += 2
        elif opts[i] == "--env":
            k, v = opts[i + 1].split("=", 1)
            extra[k] = v
            i += 2
        else:
            sys.exit("run-good.py: unknown option %s" % opts[i])
    base = dict(os.environ, **extra)
    base.pop("HEAL_REPORT_DIR", None)
    os.makedirs(report_dir, exist_ok=True)
    r = run([ref] + args, stdin_data, base)
    o = run([oracle] + args, stdin_data, dict(base, HEAL_REPORT_DIR=report_dir))
    errors = []
    if r[0] != o[0]:
        errors.append("status: reference %s, oracle %s" % (status(r[0]), status(o[0])))
    if r[1] != o[1]:
        errors.append("stdout differs:\n--- reference\n%s\n--- oracle\n%s"
                      % (r[1].decode(errors="replace"), o[1].decode(errors="replace")))
    if r[2] != o[2]:
        errors.append("stderr differs:\n--- reference\n%s\n--- oracle\n%s"
                      % (r[2].decode(errors="replace"), o[2].decode(errors="replace")))
    reports = sorted(os.listdir(report_dir))
    if reports:
        errors.append("oracle wrote reports: %s" % " ".join(reports))
    if b"heal:" in o[2]:
        errors.append("oracle printed a heal: line")
    if errors:
        sys.stderr.write("run-good.py: %s\n" % "\n".join(errors))
        sys.exit(1)
    sys.stdout.buffer.write(r[1])
    sys.stdout.write("status: %s\n" % status(r[0]))


if __name__ == "__main__":
    main()
