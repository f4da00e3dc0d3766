// The product's size budgets, checked on every `make test` (sizes only, never timings), brotli as a CDN
// serves it unless said otherwise:
//   loader (widget.js) <= 2 KB and edge bundle <= 300 KB gzip (both cores' adapters): enforced;
//   widget first open (glue + main module + split loader: what a new visitor fetches from the click until the
//   composer takes input) <= 100 KB: enforced;
//   each part loaded on first use (widget/src/parts.rs), with the shared chunks it needs: reported by name.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const ROOT = path.resolve(import.meta.dirname, '..');
const FIRST_OPEN = ['sapa_widget.js', 'sapa_widget_bg.wasm', '__wasm_split.js'];

const br = (file) => zlib.brotliCompressSync(fs.readFileSync(file), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;

const loader = br(path.join(ROOT, 'dist/www/widget.js'));
const appDir = fs.readdirSync(path.join(ROOT, 'dist/www/app')).map((d) => path.join(ROOT, 'dist/www/app', d))
  .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
const size = Object.fromEntries(fs.readdirSync(appDir).map((f) => [f, br(path.join(appDir, f))]));
for (const f of FIRST_OPEN) if (!(f in size)) throw new Error(`${f} is missing from ${appDir}`);
const firstOpen = FIRST_OPEN.reduce((sum, f) => sum + size[f], 0);

// Each part's file and the shared chunks it waits for, as the split loader declares them.
const link = fs.readFileSync(path.join(appDir, '__wasm_split.js'), 'utf8');
const chunkFile = Object.fromEntries([...link.matchAll(/(\w+)=\w+\(\(\)=>\{[^}]*?"\.\/(chunk_\d+\.wasm)"/g)].map((m) => [m[1], m[2]]));
const parts = [...link.matchAll(/"\.\/split_(\w+)\.wasm"[^\]]*?\[([^\]]*)\]/g)].map(([, name, deps]) => {
  const files = [`split_${name}.wasm`, ...deps.split(',').map((d) => d.trim()).filter(Boolean).map((d) => chunkFile[d])];
  if (files.some((f) => !(f in size))) throw new Error(`part ${name}: a file it needs is missing (${files})`);
  return { name, files, bytes: files.reduce((sum, f) => sum + size[f], 0) };
});
const partFiles = fs.readdirSync(appDir).filter((f) => /^split_\w+\.wasm$/.test(f));
if (parts.length !== partFiles.length) throw new Error(`the split loader names ${parts.length} parts, the app has ${partFiles.length}`);
const everything = Object.values(size).reduce((a, b) => a + b, 0);

const dry = execFileSync(path.join(ROOT, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', path.join(ROOT, 'dist/deploy')], {
  cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, encoding: 'utf8',
});
const gzKiB = Number(dry.match(/gzip:\s*([\d.]+)\s*KiB/)?.[1]);
if (!gzKiB) throw new Error(`no gzip size in wrangler's output:\n${dry}`);
const edge = Math.round(gzKiB * 1024);

const checks = [
  { what: 'loader (widget.js), brotli', bytes: loader, budget: 2_000 },
  { what: 'edge bundle, gzip', bytes: edge, budget: 300_000 },
  { what: 'widget first open (glue + main + split loader)', bytes: firstOpen, budget: 100_000 },
];
let failed = false;
for (const c of checks) {
  const over = c.bytes > c.budget;
  console.log(`size: ${c.what}: ${kb(c.bytes)} of ${kb(c.budget)}: ${over ? 'OVER BUDGET' : 'ok'}`);
  failed ||= over;
}
for (const p of parts.sort((a, b) => b.bytes - a.bytes)) {
  console.log(`size: part "${p.name}" on first use: ${kb(p.bytes)} (${p.files.join(' + ')})`);
}
console.log(`size: the whole widget, every part loaded: ${kb(everything)}`);
if (failed) process.exit(1);
