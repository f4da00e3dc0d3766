#!/usr/bin/env bash
# Builds the edge for deployment: worker-build (release, wasm32, on the pinned nightly that builds std for size)
# -> the function-name section stripped. Output in edge/build (the shim wrangler serves). `make` decides whether
# to call this.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/toolchain.env
# The pinned tools `make setup` installed (as the Makefile sets them), so worker-build never downloads its own.
export WASM_BINDGEN_BIN="${WASM_BINDGEN_BIN:-$HOME/.cargo/bin/wasm-bindgen}"
export WASM_OPT_BIN="${WASM_OPT_BIN:-$PWD/node_modules/.bin/wasm-opt}"
export ESBUILD_BIN="${ESBUILD_BIN:-$PWD/node_modules/.bin/esbuild}"
# Never a silent fallback to another compiler: the edge's size budget depends on it.
require_release_toolchain build-edge

# immediate-abort: a panic traps at once, with no panic-message or unwinding code (worker-build's shim sees
# the trap, logs it as "Critical" and gives the next request a fresh instance); no file/line strings for
# panics. Debug formatting stays: the edge's log lines print JavaScript errors with it. Together about 21 KB
# gzip off the bundle (the figures are in ARCHITECTURE.md, "The edge's bundle"). std's `optimize_for_size`
# picks its smaller implementations (sorting, formatting), 5 KB gzip less: the edge's inputs are small.
(
  cd edge
  RUSTUP_TOOLCHAIN="$RELEASE_TOOLCHAIN" CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
    CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size \
    RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none" \
    worker-build --release
)
# worker-build keeps the function-name section (a sixth of the module, unused in production): strip it.
"$WASM_OPT_BIN" --strip-debug --strip-producers edge/build/index_bg.wasm -o edge/build/index_bg.wasm
