#!/bin/bash
# make demo: the whole heal loop on the bundled HTTP server (examples/httpd), step by step.
#
#   1. build it with heal-cc, unchanged Makefile (sensor mode: the production binary)
#   2. it answers good requests; the attack crashes it (the sensor's report)
#   3. heal fix: Oracle replay, candidate patches, tests, ranking, deployment
#   4. the patched server survives the attack and keeps answering correctly
#   5. the incident as the administrator sees it
#
# usage: demo.sh [BUILD [OUT]]. Everything lands in OUT (default BUILD/demo; the store in
# OUT/.heal); nothing else is touched.
set -euo pipefail
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$BUILD" && pwd)
EX="$ROOT/examples/httpd"
OUT=${2:-$BUILD/demo}
HEAL="$BUILD/bin/heal"
rm -rf "$OUT" && mkdir -p "$OUT/reports"
OUT=$(cd "$OUT" && pwd)
cd "$OUT"
export HEAL_HOME="$OUT/.heal"

step() { printf '\n== %s\n' "$*"; }
say() { printf '$ %s\n' "$*"; }

SERVER_PID=
PORT=
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}
trap stop_server EXIT

# start_server LOG: runs ./httpd on a free port, waits until it listens.
start_server() {
  HEAL_REPORT_DIR="$OUT/reports" ./httpd 0 2>"$1" &
  SERVER_PID=$!
  PORT=
  for _ in $(seq 100); do
    PORT=$(sed -n 's/^httpd: listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$1")
    [ -n "$PORT" ] && return 0
    sleep 0.05
  done
  echo "demo: the server did not start:" >&2
  cat "$1" >&2
  exit 1
}

# request FILE: sends the request, prints the status line and body of the answer.
request() {
  local answer
  if ! exec 3<>"/dev/tcp/127.0.0.1/$PORT" 2>/dev/null; then
    echo "(connection refused: the server is gone)"
    return 1
  fi
  cat "$1" >&3
  answer=$(tr -d '\r' <&3 || true)
  exec 3<&-
  if [ -z "$answer" ]; then
    echo "(no answer: the connection was dropped)"
    return 1
  fi
  printf '%s\n' "$answer" | sed -n '1p;/^$/,$p' | sed '/^$/d' | sed 's/^/    /'
}

alive() { kill -0 "$SERVER_PID" 2>/dev/null; }

step "1. build examples/httpd with heal-cc (sensor mode), its own Makefile unchanged"
say "make -f examples/httpd/Makefile CC=heal-cc"
make -s -f "$EX/Makefile" CC="$BUILD/bin/heal-cc"

step "2. production: good requests are answered; the attack (a 200-byte path) crashes it"
start_server "$OUT/server1.log"
for r in index.req hello.req; do
  echo "GET $(head -n 1 "$EX/corpus/$r" | cut -d' ' -f2):"
  request "$EX/corpus/$r"
done
echo "the attack:"
request "$EX/attack.req" || true
for _ in $(seq 100); do # the report is written before the process dies: give it time
  alive || break
  sleep 0.05
done
if alive; then echo "demo: the attack did not crash the server" >&2; exit 1; fi
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=
echo "server log:"
sed 's/^/    /' "$OUT/server1.log"

step "3. heal fix: replay on the Oracle, candidate patches, tests, ranking, deployment"
say "heal fix ./httpd --tcp 0 --send attack.req --test 'sh test.sh' --corpus corpus --deploy -- '{PORT}'"
"$HEAL" fix ./httpd --tcp 0 --send "$EX/attack.req" --test "sh $EX/test.sh" \
  --corpus "$EX/corpus" --deploy -- '{PORT}' 2>&1 | grep -v '^heal fix: \(test\|build\): '

step "4. the patched server survives the attack and keeps answering correctly"
start_server "$OUT/server2.log"
echo "the attack:"
request "$EX/attack.req"
for r in index.req hello.req status.req; do
  [ -f "$EX/corpus/$r" ] || continue
  echo "GET $(head -n 1 "$EX/corpus/$r" | cut -d' ' -f2):"
  request "$EX/corpus/$r"
done
echo "the attack again:"
request "$EX/attack.req"
if ! alive; then echo "demo: the patched server died" >&2; exit 1; fi
echo "server log:"
sed 's/^/    /' "$OUT/server2.log"
stop_server

step "5. what the administrator sees"
say "heal incidents"
"$HEAL" incidents
say "heal show 1"
"$HEAL" show 1
