// Removes a crate's wasm-bindgen bindings from a linked (not yet split) module, so that nothing keeps its code:
//   node scripts/drop-bindings.mjs <in.wasm> <out.wasm> <crate> <export regex>
// Drops the exports whose names match the regex (the crate's classes and their descriptors) and the crate's
// entries in the `__wasm_bindgen_unstable` section (pairs of a version blob and a program, each prefixed by
// its little-endian u32 length; a program names its module path, `<crate>::…`). Every other byte is copied
// as it is, so the linker's relocations stay valid for wasm-split. Fails unless both were found, and if an
// export of a class the dropped programs name is left (a class the regex does not know would keep its code).
import fs from 'node:fs';

import { leb, readLeb } from './wasm-binary.mjs';

const [input, output, crate, pattern] = process.argv.slice(2);
if (!pattern) throw new Error('usage: drop-bindings.mjs <in.wasm> <out.wasm> <crate> <export regex>');
const exportsToDrop = new RegExp(pattern);
const crateName = Buffer.from(crate);
const wasm = fs.readFileSync(input);
let at = 8;
const uleb = () => {
  const [value, next] = readLeb(wasm, at);
  at = next;
  return value;
};
// A custom section's name, read without moving past it.
const customName = () => {
  const from = at;
  const length = uleb();
  const name = wasm.toString('utf8', at, at + length);
  at = from;
  return name;
};
const section = (id, content) => Buffer.concat([Buffer.from([id]), leb(content.length), content]);

const out = [wasm.subarray(0, 8)];
let droppedExports = 0;
let droppedPrograms = 0;
const keptExports = [];
const droppedText = [];
while (at < wasm.length) {
  const start = at;
  const id = wasm[at++];
  const size = uleb();
  const end = at + size;
  if (id === 7) {
    const kept = [];
    for (let n = uleb(); n > 0; n--) {
      const entry = at;
      const length = uleb();
      const name = wasm.toString('utf8', at, at + length);
      at += length + 1; // the name, then the kind byte
      uleb(); // the index
      if (exportsToDrop.test(name)) droppedExports++;
      else {
        kept.push(wasm.subarray(entry, at));
        keptExports.push(name);
      }
    }
    out.push(section(7, Buffer.concat([leb(kept.length), ...kept])));
  } else if (id === 0 && customName() === '__wasm_bindgen_unstable') {
    const nameStart = at;
    uleb();
    const name = wasm.subarray(nameStart, at + '__wasm_bindgen_unstable'.length);
    const data = wasm.subarray(nameStart + name.length, end);
    const kept = [];
    for (let i = 0; i < data.length; ) {
      const versionLength = data.readUInt32LE(i);
      const programLength = data.readUInt32LE(i + 4 + versionLength);
      const pair = data.subarray(i, i + 8 + versionLength + programLength);
      i += pair.length;
      const program = pair.subarray(8 + versionLength);
      if (program.includes(crateName)) {
        droppedPrograms++;
        droppedText.push(program.toString('latin1'));
      } else kept.push(pair);
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
// wasm-bindgen names a class's exports after the class, lowercased (`intounderlyingsink_write`).
const classes = new Set(droppedText.flatMap((text) => text.match(/[A-Z][A-Za-z0-9]{3,}/g) ?? []).map((c) => c.toLowerCase()));
const left = keptExports.filter((name) => {
  const bare = name.replace(/^(__wbg_|__wbindgen_describe_)/, '');
  return [...classes].some((c) => bare.startsWith(`${c}_`));
});
if (left.length) throw new Error(`drop-bindings: exports of ${crate}'s classes the regex missed: ${left.join(' ')}`);
fs.writeFileSync(output, Buffer.concat(out));
console.log(`widget: ${crate} dropped (${droppedExports} exports, ${droppedPrograms} binding descriptions)`);
