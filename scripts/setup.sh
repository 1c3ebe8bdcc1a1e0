#!/usr/bin/env bash
# Installs what this machine lacks to build (`setup.sh build`) or also to test
# (`setup.sh test`) the package, and skips whatever is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

what=${1:-build}
have() { command -v "$1" >/dev/null 2>&1; }
step() { printf '==> setup: %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The CLI must be exactly the wasm-bindgen version in Cargo.lock, or the glue it writes
# does not match the crate.
want=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
got=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$got" != "$want" ]; then
  step "installing wasm-bindgen-cli $want (have: ${got:-none})"
  # --locked can name a dependency version the registry no longer serves (seen with
  # webpki-roots for 0.2.130); the unlocked resolution is the fallback.
  cargo install wasm-bindgen-cli --version "$want" --locked --force ||
    cargo install wasm-bindgen-cli --version "$want" --force
fi

if ! have wasm-pack; then
  step "installing wasm-pack"
  cargo install wasm-pack --locked
fi

# npm ci when node_modules is missing or older than the lock file. binaryen comes from npm:
# Debian's wasm-opt (108) writes modules that no longer load.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  npm ci --no-audit --no-fund
fi

[ "$what" = test ] || exit 0

if ! have chromium || ! have chromedriver; then
  step "installing Chromium and ChromeDriver from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
fi

# Firefox for tests/runtimes (puppeteer-core drives it over WebDriver BiDi).
if ! have firefox-esr; then
  step "installing Firefox ESR from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr
fi

if ! rustup toolchain list | grep -q '^nightly'; then
  step "installing the nightly toolchain (cargo fuzz needs it)"
  rustup toolchain install nightly --profile minimal
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  step "installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi
