#!/usr/bin/env bash
# Builds the widget: cargo (release, wasm32) -> wasm-bindgen (--target web) -> unused wasm exports removed
# (wasm-metadce) -> wasm-opt -Oz.
# Output: target/widget/sapa_widget.js and sapa_widget_bg.wasm. `make` decides whether to call this.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/widget
bin=node_modules/.bin
features="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals
  --enable-reference-types --enable-multivalue"
cargo build --release --target wasm32-unknown-unknown -p sapa-widget
mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out/raw" target/wasm32-unknown-unknown/release/sapa_widget.wasm

cp "$out/raw/sapa_widget.js" "$out/sapa_widget.js"

# Leptos always links server_fn's browser streams (wasm-streams): their wasm-bindgen classes are exported, so
# no optimiser may drop them, yet the widget never makes a stream. wasm-metadce keeps every other export as a
# root and removes those and all that only they reached (about 2 KB brotli).
node -e '
  const fs = require("fs");
  const [wasm, graph] = process.argv.slice(1);
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(fs.readFileSync(wasm))).map((e) => e.name);
  const roots = exports.filter((name) => !/^(__wbg_)?intounderlying|^_WASM_SPLIT_MARKER/.test(name));
  fs.writeFileSync(graph, JSON.stringify(roots.map((name) => ({ name, export: name, root: true }))));
  console.log(`widget: ${exports.length - roots.length} unused wasm exports removed`);
' "$out/raw/sapa_widget_bg.wasm" "$out/roots.json"
"$bin/wasm-metadce" $features -f "$out/roots.json" "$out/raw/sapa_widget_bg.wasm" -o "$out/sapa_widget_bg.wasm" >/dev/null
"$bin/wasm-opt" -Oz --converge $features "$out/sapa_widget_bg.wasm" -o "$out/sapa_widget_bg.wasm"
