#!/usr/bin/env bash
# Runs a command with the mock gateway up on 127.0.0.1 (a free port) and its base URL in
# SEZZLE_MOCK_URL, which tests/client.rs reads at compile time; stops the mock by pid when
# the command ends, however it ends.
set -euo pipefail
dir=$(mktemp -d)
node pkg/mock.mjs --port 0 --url-file "$dir/url" > "$dir/log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 100); do
  [ -s "$dir/url" ] && break
  sleep 0.1
done
if [ ! -s "$dir/url" ]; then
  echo "the mock gateway did not start:"
  cat "$dir/log"
  exit 1
fi
SEZZLE_MOCK_URL=$(cat "$dir/url")
export SEZZLE_MOCK_URL
"$@"
