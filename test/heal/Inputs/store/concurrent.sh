#!/bin/sh
# concurrent.sh HEAL DIR WRITERS EACH: WRITERS heal processes record EACH incidents each,
# all at once, in the store DIR/home. Fails if any of them fails.
heal=$1 dir=$2 writers=$3 each=$4
export HEAL_HOME="$dir/home"
pids=""
w=0
while [ $w -lt "$writers" ]; do
  (
    i=0
    while [ $i -lt "$each" ]; do
      printf 'writer %s input %s\n' $w $i > "$dir/in-$w-$i"
      "$heal" record "$dir/prog" --report "$dir/report.json" --stdin "$dir/in-$w-$i" \
        -- "w$w" > /dev/null || exit 1
      i=$((i + 1))
    done
  ) &
  pids="$pids $!"
  w=$((w + 1))
done
status=0
for p in $pids; do
  wait "$p" || status=1
done
exit $status
