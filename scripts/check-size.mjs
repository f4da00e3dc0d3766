// The product's size budgets, checked on every `make test` (sizes only, never timings):
//   loader (widget.js) <= 2 KB brotli, edge bundle <= 300 KB gzip: enforced (the run fails above them);
//   widget first open (wasm + glue) <= 100 KB brotli: reported. It is over budget today and tracked in the
//   benchmarks issue; enforcing it would stop every other change from landing.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const ROOT = path.resolve(import.meta.dirname, '..');
const br = (file) => zlib.brotliCompressSync(fs.readFileSync(file), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

const loader = br(path.join(ROOT, 'dist/www/widget.js'));
const appDir = fs.readdirSync(path.join(ROOT, 'dist/www/app')).map((d) => path.join(ROOT, 'dist/www/app', d))
  .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
const firstOpen = fs.readdirSync(appDir).reduce((sum, f) => sum + br(path.join(appDir, f)), 0);
const dry = execFileSync(path.join(ROOT, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', path.join(ROOT, 'dist/deploy')], {
  cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, encoding: 'utf8',
});
const gzKiB = Number(dry.match(/gzip:\s*([\d.]+)\s*KiB/)?.[1]);
if (!gzKiB) throw new Error(`no gzip size in wrangler's output:\n${dry}`);
const edge = Math.round(gzKiB * 1024);

const checks = [
  { what: 'loader (widget.js), brotli', bytes: loader, budget: 2_000, enforced: true },
  { what: 'edge bundle, gzip', bytes: edge, budget: 300_000, enforced: true },
  { what: 'widget first open (wasm + glue), brotli', bytes: firstOpen, budget: 100_000, enforced: false },
];
let failed = false;
for (const c of checks) {
  const over = c.bytes > c.budget;
  const verdict = !over ? 'ok' : c.enforced ? 'OVER BUDGET' : 'over budget (reported, see BENCHMARKS.md)';
  console.log(`size: ${c.what}: ${(c.bytes / 1000).toFixed(1)} KB of ${c.budget / 1000} KB: ${verdict}`);
  failed ||= over && c.enforced;
}
if (failed) process.exit(1);
