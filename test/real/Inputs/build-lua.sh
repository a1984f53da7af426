#!/bin/sh
# Fetches Lua 5.4 (Debian source package, cached in CACHE) and builds it with its own
# Makefile and CC=HEAL_CC in OUT/lua (bench/real/lua.sh: upstream's `make linux`).
# usage: build-lua.sh SRCROOT CACHE OUT HEAL_CC
set -eu
root=$1 cache=$2 out=$3 cc=$4
src=$("$root/utils/fetch-source.sh" lua5.4 "$cache")
"$root/bench/real/lua.sh" prepare "$src" "$out/prep"
CC=$cc JOBS=2 "$root/bench/real/lua.sh" build "$out/prep" "$out/lua" >"$out/build.log" 2>&1 || {
  tail -30 "$out/build.log" >&2
  exit 1
}
