#!/bin/bash
# Regression test of httpd: starts $HEAL_BINARY (default ./httpd) on a free port, sends
# the requests of corpus/ and checks every answer, then checks the server is still up.
# Prints "PASS" and exits 0, or says what differed and exits 1. Needs bash (its
# /dev/tcp is the client); `sh test.sh` re-runs itself with bash.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
DIR=$(cd "$(dirname "$0")" && pwd)
BIN=${HEAL_BINARY:-./httpd}
WORK=$(mktemp -d)
PID=
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

"$BIN" 0 2>"$WORK/log" &
PID=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/^httpd: listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$WORK/log")
  [ -n "$port" ] && break
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.05
done
if [ -z "$port" ]; then
  echo "FAIL: the server did not start:"; cat "$WORK/log"; exit 1
fi

fail=0
# fetch REQUEST-FILE: sends it, prints the answer (CRs removed) once the server closes.
fetch() {
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  cat "$DIR/corpus/$1" >&3
  tr -d '\r' <&3
  exec 3<&-
}
# check REQUEST EXPECTED-STATUS-LINE EXPECTED-BODY
check() {
  if ! fetch "$1" > "$WORK/resp" 2>/dev/null || ! [ -s "$WORK/resp" ]; then
    echo "FAIL: $1: no answer"; fail=1; return
  fi
  status=$(head -n 1 "$WORK/resp")
  body=$(sed '1,/^$/d' "$WORK/resp")
  if [ "$status" != "$2" ] || [ "$body" != "$3" ]; then
    echo "FAIL: $1: got '$status' / '$body', expected '$2' / '$3'"; fail=1
  fi
}
check index.req       "HTTP/1.0 200 OK"              "Welcome to heal's example server."
check status.req      "HTTP/1.0 200 OK"              "ok"
check hello.req       "HTTP/1.0 200 OK"              "Hello, heal!"
check hello-query.req "HTTP/1.0 200 OK"              "Hello, Ada Lovelace!"
check escaped.req     "HTTP/1.0 200 OK"              "Hello, world!"
check notfound.req    "HTTP/1.0 404 Not Found"       "not found"
check post.req        "HTTP/1.0 501 Not Implemented" "only GET is supported"
check bad.req         "HTTP/1.0 400 Bad Request"     "bad request"
check status.req      "HTTP/1.0 200 OK"              "ok"
if ! kill -0 "$PID" 2>/dev/null; then
  echo "FAIL: the server died"; fail=1
fi
[ "$fail" -eq 0 ] && echo PASS
exit "$fail"
