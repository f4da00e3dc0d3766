// Gives the main module's wasm-bindgen imports short names, in the wasm and in its glue alike.
//   node scripts/minify-imports.mjs <main.wasm> <glue.js>   (both rewritten in place)
// wasm-bindgen names each of its ~250 imports `__wbg_<name>_<16 hex>` under the module "./<crate>_bg.js", and
// both the wasm and the glue carry every name: about 6 KB brotli of a first open. Only that module's imports
// are renamed (the split loader's keep theirs: __wasm_split.js exports them by name), and the run fails unless
// every old name is found exactly once in the glue, so a wasm-bindgen upgrade cannot break it silently.
import fs from 'node:fs';

import { leb, readImportDesc, readLeb } from './wasm-binary.mjs';

const [wasmPath, gluePath] = process.argv.slice(2);
const BINDGEN_MODULE = './sapa_widget_bg.js';
const SHORT_MODULE = 'a';

const wasm = fs.readFileSync(wasmPath);
let glue = fs.readFileSync(gluePath, 'utf8');

const name = (text) => Buffer.concat([leb(Buffer.byteLength(text)), Buffer.from(text)]);
// a, b, ... z, A ... Z, aa, ab ...: short, valid JS identifiers.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const shortName = (i) => (i < ALPHABET.length ? ALPHABET[i] : shortName(Math.floor(i / ALPHABET.length) - 1) + ALPHABET[i % ALPHABET.length]);

if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error(`${wasmPath} is not a wasm module`);
const parts = [wasm.subarray(0, 8)];
let at = 8, renamed = 0;
while (at < wasm.length) {
  const id = wasm[at];
  const [size, body] = readLeb(wasm, at + 1);
  const end = body + size;
  if (id !== 2) {
    parts.push(wasm.subarray(at, end));
    at = end;
    continue;
  }
  // The import section: count, then (module, field, kind, type) each.
  let [count, p] = readLeb(wasm, body);
  const imports = [leb(count)];
  for (let i = 0; i < count; i++) {
    const [mlen, m0] = readLeb(wasm, p);
    const module = wasm.toString('utf8', m0, m0 + mlen);
    const [flen, f0] = readLeb(wasm, m0 + mlen);
    const field = wasm.toString('utf8', f0, f0 + flen);
    p = f0 + flen;
    // The import's kind and type, copied as they are.
    const descStart = p;
    [, p] = readImportDesc(wasm, p);
    if (module === BINDGEN_MODULE) {
      const short = shortName(renamed++);
      const key = new RegExp(`(?<=[\\s{,])${field}(?=:)`, 'g');
      const found = glue.match(key)?.length ?? 0;
      if (found !== 1) throw new Error(`minify-imports: ${field} is in the glue ${found} times, not once`);
      glue = glue.replace(key, short);
      imports.push(name(SHORT_MODULE), name(short));
    } else {
      imports.push(name(module), name(field));
    }
    imports.push(wasm.subarray(descStart, p));
  }
  if (p !== end) throw new Error('minify-imports: the import section did not parse to its end');
  const section = Buffer.concat(imports);
  parts.push(Buffer.from([2]), leb(section.length), section);
  at = end;
}
if (!renamed) throw new Error(`minify-imports: no import of ${BINDGEN_MODULE} in ${wasmPath} (already minified?)`);
const moduleKey = `"${BINDGEN_MODULE}": import0`;
if (!glue.includes(moduleKey)) throw new Error(`minify-imports: no ${moduleKey} in the glue`);
glue = glue.replace(moduleKey, `"${SHORT_MODULE}": import0`);
fs.writeFileSync(wasmPath, Buffer.concat(parts));
fs.writeFileSync(gluePath, glue);
console.log(`widget: ${renamed} import names shortened`);
