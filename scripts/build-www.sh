#!/usr/bin/env bash
# Assembles dist/www, the directory wrangler serves: www/ as it is, the loader minified with the app's
# content-hashed path baked in, and the widget under app/<hash>/ so it can be cached forever.
set -euo pipefail
cd "$(dirname "$0")/.."
# The app: the first open (glue, main module, split loader) and the parts fetched on first use.
files=$(cd target/widget && ls sapa_widget.js __wasm_split.js ./*.wasm)
hash=$(cd target/widget && cat $files | sha256sum | cut -c1-12)
out=dist/www
tmp=$(mktemp -d dist/www.XXXXXX)
cp -R www/. "$tmp/"
mkdir -p "$tmp/app/$hash"
cp target/widget/*.wasm "$tmp/app/$hash/"
# wasm-bindgen's glue and the split loader, minified (every visitor downloads them with the wasm).
for js in sapa_widget.js __wasm_split.js; do
  node_modules/.bin/esbuild "target/widget/$js" --minify --format=esm --log-level=warning --outfile="$tmp/app/$hash/$js"
done
node_modules/.bin/esbuild www/widget.js --minify --charset=utf8 --log-level=warning \
  --define:SAPA_APP_PATH="\"app/$hash/\"" --outfile="$tmp/widget.js"
# Swap in one step, so wrangler never serves a half-written directory.
rm -rf "$out.old"
[ -d "$out" ] && mv "$out" "$out.old"
mv "$tmp" "$out"
rm -rf "$out.old"
echo "www: app/$hash, loader $(wc -c < "$out/widget.js") bytes"
