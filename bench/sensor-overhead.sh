#!/usr/bin/env bash
# Sensor-mode overhead: each program in bench/programs/ built with plain `clang -O2` and
# with `heal-cc -O2` (HEAL_MODE=sensor), run interleaved, medians compared.
#
# usage: bench/sensor-overhead.sh BUILD_DIR
# env:   BENCH_REPS       timed runs per binary (default 5)
#        BENCH_SCALE      work per run in percent (default 100, about 1 s per program)
#        BENCH_CALLGRIND  0 to skip the instruction counts (default: on if valgrind exists)
#        BENCH_CG_SCALE   work per callgrind run in percent (default 5)
# Prints Markdown tables (wall time, instructions, sizes) on stdout; build products and the
# same tables go to BUILD_DIR/bench/.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
BUILD=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
REPS=${BENCH_REPS:-5}
SCALE=${BENCH_SCALE:-100}
CG_SCALE=${BENCH_CG_SCALE:-5}
HEAL_CC=$BUILD/bin/heal-cc
CLANG=$(sed -n 's/^HEAL_CLANG:[A-Z]*=//p' "$BUILD/CMakeCache.txt" 2>/dev/null || true)
CLANG=${CLANG:-/usr/lib/llvm-19/bin/clang}
OUT=$BUILD/bench
CFLAGS=(-O2)

[ -x "$HEAL_CC" ] || { echo "sensor-overhead: $HEAL_CC not built" >&2; exit 1; }
unset HEAL_POLICY HEAL_REPORT_DIR HEAL_PASSTHROUGH
export HEAL_MODE=sensor

programs=()
for src in "$HERE"/programs/*.c; do
  programs+=("$(basename "$src" .c)")
done

# --- build --------------------------------------------------------------------------------
mkdir -p "$OUT/base" "$OUT/sensor"
for p in "${programs[@]}"; do
  "$CLANG" "${CFLAGS[@]}" -o "$OUT/base/$p" "$HERE/programs/$p.c"
  "$HEAL_CC" "${CFLAGS[@]}" -o "$OUT/sensor/$p" "$HERE/programs/$p.c"
  # A heal binary that does not load the runtime was not built by the heal chain.
  if ! readelf -d "$OUT/sensor/$p" | grep -q 'libheal_rt\.so'; then
    echo "sensor-overhead: $OUT/sensor/$p does not need libheal_rt.so" >&2
    exit 1
  fi
  # Same results, or the comparison is meaningless.
  b=$("$OUT/base/$p" 5)
  s=$("$OUT/sensor/$p" 5)
  if [ "$b" != "$s" ]; then
    echo "sensor-overhead: $p: output differs: '$b' vs '$s'" >&2
    exit 1
  fi
done

# --- helpers ------------------------------------------------------------------------------
# run BIN -> prints "wall_ms cpu_ms" (cpu = user + sys); bash's `time`, no extra process
run() {
  local TIMEFORMAT='%3R %3U %3S' t
  t=$({ time "$1" "$SCALE" >/dev/null 2>&1; } 2>&1)
  echo "$t" | awk '{printf "%.1f %.1f\n", $1 * 1000, ($2 + $3) * 1000}'
}

# median/min/max of column COL of FILE, as "median min max"
stats() {
  awk -v c="$2" '{print $c}' "$1" | sort -n |
    awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%.1f %.1f %.1f\n", m, v[1], v[NR]}'
}

# time_table COL TITLE: one Markdown table of medians, ranges and ratios
time_table() {
  local col=$1 logsum=0 p bm bmin bmax sm smin smax ratio
  echo "### $2 (clang -O2 vs heal-cc -O2, HEAL_MODE=sensor; $REPS runs each, interleaved)"
  echo
  echo "| program | clang -O2 median (min–max) ms | heal-cc sensor median (min–max) ms | ratio |"
  echo "|---|---|---|---|"
  for p in "${programs[@]}"; do
    read -r bm bmin bmax < <(stats "$tmp/$p.base" "$col")
    read -r sm smin smax < <(stats "$tmp/$p.sensor" "$col")
    ratio=$(awk -v s="$sm" -v b="$bm" 'BEGIN {printf "%.3f", s / b}')
    logsum=$(awk -v l="$logsum" -v r="$ratio" 'BEGIN {printf "%.6f", l + log(r)}')
    echo "| $p | $bm ($bmin–$bmax) | $sm ($smin–$smax) | $ratio |"
  done
  awk -v l="$logsum" -v n="${#programs[@]}" 'BEGIN {printf "| geometric mean | | | %.3f |\n", exp(l / n)}'
  echo
}

# --- timing: interleaved, the order of base/sensor alternating per repetition --------------
load0=$(cut -d' ' -f1-3 /proc/loadavg)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for ((r = 1; r <= REPS; r++)); do
  for p in "${programs[@]}"; do
    if ((r % 2)); then order=(base sensor); else order=(sensor base); fi
    for v in "${order[@]}"; do
      run "$OUT/$v/$p" >>"$tmp/$p.$v"
    done
  done
done

{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'): \`BENCH_REPS=$REPS BENCH_SCALE=$SCALE bench/sensor-overhead.sh BUILD\`"
  echo "on $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, load average before the runs: $load0,"
  echo "$("$CLANG" --version | head -1)."
  echo
  time_table 1 "Wall time"
  time_table 2 "CPU time (user + sys)"

  if [ "${BENCH_CALLGRIND:-1}" != 0 ] && command -v valgrind >/dev/null; then
    echo "### Instructions executed (valgrind --tool=callgrind, scale $CG_SCALE%, whole process)"
    echo
    echo "| program | clang -O2 | heal-cc sensor | difference | ratio |"
    echo "|---|---|---|---|---|"
    for p in "${programs[@]}"; do
      for v in base sensor; do
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$OUT/$v/$p" "$CG_SCALE" \
          2>&1 >/dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p' >"$tmp/$p.$v.ir"
      done
      awk -v p="$p" -v b="$(cat "$tmp/$p.base.ir")" -v s="$(cat "$tmp/$p.sensor.ir")" \
        'BEGIN {if (b > 0 && s > 0) printf "| %s | %d | %d | %+d | %.4f |\n", p, b, s, s - b, s / b;
                else printf "| %s | (callgrind failed) | | | |\n", p}'
    done
    echo
  fi

  echo "### Binary size (bytes)"
  echo
  echo "| program | clang -O2 file | heal-cc file | clang -O2 loaded (text+data+bss) | heal-cc loaded |"
  echo "|---|---|---|---|---|"
  for p in "${programs[@]}"; do
    bf=$(stat -c %s "$OUT/base/$p")
    sf=$(stat -c %s "$OUT/sensor/$p")
    bl=$(size "$OUT/base/$p" | awk 'NR == 2 {print $4}')
    sl=$(size "$OUT/sensor/$p" | awk 'NR == 2 {print $4}')
    echo "| $p | $bf | $sf | $bl | $sl |"
  done
} | tee "$OUT/results.md"
