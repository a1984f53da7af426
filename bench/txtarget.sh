#!/usr/bin/env bash
# Indirect calls in transactions (docs/benchmarks.md, "Undo log", "Indirect calls"):
#   bench/txtarget.c   __heal_tx_target + the call against the plain indirect call
#                      (static runtime, no transaction)
#   bench/indirect.c   a transaction calling a handler through a table, built by heal-cc
#                      with rollback: "redirect" (default) and "noredirect"
#                      (-heal-undo-indirect=false); "base" is plain clang
# Runs interleaved ROUNDS and prints medians of each run's median ns per call, then (with
# valgrind) instructions per call.
#
# usage: bench/txtarget.sh BUILD_DIR [ROUNDS [ITERATIONS [SAMPLES]]]
set -euo pipefail
. "$(dirname "$0")/common.sh"
bench_init "BUILD_DIR [ROUNDS [ITERATIONS [SAMPLES]]]" "$@"
ROUNDS=${2:-7}
ITER=${3:-1000000}
SAMPLES=${4:-11}
OUT=$BUILD/bench/txtarget
mkdir -p "$OUT"
unset HEAL_MODE HEAL_POLICY HEAL_REPORT_DIR HEAL_PASSTHROUGH HEAL_UNDO_MAX_MB

echo '{"version":1,"transactions":[{"function":"dispatch_pure"},{"function":"dispatch_write"},{"function":"dispatch_leaf"}]}' \
  > "$OUT/policy.json"
printf '#!/bin/sh\nexec "%s" "$@" -heal-undo-indirect=false\n' "$OPT" > "$OUT/opt-noredirect"
chmod +x "$OUT/opt-noredirect"

"$CLANG" -O2 -I"$HERE/../include" "$HERE/txtarget.c" -o "$OUT/lookup" "$BUILD/lib/libheal_rt.a" -lpthread
"$CLANG" -O2 "$HERE/indirect.c" -o "$OUT/base"
HEAL_POLICY="$OUT/policy.json" "$BUILD/bin/heal-cc" -O2 "$HERE/indirect.c" -o "$OUT/redirect"
HEAL_OPT="$OUT/opt-noredirect" HEAL_POLICY="$OUT/policy.json" "$BUILD/bin/heal-cc" -O2 \
  "$HERE/indirect.c" -o "$OUT/noredirect"

: > "$OUT/times.txt"
for r in $(seq "$ROUNDS"); do
  "$OUT/lookup" "$((ITER * 2))" "$SAMPLES" | sed "s/^/lookup /" >> "$OUT/times.txt"
  for v in base noredirect redirect; do
    "$OUT/$v" "$ITER" "$SAMPLES" | sed "s/^/$v /" >> "$OUT/times.txt"
  done
done

python3 - "$OUT/times.txt" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    v, case, ns = line.split()
    rows.setdefault((v, case), []).append(float(ns))
med = {k: statistics.median(x) for k, x in rows.items()}
print("median ns per call (thread CPU time), rounds: %d" % len(rows[("lookup", "call")]))
print("| lookup case | ns | - call |")
print("|---|---|---|")
for c in ["call", "empty", "hit", "miss"]:
    print("| %s | %.2f | %+.2f |" % (c, med[("lookup", c)], med[("lookup", c)] - med[("lookup", "call")]))
print()
print("| transaction | base | noredirect | redirect | redirect - noredirect |")
print("|---|---|---|---|---|")
for c in ["tx-pure", "tx-write", "tx-leaf"]:
    b, n, r = med[("base", c)], med[("noredirect", c)], med[("redirect", c)]
    print("| %s | %.2f | %.2f | %.2f | %+.2f |" % (c, b, n, r, r - n))
PY

if command -v valgrind > /dev/null; then
  : > "$OUT/instructions.txt"
  for v in noredirect redirect; do
    valgrind --tool=callgrind --callgrind-out-file="$OUT/cg.$v" "$OUT/$v" 20000 1 > /dev/null 2>&1
    callgrind_annotate --inclusive=yes "$OUT/cg.$v" 2> /dev/null |
      sed -n -E 's/^ *([0-9,]+) .*:(dispatch_pure|dispatch_write|dispatch_leaf|__heal_tx_target) .*/\2 \1/p' |
      tr -d , | sed "s/^/$v /" >> "$OUT/instructions.txt"
  done
  python3 - "$OUT/instructions.txt" <<'PY'
import sys
calls = 20000 + 2001  # timed calls + warm-up (a tenth + 1), per case
n = {}
for line in open(sys.argv[1]):
    v, fn, count = line.split()
    n[(v, fn)] = int(count) / calls
print()
print("instructions per call (callgrind, inclusive)")
print("| transaction | noredirect | redirect | difference |")
print("|---|---|---|---|")
for c in ["dispatch_pure", "dispatch_write", "dispatch_leaf"]:
    print("| %s | %.0f | %.0f | %+.0f |" % (c, n[("noredirect", c)], n[("redirect", c)],
                                          n[("redirect", c)] - n[("noredirect", c)]))
print("__heal_tx_target: %.1f instructions per lookup (a hit)" % (n[("redirect", "__heal_tx_target")] / 2))
PY
fi
