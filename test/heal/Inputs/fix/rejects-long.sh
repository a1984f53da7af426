#!/bin/sh
# Regression test: a value too long for confparse is a bad line, not an entry (exit 1,
# "0 entries, 1 bad lines"). A transaction that only cuts the copy short keeps the line as
# an entry with an empty value, and fails this test.
out=$("$HEAL_BINARY" < "$1")
status=$?
[ "$out" = "0 entries, 1 bad lines" ] && [ $status -eq 1 ] && exit 0
echo "FAIL: got status $status and: $out"
exit 1
