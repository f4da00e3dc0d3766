// Names every function of a wasm module after its rank when the functions are sorted by their code, so that
// binaryen's `--reorder-functions-by-name` then lays out look-alike functions side by side.
//   node scripts/order-functions.mjs <in.wasm> <out.wasm>
// Why: the main module is hundreds of copies of the same generic code (one per signal, effect and view type).
// Brotli encodes a repeat more cheaply the closer it is to the earlier copy, and the linker's order scatters
// them: sorted by their bytes, the first open's main module is about 2.3 KB brotli smaller (BENCHMARKS.md).
// The module is unchanged but for its name section, which is replaced by one holding the new function names
// (the build strips names afterwards). Ties keep the linker's order, so the result is the same on every run.
import fs from 'node:fs';

const [inPath, outPath] = process.argv.slice(2);
if (!inPath || !outPath) {
  console.error('usage: node scripts/order-functions.mjs <in.wasm> <out.wasm>');
  process.exit(2);
}
const wasm = fs.readFileSync(inPath);
if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error(`${inPath} is not a wasm module`);

let at = 8;
function leb() {
  let value = 0, shift = 0, byte;
  do {
    byte = wasm[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return value;
}
function toLeb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
}
function skipLimits() {
  const flags = wasm[at++];
  leb();
  if (flags & 1) leb();
}

// Functions are numbered imports first, so the defined ones start after the imported functions.
let importedFunctions = 0;
const bodies = [];
const kept = [];
while (at < wasm.length) {
  const sectionStart = at;
  const id = wasm[at++];
  const size = leb();
  const start = at;
  let isNames = false;
  if (id === 2) {
    for (let n = leb(); n > 0; n--) {
      for (const _ of ['module', 'field']) {
        const length = leb();
        at += length;
      }
      const kind = wasm[at++];
      if (kind === 0) { leb(); importedFunctions++; }
      else if (kind === 1) { at++; skipLimits(); }
      else if (kind === 2) skipLimits();
      else if (kind === 3) at += 2;
      else if (kind === 4) { at++; leb(); }
      else throw new Error(`import kind ${kind} is unknown to this script`);
    }
  } else if (id === 10) {
    for (let n = leb(); n > 0; n--) {
      const length = leb();
      bodies.push(wasm.subarray(at, at + length));
      at += length;
    }
  } else if (id === 0) {
    const length = leb();
    isNames = wasm.subarray(at, at + length).toString() === 'name';
  }
  if (!isNames) kept.push(wasm.subarray(sectionStart, start + size));
  at = start + size;
}
if (bodies.length === 0) throw new Error(`${inPath} has no code`);

const order = bodies.map((body, i) => ({ index: importedFunctions + i, body }))
  .sort((a, b) => Buffer.compare(a.body, b.body));
const width = String(order.length).length;
const rank = new Map(order.map((f, i) => [f.index, `f${String(i).padStart(width, '0')}`]));

// A name section with one subsection: function names (id 1), by ascending function index.
const entries = [toLeb(bodies.length)];
for (let i = 0; i < bodies.length; i++) {
  const index = importedFunctions + i;
  const name = Buffer.from(rank.get(index));
  entries.push(toLeb(index), toLeb(name.length), name);
}
const functionNames = Buffer.concat(entries);
const payload = Buffer.concat([toLeb(4), Buffer.from('name'), Buffer.from([1]), toLeb(functionNames.length), functionNames]);
fs.writeFileSync(outPath, Buffer.concat([wasm.subarray(0, 8), ...kept, Buffer.from([0]), toLeb(payload.length), payload]));
