#!/bin/sh
# Fetches a Debian source package (`apt-get source`) into a cache outside the tracked files
# and prints the path of its unpacked tree. Idempotent and silent when already cached.
#
# usage: utils/fetch-source.sh PACKAGE [CACHE_DIR]
#   CACHE_DIR defaults to $HEAL_SOURCES, else <repo>/build/sources.
#
# `apt-get source` needs a deb-src entry: when the machine has none, one is derived from its
# own binary entries (same mirrors, suites and keys; Types: deb-src) and written to
# /etc/apt/sources.list.d/heal-deb-src.sources, then `apt-get update` runs once.
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 PACKAGE [CACHE_DIR]" >&2
  exit 2
fi
pkg=$1
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${2:-${HEAL_SOURCES:-$root/build/sources}}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
dest=$cache/$pkg

# Cached: the tree recorded by an earlier complete fetch.
if [ -f "$dest/.tree" ] && [ -d "$(cat "$dest/.tree")" ]; then
  cat "$dest/.tree"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
say() { echo "fetch-source: $*" >&2; }

command -v dpkg-source >/dev/null 2>&1 || {
  say "dpkg-source is missing (install dpkg-dev: utils/install-deps.sh)"
  exit 1
}

# --- a deb-src entry ----------------------------------------------------------------------
have_src() {
  grep -qs '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list && return 0
  grep -qs '^[[:space:]]*Types:.*deb-src' /etc/apt/sources.list.d/*.sources && return 0
  return 1
}

if ! have_src; then
  tmp=$(mktemp)
  # deb822 stanzas: keep those with Types: deb (and not Enabled: no), retype them deb-src.
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk '
      function flush() {
        if (n && deb && enabled) { for (i = 1; i <= n; i++) print s[i]; print "" }
        n = 0; deb = 0; enabled = 1
      }
      BEGIN { n = 0; deb = 0; enabled = 1 }
      /^[[:space:]]*$/ { flush(); next }
      /^#/ { next }
      /^Types:/ { if ($0 ~ /[[:space:]]deb([[:space:]]|$)/) deb = 1; s[++n] = "Types: deb-src"; next }
      /^Enabled:[[:space:]]*no/ { enabled = 0 }
      { s[++n] = $0 }
      END { flush() }' "$f" >>"$tmp"
  done
  # One-line format: deb ... -> deb-src ...
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f" >>"$tmp.list"
  done
  if [ -s "$tmp" ]; then
    $SUDO cp "$tmp" /etc/apt/sources.list.d/heal-deb-src.sources
    $SUDO chmod 644 /etc/apt/sources.list.d/heal-deb-src.sources
  elif [ -s "$tmp.list" ]; then
    $SUDO cp "$tmp.list" /etc/apt/sources.list.d/heal-deb-src.list
    $SUDO chmod 644 /etc/apt/sources.list.d/heal-deb-src.list
  else
    rm -f "$tmp" "$tmp.list"
    say "no Debian entry in /etc/apt to derive a deb-src entry from"
    exit 1
  fi
  rm -f "$tmp" "$tmp.list"
  say "added a deb-src entry to /etc/apt/sources.list.d/"
fi

# The Sources indexes exist once apt-get update has seen the deb-src entry.
if ! ls /var/lib/apt/lists/*_Sources* >/dev/null 2>&1; then
  say "apt-get update (source indexes)"
  $SUDO apt-get update -qq >/dev/null 2>&1 || {
    say "apt-get update failed"
    exit 1
  }
fi

# --- fetch and unpack ---------------------------------------------------------------------
work=$cache/.$pkg.tmp
rm -rf "$work"
mkdir -p "$work"
log=$cache/.$pkg.log
# As root, apt downloads unsandboxed and says so; the log keeps that out of sight.
if ! (cd "$work" && apt-get source -q "$pkg") >"$log" 2>&1; then
  cat "$log" >&2
  say "apt-get source $pkg failed"
  rm -rf "$work"
  exit 1
fi
tree=""
for d in "$work"/*/; do
  [ -d "$d" ] && tree=${d%/}
done
if [ -z "$tree" ]; then
  cat "$log" >&2
  say "apt-get source $pkg unpacked nothing"
  exit 1
fi
rm -rf "$dest"
mv "$work" "$dest"
echo "$dest/$(basename "$tree")" >"$dest/.tree"
rm -f "$log"
cat "$dest/.tree"
