# Sourced by the bench/*.sh micro-benchmarks: `bench_init SYNOPSIS "$@"` checks that a
# build directory was given (else prints "usage: SCRIPT SYNOPSIS" and exits 2) and sets
# BUILD (absolute), HERE (bench/), CLANG (the build's clang, as CMake found it) and OPT
# (next to it).
bench_init() {
  local synopsis=$1
  shift
  if [ $# -lt 1 ]; then
    echo "usage: $0 $synopsis" >&2
    exit 2
  fi
  BUILD=$(cd "$1" && pwd)
  HERE=$(cd "$(dirname "$0")" && pwd)
  CLANG=$(sed -n 's/^HEAL_CLANG:[A-Z]*=//p' "$BUILD/CMakeCache.txt" 2>/dev/null || true)
  CLANG=${CLANG:-/usr/lib/llvm-19/bin/clang}
  OPT=$(dirname "$CLANG")/opt
}
