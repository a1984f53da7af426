#!/usr/bin/env bash
# Execution-transaction micro-benchmark: bench/txn.c built by heal-cc (-O2) with a policy
# that wraps tx_off (rollback off) and tx_on (rollback on); plain, sigsetjmp, regs,
# regs_body and inline_body are the baselines (bench/txn.c). Prints medians of interleaved
# samples (ns and instructions per call).
#
# usage: bench/txn.sh BUILD_DIR [CALLS_PER_SAMPLE [SAMPLES]]
set -euo pipefail
. "$(dirname "$0")/common.sh"
bench_init "BUILD_DIR [CALLS_PER_SAMPLE [SAMPLES]]" "$@"
shift
OUT=$BUILD/bench
mkdir -p "$OUT"
cat > "$OUT/txn-policy.json" <<'JSON'
{"version": 1, "transactions": [
  {"function": "tx_off", "rollback": false},
  {"function": "tx_on"}
]}
JSON
env -u HEAL_MODE HEAL_POLICY="$OUT/txn-policy.json" "$BUILD/bin/heal-cc" -O2 "$HERE/txn.c" -o "$OUT/txn"
"$OUT/txn" "$@"
