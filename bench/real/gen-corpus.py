#!/usr/bin/env python3
"""Writes a deterministic compression corpus of SIZE MiB to OUT (same bytes on every run).

usage: gen-corpus.py SIZE_MIB OUT

The mix resembles what zlib and gzip are used on: prose from a Zipf-distributed vocabulary
(about half), server-log lines with timestamps and numbers, CSV rows of floats, C-like
source text, and 1/16 of incompressible random bytes. It compresses about 2.4:1 at level 6.
"""
import random
import sys


def vocabulary(rng, n):
    letters = "etaoinshrdlcumwfgypbvkjxqz"
    weights = [26 - i for i in range(26)]
    words = set()
    while len(words) < n:
        words.add("".join(rng.choices(letters, weights, k=rng.randint(2, 11))))
    return sorted(words)


def prose(rng, words, zipf, size):
    out, n = [], 0
    while n < size:
        sentence = rng.choices(words, cum_weights=zipf, k=rng.randint(5, 18))
        s = " ".join(sentence).capitalize() + rng.choice([". ", ". ", ", ", "? ", ".\n\n"])
        out.append(s)
        n += len(s)
    return "".join(out)


def logs(rng, words, size):
    out, n, t = [], 0, 1700000000
    methods = ["GET", "GET", "GET", "POST", "PUT", "DELETE"]
    while n < size:
        t += rng.randint(0, 3)
        s = "%d 10.%d.%d.%d %s /%s/%s?id=%d %d %d %.3fms\n" % (
            t, rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254),
            rng.choice(methods), rng.choice(words[:200]), rng.choice(words[:2000]),
            rng.randint(1, 99999), rng.choice([200, 200, 200, 304, 404, 500]),
            rng.randint(100, 90000), rng.expovariate(0.05))
        out.append(s)
        n += len(s)
    return "".join(out)


def csv(rng, size):
    out, n, row = ["id,x,y,z,label\n"], 0, 0
    while n < size:
        row += 1
        s = "%d,%.6f,%.3f,%d,%s\n" % (row, rng.gauss(0, 1), rng.uniform(-500, 500),
                                      rng.randint(0, 1000), rng.choice("ABCDEFGH"))
        out.append(s)
        n += len(s)
    return "".join(out)


def code(rng, words, size):
    out, n = [], 0
    types = ["int", "char *", "size_t", "struct node *", "double", "unsigned"]
    while n < size:
        name = rng.choice(words[:3000])
        args = ", ".join("%s %s" % (rng.choice(types), rng.choice(words[:500]))
                         for _ in range(rng.randint(0, 3)))
        body = "".join("    %s = %s(%s, %d);\n" % (rng.choice(words[:300]), rng.choice(words[:800]),
                                                  rng.choice(words[:300]), rng.randint(0, 64))
                       for _ in range(rng.randint(2, 9)))
        s = "static %s %s(%s)\n{\n%s    return 0;\n}\n\n" % (rng.choice(types), name, args or "void", body)
        out.append(s)
        n += len(s)
    return "".join(out)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen-corpus.py SIZE_MIB OUT")
    total = int(float(sys.argv[1]) * (1 << 20))
    rng = random.Random(20261127)
    words = vocabulary(rng, 20000)
    zipf, acc = [], 0.0
    for i in range(len(words)):  # cumulative Zipf weights (choices() is O(log n) then)
        acc += 1.0 / (i + 1)
        zipf.append(acc)
    chunk = 1 << 20
    with open(sys.argv[2], "wb") as f:
        written = 0
        i = 0
        while written < total:
            kind = i % 16
            if kind < 8:
                data = prose(rng, words, zipf, chunk).encode()
            elif kind < 11:
                data = logs(rng, words, chunk).encode()
            elif kind < 13:
                data = csv(rng, chunk).encode()
            elif kind < 15:
                data = code(rng, words, chunk).encode()
            else:
                data = rng.randbytes(chunk)
            data = data[:min(chunk, total - written)]
            f.write(data)
            written += len(data)
            i += 1


if __name__ == "__main__":
    main()
