#!/usr/bin/env bash
# Installs what the build and tests need, only when missing or at the wrong version. Safe to run often:
# a machine that has everything spends well under a second here.
#   scripts/setup.sh tools     Rust wasm target, worker-build, wasm-bindgen-cli, npm packages
#   scripts/setup.sh browser   Debian chromium + chromium-driver (for the wasm and e2e tests)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

WORKER_BUILD_VERSION=0.8.7
# The CLI must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)

say() { printf 'setup: %s\n' "$*" >&2; }

# cargo_tool BINARY CRATE VERSION [cargo install flags...]
cargo_tool() {
  local bin=$1 crate=$2 version=$3
  shift 3
  # `worker-build --version` prints "0.8.7", `wasm-bindgen --version` prints "wasm-bindgen 0.2.130".
  if "$bin" --version 2>/dev/null | grep -Eq "(^| )${version//./\\.}\$"; then return; fi
  say "installing $crate $version (a few minutes, once)"
  cargo install "$crate" --version "$version" --force "$@"
}

tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  cargo_tool worker-build worker-build "$WORKER_BUILD_VERSION" --locked
  # Without --locked: the CLI's own lockfile pins a crate version this registry lacks.
  cargo_tool wasm-bindgen wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
  # npm ci when node_modules is missing or older than the lockfile.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

browser() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then return; fi
  say "installing Debian chromium and chromium-driver"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
}

case "${1:-}" in
  tools) tools ;;
  browser) browser ;;
  *) echo "usage: $0 tools|browser" >&2; exit 2 ;;
esac
