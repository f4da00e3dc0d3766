// Names every function of a wasm module after its rank when the functions are sorted by their code, so that
// binaryen's `--reorder-functions-by-name` then lays out look-alike functions side by side.
//   node scripts/order-functions.mjs <in.wasm> <out.wasm>
// Why: the main module is hundreds of copies of the same generic code (one per signal, effect and view type).
// Brotli encodes a repeat more cheaply the closer it is to the earlier copy, and the optimiser's order scatters
// them: sorted by their bytes, the first open's main module is about 2.3 KB brotli smaller (ARCHITECTURE.md,
// "Size work that paid"). Only the name section changes here: it is replaced by one holding the new function
// names (the build strips names once binaryen has used them; binaryen also sorts the imports by their own
// names then, which changes nothing, as imports are bound by name). Ties keep the order the functions come in,
// so the result is the same on every run. A module without code is copied as it is.
import fs from 'node:fs';

import { leb, readImportDesc, readLeb } from './wasm-binary.mjs';

const [inPath, outPath] = process.argv.slice(2);
if (!inPath || !outPath) {
  console.error('usage: node scripts/order-functions.mjs <in.wasm> <out.wasm>');
  process.exit(2);
}
const wasm = fs.readFileSync(inPath);
if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error(`${inPath} is not a wasm module`);

let at = 8;
function next() {
  const [value, after] = readLeb(wasm, at);
  at = after;
  return value;
}

// Functions are numbered imports first, so the defined ones start after the imported functions.
let importedFunctions = 0;
const bodies = [];
const kept = [];
while (at < wasm.length) {
  const sectionStart = at;
  const id = wasm[at++];
  const size = next();
  const start = at;
  let isNames = false;
  if (id === 2) {
    for (let n = next(); n > 0; n--) {
      for (const _ of ['module', 'field']) {
        const length = next();
        at += length;
      }
      const [kind, after] = readImportDesc(wasm, at);
      at = after;
      if (kind === 0) importedFunctions++;
    }
    if (at !== start + size) throw new Error(`${inPath}: the imports were misread (a type this script does not know?)`);
  } else if (id === 10) {
    for (let n = next(); n > 0; n--) {
      const length = next();
      bodies.push(wasm.subarray(at, at + length));
      at += length;
    }
  } else if (id === 0) {
    const length = next();
    isNames = wasm.subarray(at, at + length).toString() === 'name';
  }
  if (!isNames) kept.push(wasm.subarray(sectionStart, start + size));
  at = start + size;
}
if (bodies.length === 0) {
  fs.copyFileSync(inPath, outPath);
  process.exit(0);
}

const order = bodies.map((body, i) => ({ index: importedFunctions + i, body }))
  .sort((a, b) => Buffer.compare(a.body, b.body));
const width = String(order.length).length;
const rank = new Map(order.map((f, i) => [f.index, `f${String(i).padStart(width, '0')}`]));

// A name section with one subsection: function names (id 1), by ascending function index.
const entries = [leb(bodies.length)];
for (let i = 0; i < bodies.length; i++) {
  const index = importedFunctions + i;
  const name = Buffer.from(rank.get(index));
  entries.push(leb(index), leb(name.length), name);
}
const functionNames = Buffer.concat(entries);
const payload = Buffer.concat([leb(4), Buffer.from('name'), Buffer.from([1]), leb(functionNames.length), functionNames]);
fs.writeFileSync(outPath, Buffer.concat([wasm.subarray(0, 8), ...kept, Buffer.from([0]), leb(payload.length), payload]));
