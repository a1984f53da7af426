#!/bin/sh
# build.sh CC OUTDIR: builds calc into OUTDIR the way a Makefile would: separate
# compiles, an archive, the assembly file, and one link with the archive after the objects.
set -eu
CC=$1
OUT=$2
SRC=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"
cd "$OUT"
$CC -O2 -g -c -o main.o "$SRC/main.c"
$CC -O2 -g -c -o parse.o "$SRC/parse.c"
$CC -O2 -g -c -o ops.o "$SRC/ops.c"
$CC -O2 -g -c -o unused.o "$SRC/unused.c"
$CC -c -o scale.o "$SRC/scale.s"
rm -f libops.a
ar rcs libops.a ops.o unused.o
$CC -O2 -g -o calc main.o parse.o scale.o -L. -lops -Wl,--gc-sections
