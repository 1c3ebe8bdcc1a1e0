#!/usr/bin/env bash
# Runs a test command, shows its output, and fails unless it reports at least one passed
# test and no failure. wasm-bindgen's runner prints "skipping" and exits 0 when a suite's
# mode does not match the run; that counts as a failure here.
set -uo pipefail
name=$1
shift
log=$(mktemp)
"$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# cargo and wasm-bindgen print "N passed"; node's test runner "# pass N" or "ℹ pass N".
passed=$(grep -Eo '[0-9]+ passed|^(# |ℹ )pass [0-9]+' "$log" | grep -Eo '[0-9]+' | awk '{s += $1} END {print s + 0}')
if [ "$status" != 0 ]; then
  echo "FAILED: $name exited with $status"
elif grep -qiE 'skipping|no tests to run|^(# |ℹ )(skipped|todo|cancelled) [1-9]|[1-9][0-9]* ignored' "$log"; then
  echo "FAILED: $name skipped its tests"; status=1
elif [ "$passed" -lt 1 ]; then
  echo "FAILED: $name ran no test"; status=1
else
  echo "OK: $name: $passed passed"
fi
rm -f "$log"
exit "$status"
