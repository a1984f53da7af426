#!/usr/bin/env bash
# Undo-log micro-benchmark: bench/undo.c built four ways and run interleaved.
#   base      clang -O2, no heal
#   tx        heal-cc -O2, the four functions as transactions with "rollback": false
#   undo      heal-cc -O2, rollback on (the inline fast path: the default)
#   undo-call heal-cc -O2, rollback on, every logged write calls __heal_undo_log
#             (-heal-undo-inline=false)
# undo - tx is the cost of the logging; divided by the writes per call, the cost of one
# logged write.
#
# usage: bench/undo.sh BUILD_DIR [ROUNDS [ITERATIONS [SAMPLES]]]
# Prints per variant and case the median over ROUNDS of each run's median ns per call,
# then (if valgrind is there) instructions per call (callgrind, inclusive, exact).
set -euo pipefail
. "$(dirname "$0")/common.sh"
bench_init "BUILD_DIR [ROUNDS [ITERATIONS [SAMPLES]]]" "$@"
ROUNDS=${2:-5}
ITER=${3:-200000}
SAMPLES=${4:-11}
OUT=$BUILD/bench/undo
mkdir -p "$OUT"
unset HEAL_MODE HEAL_POLICY HEAL_REPORT_DIR HEAL_PASSTHROUGH HEAL_UNDO_MAX_MB

fns="fill one mixed copy"
policy() { # $1: true|false
  local sep="" s='{"version":1,"transactions":['
  for f in $fns; do s+="$sep{\"function\":\"$f\",\"rollback\":$1}"; sep=","; done
  echo "$s]}"
}
policy false > "$OUT/tx.json"
policy true > "$OUT/undo.json"
printf '#!/bin/sh\nexec "%s" "$@" -heal-undo-inline=false\n' "$OPT" > "$OUT/opt-call"
chmod +x "$OUT/opt-call"

"$CLANG" -O2 "$HERE/undo.c" -o "$OUT/base"
HEAL_POLICY="$OUT/tx.json" "$BUILD/bin/heal-cc" -O2 "$HERE/undo.c" -o "$OUT/tx"
HEAL_POLICY="$OUT/undo.json" "$BUILD/bin/heal-cc" -O2 "$HERE/undo.c" -o "$OUT/undo"
HEAL_OPT="$OUT/opt-call" HEAL_POLICY="$OUT/undo.json" "$BUILD/bin/heal-cc" -O2 "$HERE/undo.c" \
  -o "$OUT/undo-call"

variants="base tx undo undo-call"
: > "$OUT/times.txt"
for r in $(seq "$ROUNDS"); do
  for v in $variants; do
    "$OUT/$v" "$ITER" "$SAMPLES" | sed "s/^/$v /" >> "$OUT/times.txt"
  done
done

python3 - "$OUT/times.txt" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    v, case, ns = line.split()
    rows.setdefault((v, case), []).append(float(ns))
cases = ["fill256", "one", "mixed16", "copy"]
variants = ["base", "tx", "undo", "undo-call"]
print("median ns per call (thread CPU time)")
print("| case | " + " | ".join(variants) + " |")
print("|---|" + "---|" * len(variants))
for c in cases:
    print("| %s | " % c + " | ".join("%.1f" % statistics.median(rows[(v, c)]) for v in variants) + " |")
PY

if command -v valgrind > /dev/null; then
  : > "$OUT/instructions.txt"
  for v in tx undo undo-call; do
    valgrind --tool=callgrind --callgrind-out-file="$OUT/cg.$v" "$OUT/$v" 2000 1 > /dev/null 2>&1
    callgrind_annotate --inclusive=yes "$OUT/cg.$v" 2> /dev/null |
      sed -n -E 's/^ *([0-9,]+) .*\?\?\?:(fill|one|mixed|copy) \[.*/\2 \1/p' | tr -d , |
      sed "s/^/$v /" >> "$OUT/instructions.txt"
  done
  python3 - "$OUT/instructions.txt" <<'PY'
import sys
calls = 2000 + 201  # timed calls + warm-up (a tenth + 1)
writes = {"fill": 256, "one": 1, "mixed": 16, "copy": 2}
n = {}
for line in open(sys.argv[1]):
    v, case, count = line.split()
    n[(v, case)] = int(count) / calls
print()
print("instructions per call (callgrind, inclusive) and per logged write")
print("| case | writes | tx | undo | undo-call | per write: undo | per write: undo-call |")
print("|---|---|---|---|---|---|---|")
for c in ["fill", "one", "mixed", "copy"]:
    t, u, k = n[("tx", c)], n[("undo", c)], n[("undo-call", c)]
    print("| %s | %d | %.0f | %.0f | %.0f | %.1f | %.1f |" % (c, writes[c], t, u, k,
          (u - t) / writes[c], (k - t) / writes[c]))
PY
fi
