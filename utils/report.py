#!/usr/bin/env python3
"""report.py DIR|FILE: print a heal JSON report as sorted `key: value` lines.

DIR must hold exactly one report (tests use a fresh directory per run). Lists print one
element per line as `key[i]: value` so FileCheck can pin exact stack frames."""
import json
import os
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: report.py DIR|FILE")
    path = sys.argv[1]
    if os.path.isdir(path):
        files = sorted(f for f in os.listdir(path) if f.endswith(".json"))
        if len(files) != 1:
            sys.exit("report.py: expected exactly one .json report in %s, found %d" % (path, len(files)))
        path = os.path.join(path, files[0])
    with open(path) as f:
        report = json.load(f)
    for key in sorted(report):
        value = report[key]
        if isinstance(value, list):
            print("%s: #%d" % (key, len(value)))
            for i, item in enumerate(value):
                print("%s[%d]: %s" % (key, i, json.dumps(item)))
        else:
            print("%s: %s" % (key, json.dumps(value)))


if __name__ == "__main__":
    main()
