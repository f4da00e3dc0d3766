#!/usr/bin/env bash
# Installs what the build and tests need, only when missing or at the wrong version. Safe to run often:
# a machine that has everything spends well under a second here.
#   scripts/setup.sh tools     Rust wasm target, the widget's pinned nightly (rust-src), worker-build,
#                              wasm-bindgen-cli, wasm-split-cli, npm packages
#   scripts/setup.sh browser   Debian chromium + chromium-driver (for the wasm and e2e tests)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

WORKER_BUILD_VERSION=0.8.7
WASM_SPLIT_VERSION=0.2.3
. scripts/toolchain.env
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
  nightly
  cargo_tool worker-build worker-build "$WORKER_BUILD_VERSION" --locked
  # Without --locked: the CLI's own lockfile pins a crate version this registry lacks.
  cargo_tool wasm-bindgen wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
  # wasm-split-cli prints no version: ask cargo what it installed.
  if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
    say "installing wasm_split_cli_support $WASM_SPLIT_VERSION (a minute, once)"
    cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked --force
  fi
  # npm ci when node_modules is missing or older than the lockfile.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# The pinned nightly and its std sources (-Zbuild-std). Its wasm32 std is never linked (std is built from the
# sources), but worker-build refuses a toolchain without it and would add it in the middle of the edge's build:
# it is added here, once, with the rest.
nightly() {
  local date
  date=$(toolchain_date "$RELEASE_TOOLCHAIN")
  if [ -z "$date" ] && [ "$RELEASE_TOOLCHAIN" = "$RELEASE_NIGHTLY_CHANNEL" ]; then
    say "installing the release builds' pinned nightly, $RELEASE_NIGHTLY_CHANNEL (minimal, with rust-src; once)"
    rustup toolchain install "$RELEASE_NIGHTLY_CHANNEL" --profile minimal --component rust-src \
      --target wasm32-unknown-unknown
    date=$(toolchain_date "$RELEASE_TOOLCHAIN")
  fi
  if [ "$date" != "$RELEASE_NIGHTLY_DATE" ]; then
    say "the release builds need the nightly of $RELEASE_NIGHTLY_DATE; toolchain '$RELEASE_TOOLCHAIN' is ${date:-missing}."
    say "Install it (rustup toolchain install $RELEASE_NIGHTLY_CHANNEL) or name it with RELEASE_TOOLCHAIN=..."
    exit 1
  fi
  if ! rustup component list --toolchain "$RELEASE_TOOLCHAIN" --installed | grep -qx rust-src; then
    say "adding rust-src to $RELEASE_TOOLCHAIN"
    rustup component add rust-src --toolchain "$RELEASE_TOOLCHAIN"
  fi
  if ! rustup target list --toolchain "$RELEASE_TOOLCHAIN" --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32 target to $RELEASE_TOOLCHAIN (worker-build checks for it)"
    rustup target add wasm32-unknown-unknown --toolchain "$RELEASE_TOOLCHAIN"
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
