// Writes `make soak`'s figures: bench/soak.json, and the soak section of BENCHMARKS.md (between its markers,
// which `make bench` keeps when it rewrites the rest).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const [soakFile, fuzzFile] = process.argv.slice(2);
const read = (file) => (file && fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null);
const soak = read(soakFile);
const fuzz = read(fuzzFile) ?? [];
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
const date = new Date().toISOString().slice(0, 10);
fs.writeFileSync(path.join(ROOT, 'bench/soak.json'), `${JSON.stringify({ date, commit, soak, fuzz }, null, 2)}\n`);

const soakRows = soak ? [
  ['visitors / messages / agent replies', `${soak.visitors} / ${soak.messages} / ${soak.replies}`],
  ['lost / stored twice / stray in the core', `${soak.lost} / ${soak.stored_twice} / ${soak.stray}`],
  ['agent replies or messages missing on a visitor\'s stream', `${soak.missing_on_streams}`],
  ['extra contacts / extra conversations', `${soak.extra_contacts} / ${soak.extra_conversations}`],
  ['edge restarts / fault rounds', `${soak.edge_restarts} / ${soak.fault_rounds}`],
  ['requests sent / retried', `${soak.requests} / ${soak.retried}`],
  ['answers seen', Object.entries(soak.statuses).map(([k, v]) => `${k}: ${v}`).join(', ')],
  ['writing / settling after the last write', `${soak.write_s} s / ${soak.settle_s} s`],
] : [['soak', 'did not finish (see the run\'s output)']];
const fuzzRows = fuzz.map((f) => [`fuzz \`${f.target}\``, `${f.executions} executions in ${f.seconds} s, ${f.crashes.length} crashes`]);
const section = `<!-- soak -->
## Soak and fuzz (\`make soak\`, ${date}, commit \`${commit}\`)

Visitors write through 5xx bursts, 429s, 6 s core delays, answers dropped after commit and two edge restarts
(the second longer than the core's webhook retries), each write retried with its own id as the widget does,
while agents reply. Every figure is read from the simulator's state and the visitors' streams at the end.

| figure | value |
|---|---|
${[...soakRows, ...fuzzRows].map((r) => `| ${r.join(' | ')} |`).join('\n')}
<!-- /soak -->`;

const file = path.join(ROOT, 'BENCHMARKS.md');
const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
const next = /<!-- soak -->[\s\S]*<!-- \/soak -->/.test(text)
  ? text.replace(/<!-- soak -->[\s\S]*<!-- \/soak -->/, section)
  : `${text.trimEnd()}\n\n${section}\n`;
fs.writeFileSync(file, next);
console.log(section);
