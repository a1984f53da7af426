#!/bin/sh
# Installs what heal needs on Debian 12 (bookworm). Idempotent: does nothing when all
# packages are present, so `make check` stays quick on a prepared machine.
set -eu
PKGS="cmake make gcc g++ python3 llvm-19-dev clang-19 llvm-19-tools lld-19 libjansson-dev libsqlite3-dev libelf-dev pkg-config binutils autoconf automake dpkg-dev patch time gnuplot-nox tcl-dev python3-psutil"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || echo "install-deps: apt-get update failed; trying the cached package lists" >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
