#!/usr/bin/env bash
# Assembles dist/www, the directory wrangler serves: www/ as it is, the loader minified with the app's
# content-hashed path baked in, and the widget under app/<hash>/ so it can be cached forever.
set -euo pipefail
cd "$(dirname "$0")/.."
hash=$(cat target/widget/sapa_widget.js target/widget/sapa_widget_bg.wasm | sha256sum | cut -c1-12)
out=dist/www
tmp=$(mktemp -d dist/www.XXXXXX)
cp -R www/. "$tmp/"
mkdir -p "$tmp/app/$hash"
cp target/widget/sapa_widget_bg.wasm "$tmp/app/$hash/"
# wasm-bindgen's glue, minified (every visitor downloads it with the wasm).
node_modules/.bin/esbuild target/widget/sapa_widget.js --minify --format=esm --log-level=warning \
  --outfile="$tmp/app/$hash/sapa_widget.js"
node_modules/.bin/esbuild www/widget.js --minify --log-level=warning \
  --define:SAPA_APP_PATH="\"app/$hash/\"" --outfile="$tmp/widget.js"
# Swap in one step, so wrangler never serves a half-written directory.
rm -rf "$out.old"
[ -d "$out" ] && mv "$out" "$out.old"
mv "$tmp" "$out"
rm -rf "$out.old"
echo "www: app/$hash, loader $(wc -c < "$out/widget.js") bytes"
