#!/bin/sh
# GNU gzip (Debian source package gzip): the autotools program, built out of tree.
#
# usage: gzip.sh prepare SRC PREP | build PREP DIR | test PREP DIR
# build env: CC, EXTRA_CFLAGS, EXTRA_LDFLAGS, JOBS
#
# prepare runs autoreconf, as debian/rules does (Debian's disable-Werror patch changes
# configure.ac). Debian's reproducible-build patch touches doc/gzip.texi, which would make
# the build remake the manual with makeinfo; the shipped manual is marked current instead.
set -eu
action=$1
case $action in
  prepare)
    src=$2 prep=$3
    rm -rf "$prep"
    cp -a "$src" "$prep"
    cd "$prep"
    autoreconf >/dev/null 2>&1
    touch doc/stamp-vti doc/version.texi
    touch doc/gzip.info
    ;;
  build)
    prep=$2 dir=$3
    rm -rf "$dir"
    mkdir -p "$dir"
    cd "$dir"
    "$prep/configure" CC="$CC" CFLAGS="-O2 ${EXTRA_CFLAGS:-}" LDFLAGS="${EXTRA_LDFLAGS:-}"
    make -j"${JOBS:-2}"
    ;;
  test)
    dir=$3
    cd "$dir"
    # gzip's own `make check` (tests/: 26 scripts).
    make -j"${JOBS:-2}" check >test.log 2>&1 || {
      grep -E '^(FAIL|ERROR)' test.log
      find tests -name '*.log' -newer Makefile -exec grep -l '^FAIL' {} + 2>/dev/null | head -5
      tail -30 test.log
      exit 1
    }
    grep -E '^# (TOTAL|PASS|FAIL|SKIP|ERROR)' test.log
    ;;
  *)
    echo "usage: $0 prepare SRC PREP | build PREP DIR | test PREP DIR" >&2
    exit 2
    ;;
esac
