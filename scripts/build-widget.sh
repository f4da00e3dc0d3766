#!/usr/bin/env bash
# Builds the widget: cargo (release, wasm32) -> wasm-bindgen (--target web) -> wasm-opt -Oz.
# Output: target/widget/sapa_widget.js and sapa_widget_bg.wasm. `make` decides whether to call this.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/widget
cargo build --release --target wasm32-unknown-unknown -p sapa-widget
mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" target/wasm32-unknown-unknown/release/sapa_widget.wasm
node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out/sapa_widget_bg.wasm" -o "$out/sapa_widget_bg.wasm"
