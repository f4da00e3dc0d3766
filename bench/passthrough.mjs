// Starts the bench's pass-through Worker (bench/passthrough/worker.js) with `wrangler dev` on free ports, as the
// e2e harness starts the edge: its own state directory, its vars in an env file, stopped by process group.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, freePort } from '../tests/e2e/harness.mjs';

const HERE = path.join(ROOT, 'bench/passthrough');

/**
 * `coreBaseUrl` and `coreKey`: Relasi.U's public API and its key. `rio` (optional): a respond.io Custom Channel,
 * `{ webhookUrl, channelId, token }`. Resolves to `{ origin, stop() }` once the Worker answers.
 */
export async function startPassthrough({ coreBaseUrl, coreKey, rio }) {
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapa-passthrough-'));
  // wrangler keeps its files beside its config: a copy in `dir`, pointing at the Worker in the repo.
  const config = path.join(dir, 'wrangler.toml');
  fs.writeFileSync(config, fs.readFileSync(path.join(HERE, 'wrangler.toml'), 'utf8')
    .replace(/^main = "(.*)"$/m, (_, main) => `main = ${JSON.stringify(path.join(HERE, main))}`));
  const envFile = path.join(dir, 'passthrough.env');
  const vars = { CORE_BASE_URL: coreBaseUrl, CORE_API_KEY: coreKey };
  if (rio) Object.assign(vars, { RIO_WEBHOOK_URL: rio.webhookUrl, RIO_CHANNEL_ID: rio.channelId, RIO_TOKEN: rio.token });
  fs.writeFileSync(envFile, `${Object.entries(vars).map(([k, v]) => `${k}='${v}'`).join('\n')}\n`);

  const logs = [];
  // detached: wrangler leads its own process group, so stopping the group also stops its workerd.
  const child = spawn(path.join(ROOT, 'node_modules/.bin/wrangler'), [
    'dev', '--config', config, '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort),
    '--env-file', envFile, '--persist-to', path.join(dir, 'state'), '--show-interactive-dev-session=false',
    '--log-level', 'warn',
  ], {
    cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  });
  child.stdout.on('data', (c) => logs.push(c));
  child.stderr.on('data', (c) => logs.push(c));
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async () => {
    if (!ended()) {
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
        }, 5000);
        child.once('exit', () => { clearTimeout(timer); resolve(); });
        try { process.kill(-child.pid, 'SIGTERM'); } catch { clearTimeout(timer); resolve(); }
      });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90000;
  for (;;) {
    try {
      if ((await fetch(`${origin}/health`)).ok) break;
    } catch { /* not up yet */ }
    if (ended() || Date.now() > deadline) {
      await stop();
      throw new Error(`the pass-through Worker did not come up at ${origin}\n${logs.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { origin, stop };
}
