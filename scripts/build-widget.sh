#!/usr/bin/env bash
# Builds the widget for visitors:
#   cargo (release, wasm32, the pinned nightly building std for size, feature `split`)
#   -> bindings of a crate the widget never uses dropped (scripts/drop-bindings.mjs)
#   -> wasm-split-cli (each part in widget/src/parts.rs into its own file, what they share into chunks)
#   -> wasm-bindgen (--target web) on the main module
#   -> wasm-opt on every module (below) -> short import names in the main module and its glue.
# Output in target/widget: sapa_widget.js + sapa_widget_bg.wasm + __wasm_split.js (the first open), and
# split_<part>.wasm / chunk_<n>.wasm fetched when a part is first shown. `make` decides whether to call this.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/toolchain.env
final=target/widget
bin=node_modules/.bin
features="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals
  --enable-reference-types --enable-multivalue"

# Never a silent fallback to another compiler: the sizes the budget checks depend on it.
require_release_toolchain build-widget

# immediate-abort: a panic traps at once (no unwinding or panic message code); no file/line strings for
# panics; `{:?}` prints nothing (the widget never shows Debug output). --emit-relocs lets wasm-split move code.
# std's `optimize_for_size` picks its smaller implementations (sorting, formatting): 0.5 KB off the first open.
RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none -Clink-args=--emit-relocs" \
  cargo "+$RELEASE_TOOLCHAIN" build --release --target wasm32-unknown-unknown -p sapa-widget --features split \
  -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size

# Built aside and moved into place at the end: two runs at once (wrangler starts its build command twice) never
# work on each other's files, and a failed run leaves the last good build.
mkdir -p target
out=$(mktemp -d target/widget.XXXXXX)
trap 'rm -rf "$out"' EXIT
mkdir -p "$out/split" "$out/raw"
# Leptos always links server_fn's browser streams (the crate wasm-streams), which the widget never makes. Their
# wasm-bindgen classes are exports, so everything they reach would stay in the main module: drop the exports
# and the crate's binding descriptions before the split, which then leaves the code out (about 5 KB brotli).
node scripts/drop-bindings.mjs target/wasm32-unknown-unknown/release/sapa_widget.wasm "$out/raw/linked.wasm" \
  wasm_streams '^(__wbg_|__wbindgen_describe_)?intounderlying'
wasm-split-cli --out-name sapa_widget "$out/raw/linked.wasm" "$out/split"
# The split glue needs the function table and the memory exported: keep the linker's exports.
wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir "$out/raw" "$out/split/sapa_widget.wasm"

# wasm-bindgen imports the split loader once per function it provides, under one key: keep one import.
node -e '
  const fs = require("fs");
  const [from, to] = process.argv.slice(1);
  let glue = fs.readFileSync(from, "utf8");
  const names = [...glue.matchAll(/^import \* as (\w+) from "\.\/__wasm_split\.js"\n/gm)].map((m) => m[1]);
  for (const name of names.slice(1)) {
    glue = glue.replace(`import * as ${name} from "./__wasm_split.js"\n`, "")
      .replace(new RegExp(`\\s*"\\./__wasm_split\\.js": ${name},`), "");
  }
  fs.writeFileSync(to, glue);
' "$out/raw/sapa_widget.js" "$out/sapa_widget.js"
# wasm-split-cli lists the names the main module shares with the parts in a hash map's order, which changes from
# run to run; sorted, the same sources give the same files, so the app's content hash (and visitors' caches)
# survive a rebuild that changed nothing.
node -e '
  const fs = require("fs");
  const [from, to] = process.argv.slice(1);
  const sorted = (list) => list.split(",").map((n) => n.trim()).filter(Boolean).sort().join(", ");
  const out = fs.readFileSync(from, "utf8").replace(/\{ ((?:\w+, +)+)\}/g, (_, list) => `{ ${sorted(list)} }`);
  fs.writeFileSync(to, out);
' "$out/split/__wasm_split.js" "$out/__wasm_split.js"

# Tuned for brotli, which is what visitors download, not for raw bytes. binaryen inlines every function that has
# one caller by default: fewer, larger functions that share less with each other and compress worse (8.6 KB
# brotli of the first open); only those of up to 15 instructions are inlined here. Then the functions are laid
# out sorted by their code (scripts/order-functions.mjs), so the many copies of the same generic code sit side
# by side (2.3 KB). Names, the producers and the target features are not needed once optimised.
optimize() {
  "$bin/wasm-opt" -Oz --converge --one-caller-inline-max-function-size 15 $features "$1" -o "$2.opt"
  node scripts/order-functions.mjs "$2.opt" "$2.named"
  "$bin/wasm-opt" --reorder-functions-by-name --strip-debug --strip-producers --strip-target-features $features \
    "$2.named" -o "$2"
  rm "$2.opt" "$2.named"
}
optimize "$out/raw/sapa_widget_bg.wasm" "$out/sapa_widget_bg.wasm"
node scripts/minify-imports.mjs "$out/sapa_widget_bg.wasm" "$out/sapa_widget.js"
for part in "$out"/split/split_*.wasm "$out"/split/chunk_*.wasm; do
  [ -e "$part" ] || continue
  optimize "$part" "$out/$(basename "$part")"
done
echo "widget: $(ls "$out"/split_*.wasm 2>/dev/null | wc -l) parts loaded on first use"
rm -rf "$final"
mv "$out" "$final"
trap - EXIT
