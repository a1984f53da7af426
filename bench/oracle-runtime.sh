#!/usr/bin/env bash
# Oracle runtime micro-benchmark: bench/slots.c built with clang -O2 against the build's
# libheal_rt (malloc = libc's) and again with libheal_oracle (malloc = guarded slots);
# then bench/slots-oracle.c built by clang -O2 and by heal-cc in the Oracle (what the
# passes emit: inline shadow-stack enter/exit, guarded slots).
#
# usage: bench/oracle-runtime.sh BUILD_DIR [ITERATIONS [SAMPLES [HEAP_ITERATIONS]]]
# Prints the medians (ns per iteration) of both builds.
set -euo pipefail
. "$(dirname "$0")/common.sh"
bench_init "BUILD_DIR [ITERATIONS [SAMPLES [HEAP_ITERATIONS]]]" "$@"
shift
LIB=$BUILD/lib
OUT=$BUILD/bench
mkdir -p "$OUT"
unset HEAL_ORACLE_ALIGN HEAL_ORACLE_CANARY HEAL_ORACLE_QUARANTINE_MB HEAL_ORACLE_MAX_MB
"$CLANG" -O2 -I"$HERE/../include" "$HERE/slots.c" -o "$OUT/slots" \
  -L"$LIB" -Wl,--no-as-needed -lheal_rt -Wl,-rpath,"$LIB"
"$CLANG" -O2 -I"$HERE/../include" "$HERE/slots.c" -o "$OUT/slots-heap" \
  -L"$LIB" -Wl,--no-as-needed -lheal_oracle -lheal_rt -Wl,-rpath,"$LIB"
echo "== libheal_rt, libc malloc"
"$OUT/slots" "$@"
echo "== libheal_rt + libheal_oracle (malloc on guarded slots)"
"$OUT/slots-heap" "$@"
# What heal-cc emits: the same functions built by clang -O2 and in the Oracle.
"$CLANG" -O2 "$HERE/slots-oracle.c" -o "$OUT/slots-plain"
HEAL_MODE=oracle "$BUILD/bin/heal-cc" -O2 "$HERE/slots-oracle.c" -o "$OUT/slots-oracle"
echo "== bench/slots-oracle.c, clang -O2"
"$OUT/slots-plain" "${1:-1000000}" "${2:-11}"
echo "== bench/slots-oracle.c, heal-cc Oracle (inline enter/exit and slot fast paths)"
"$OUT/slots-oracle" "${1:-1000000}" "${2:-11}"
