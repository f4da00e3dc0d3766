// Removes a crate's wasm-bindgen bindings from a linked (not yet split) module, so that nothing keeps its code:
//   node scripts/drop-bindings.mjs <in.wasm> <out.wasm> <crate> <export regex>
// Drops the exports whose names match the regex and the crate's entries in the `__wasm_bindgen_unstable`
// section (pairs of a version blob and a program, each prefixed by its little-endian u32 length; a program
// names its crate). Every other byte is copied as it is, so the linker's relocations stay valid for
// wasm-split. Fails unless both were found: a dependency that renamed them is noticed, not silently kept.
import fs from 'node:fs';

const [input, output, crate, pattern] = process.argv.slice(2);
if (!pattern) throw new Error('usage: drop-bindings.mjs <in.wasm> <out.wasm> <crate> <export regex>');
const exportsToDrop = new RegExp(pattern);
const crateName = Buffer.from(crate);
const wasm = fs.readFileSync(input);
let at = 8;
const uleb = () => {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = wasm[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) return value;
  }
};
const encode = (n) => {
  const bytes = [];
  do {
    const low = n % 128;
    n = Math.floor(n / 128);
    bytes.push(n ? low | 0x80 : low);
  } while (n);
  return Buffer.from(bytes);
};
const section = (id, content) => Buffer.concat([Buffer.from([id]), encode(content.length), content]);

const out = [wasm.subarray(0, 8)];
let droppedExports = 0;
let droppedPrograms = 0;
while (at < wasm.length) {
  const start = at;
  const id = wasm[at++];
  const end = uleb() + at;
  if (id === 7) {
    const kept = [];
    for (let n = uleb(); n > 0; n--) {
      const entry = at;
      const length = uleb();
      const name = wasm.toString('utf8', at, at + length);
      at += length + 1; // the name, then the kind byte
      uleb(); // the index
      if (exportsToDrop.test(name)) droppedExports++;
      else kept.push(wasm.subarray(entry, at));
    }
    out.push(section(7, Buffer.concat([encode(kept.length), ...kept])));
  } else if (id === 0 && wasm.toString('utf8', at + 1, at + 1 + wasm[at]) === '__wasm_bindgen_unstable') {
    const name = wasm.subarray(at, at + 1 + wasm[at]);
    const data = wasm.subarray(at + name.length, end);
    const kept = [];
    for (let i = 0; i < data.length; ) {
      const versionLength = data.readUInt32LE(i);
      const programLength = data.readUInt32LE(i + 4 + versionLength);
      const pair = data.subarray(i, i + 8 + versionLength + programLength);
      i += pair.length;
      if (pair.subarray(8 + versionLength).includes(crateName)) droppedPrograms++;
      else kept.push(pair);
    }
    out.push(section(0, Buffer.concat([name, ...kept])));
  } else {
    out.push(wasm.subarray(start, end));
  }
  at = end;
}
if (!droppedExports || !droppedPrograms) {
  throw new Error(`drop-bindings: found ${droppedExports} exports and ${droppedPrograms} programs of ${crate}`);
}
fs.writeFileSync(output, Buffer.concat(out));
console.log(`widget: ${crate} dropped (${droppedExports} exports, ${droppedPrograms} binding descriptions)`);
