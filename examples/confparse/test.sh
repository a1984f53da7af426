#!/bin/sh
# Regression test of confparse: runs $HEAL_BINARY (default ./confparse) on every input of
# corpus/, as a file argument and on stdin, and compares stdout and the exit status with
# expected/NAME.out. Prints "PASS" and exits 0, or says what differed and exits 1.
set -u
DIR=$(cd "$(dirname "$0")" && pwd)
BIN=${HEAL_BINARY:-./confparse}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail=0
for input in "$DIR"/corpus/*.conf; do
  name=$(basename "$input" .conf)
  for how in file stdin; do
    if [ "$how" = file ]; then
      "$BIN" "$input" > "$WORK/out" 2>"$WORK/err"
    else
      "$BIN" < "$input" > "$WORK/out" 2>"$WORK/err"
    fi
    echo "exit $?" >> "$WORK/out"
    if ! cmp -s "$WORK/out" "$DIR/expected/$name.out"; then
      echo "FAIL: $name ($how):"
      diff "$DIR/expected/$name.out" "$WORK/out" | sed 's/^/  /'
      fail=1
    fi
  done
done
# Usage errors stay errors.
"$BIN" a b > /dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: two arguments were not a usage error"; fail=1; }
"$BIN" "$DIR/corpus/no-such-file.conf" > /dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: a missing file was not an error"; fail=1; }
[ "$fail" -eq 0 ] && echo PASS
exit "$fail"
