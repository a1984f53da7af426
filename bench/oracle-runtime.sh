#!/usr/bin/env bash
# Oracle runtime micro-benchmark: bench/slots.c built with clang -O2 against the build's
# libheal_rt (malloc = libc's) and again with libheal_oracle (malloc = guarded slots).
#
# usage: bench/oracle-runtime.sh BUILD_DIR [ITERATIONS [SAMPLES [HEAP_ITERATIONS]]]
# Prints the medians (ns per iteration) of both builds.
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 BUILD_DIR [ITERATIONS [SAMPLES [HEAP_ITERATIONS]]]" >&2
  exit 2
fi
BUILD=$(cd "$1" && pwd)
shift
HERE=$(cd "$(dirname "$0")" && pwd)
CLANG=$(sed -n 's/^HEAL_CLANG:[A-Z]*=//p' "$BUILD/CMakeCache.txt" 2>/dev/null || true)
CLANG=${CLANG:-/usr/lib/llvm-19/bin/clang}
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
