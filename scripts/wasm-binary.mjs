// Reading and writing the wasm binary format, for the build's scripts that edit modules (drop-bindings.mjs,
// order-functions.mjs, minify-imports.mjs): unsigned LEB128 numbers and the imports' descriptions.

/** The number at `buf[at]`, and the offset just past it: `[value, next]`. */
export function readLeb(buf, at) {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = buf[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) return [value, at];
  }
}

/** The bytes of `value` as an unsigned LEB128 number. */
export function leb(value) {
  const bytes = [];
  do {
    const low = value % 128;
    value = Math.floor(value / 128);
    bytes.push(value ? low | 0x80 : low);
  } while (value);
  return Buffer.from(bytes);
}

/** Reads one import's description (its kind byte at `buf[at]`, then its type): `[kind, next]`, where `next` is the
 *  offset just past it. Kinds: 0 function, 1 table, 2 memory, 3 global, 4 tag; any other stops the build. */
export function readImportDesc(buf, at) {
  const kind = buf[at++];
  // Flags, the minimum, and the maximum if flags say there is one.
  const limits = () => {
    const flags = buf[at++];
    [, at] = readLeb(buf, at);
    if (flags & 1) [, at] = readLeb(buf, at);
  };
  if (kind === 0) [, at] = readLeb(buf, at); // type index
  else if (kind === 1) { at += 1; limits(); } // element type, limits
  else if (kind === 2) limits();
  else if (kind === 3) at += 2; // value type, mutability
  else if (kind === 4) [, at] = readLeb(buf, at + 1); // attribute, type index
  else throw new Error(`an import of unknown kind ${kind}`);
  return [kind, at];
}
