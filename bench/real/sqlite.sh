#!/bin/sh
# SQLite 3 (Debian source package sqlite3) with its own autoconf build, out of tree.
#
# usage: sqlite.sh prepare SRC PREP | build PREP DIR | test PREP DIR
# build env: CC, EXTRA_CFLAGS, EXTRA_LDFLAGS, JOBS; SQLITE_TESTFIXTURE=0 skips testfixture
#
# prepare copies the tree without the web site (www/) and runs autoconf, as debian/rules
# does (dh_autoreconf): Debian's 40-amalgamation_configure patch changes configure.ac only.
# build: `configure CC=... CFLAGS="-O2 ..."`, then `make speedtest1 testfixture` (the
# benchmark, and the Tcl test harness that runs SQLite's own test scripts).
set -eu
action=$1
case $action in
  prepare)
    src=$2 prep=$3
    rm -rf "$prep"
    mkdir -p "$prep"
    (cd "$src" && tar cf - --exclude=./www .) | tar xf - -C "$prep"
    cd "$prep"
    autoconf 2>/dev/null
    ;;
  build)
    prep=$2 dir=$3
    rm -rf "$dir"
    mkdir -p "$dir"
    cd "$dir"
    "$prep/configure" CC="$CC" CFLAGS="-O2 ${EXTRA_CFLAGS:-}" LDFLAGS="${EXTRA_LDFLAGS:-}"
    targets="speedtest1"
    [ "${SQLITE_TESTFIXTURE:-1}" = 0 ] || targets="$targets testfixture"
    # shellcheck disable=SC2086
    make -j"${JOBS:-2}" $targets
    ;;
  test)
    prep=$2 dir=$3
    cd "$dir"
    # extraquick.test: "minimal testing that runs in less than 3 minutes" (the Makefile's
    # quicktest). SQLite's suite refuses to run as root (attach.test checks that a mode-000
    # file is unwritable); as root it runs in a user namespace where it is uid 65534 and
    # has no capabilities over the files (they stay owned by the real root).
    as_user=""
    [ "$(id -u)" -ne 0 ] || as_user="unshare -U"
    $as_user ./testfixture "$prep/test/extraquick.test" >test.log 2>&1 || {
      tail -40 test.log
      exit 1
    }
    tail -5 test.log
    ;;
  *)
    echo "usage: $0 prepare SRC PREP | build PREP DIR | test PREP DIR" >&2
    exit 2
    ;;
esac
