#!/bin/sh
# zlib (Debian source package zlib) with its own configure script and Makefile.
#
# usage: zlib.sh prepare SRC PREP | build PREP DIR | test PREP DIR
# build env: CC, EXTRA_CFLAGS, EXTRA_LDFLAGS, JOBS
#
# zlib's configure takes CC and CFLAGS from the environment (its default without CFLAGS
# is -O3; -O2 here like every other program). Its Makefile links with $(CFLAGS), and
# LDFLAGS reaches the shared library and the test programs.
set -eu
action=$1
case $action in
  prepare)
    src=$2 prep=$3
    rm -rf "$prep"
    cp -a "$src" "$prep"
    ;;
  build)
    prep=$2 dir=$3
    rm -rf "$dir"
    cp -a "$prep" "$dir"
    cd "$dir"
    CC="$CC" CFLAGS="-O2 ${EXTRA_CFLAGS:-}" LDFLAGS="${EXTRA_LDFLAGS:-}" ./configure
    make -j"${JOBS:-2}"
    ;;
  test)
    dir=$3
    cd "$dir"
    # zlib's own `make test`: example and minigzip, static and shared.
    make test
    ;;
  *)
    echo "usage: $0 prepare SRC PREP | build PREP DIR | test PREP DIR" >&2
    exit 2
    ;;
esac
