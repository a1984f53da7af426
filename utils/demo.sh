#!/bin/sh
# make demo: build the bundled example with heal-cc (sensor mode), run it on a good and on
# an attack input, and show the sensor's crash report. Later the heal loop takes over here.
set -eu
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$BUILD" && pwd)
EX="$ROOT/examples/confparse"
OUT="$BUILD/demo"
rm -rf "$OUT" && mkdir -p "$OUT/reports"

step() { printf '\n== %s\n' "$*"; }

step "1. build examples/confparse with heal-cc (sensor mode), unchanged Makefile-style command"
echo "\$ heal-cc -O2 -g -o confparse main.c parse.c"
"$BUILD/bin/heal-cc" -O2 -g -I"$EX" -o "$OUT/confparse" "$EX/main.c" "$EX/parse.c"

step "2. a good input: normal output, no report"
echo "\$ ./confparse good.conf"
"$OUT/confparse" "$EX/good.conf"

step "3. the attack: a 200-byte value overflows a 32-byte stack buffer in parse_line"
echo "\$ HEAL_REPORT_DIR=reports ./confparse attack.conf"
status=0
HEAL_REPORT_DIR="$OUT/reports" "$OUT/confparse" "$EX/attack.conf" || status=$?
echo "(exit status $status: the process died as it would without heal)"

step "4. the sensor's report"
for r in "$OUT"/reports/*.json; do
  echo "$r:"
  python3 -m json.tool "$r"
done
