// The unsigned LEB128 numbers a wasm binary is made of, for the build's scripts that edit modules
// (drop-bindings.mjs, order-functions.mjs, minify-imports.mjs).

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
