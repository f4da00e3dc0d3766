// Starts a private stack for a test file: the simulator and `wrangler dev` (real workerd) on free ports,
// with their own secrets and state directory, and a headless Debian Chromium. Everything is stopped by PID.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SIM_KEY = 'ru_test_e2e.end-to-end-tests-only';
export const EDGE_LIMITED_KEY = 'ru_test_e2elimited.narrow-scopes-for-tests';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url, init, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, init);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not come up at ${url} within ${timeoutMs} ms (${last})`);
}

function launch(cmd, args, opts, logs, name) {
  // detached: the child leads its own process group, so stopping it also stops what it started (workerd).
  const child = spawn(cmd, args, { ...opts, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk) => logs.push(`[${name}] ${chunk}`);
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return child;
}

/** Whether a child has ended (a process killed by a signal has no exit code, only a signal code). */
const ended = (child) => child.exitCode !== null || child.signalCode !== null;

function stopGroup(child) {
  if (!child || ended(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }, 5000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    try { process.kill(-child.pid, 'SIGTERM'); } catch { resolve(); }
  });
}

/**
 * Starts the simulator and the edge. `sites(edgeOrigin)` may replace the default site configuration;
 * `keyScopes` (comma-separated) narrows what the edge's core key may do; `config` replaces wrangler.toml.
 * `webhooks: true` has the simulator sign and send its webhooks to the edge (else the edge polls).
 * `vars` adds Worker vars (e.g. `SWEEP_INTERVAL_MS`). `respondio` also starts respondio-sim with one Custom
 * Channel and makes a site a respond.io site on it (`stack.rio` drives it): `true` for `demo`, or a site id
 * (which `sites` must configure), so the other sites stay on Relasi.U.
 */
export async function startStack({ sites, keyScopes, secrets = {}, config, webhooks = false, vars = {}, respondio = false } = {}) {
  const [simPort, edgePort, inspectorPort] = [await freePort(), await freePort(), await freePort()];
  const rioSite = respondio === true ? 'demo' : respondio || null;
  const rioPort = rioSite ? await freePort() : null;
  const rio = rioSite ? {
    site: rioSite,
    origin: `http://127.0.0.1:${rioPort}`,
    channelId: 'sapa_e2e_channel',
    token: `rio_${crypto.randomBytes(16).toString('hex')}`,
    pathSecret: crypto.randomBytes(16).toString('hex'),
  } : null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapa-e2e-'));
  const logs = [];
  const simOrigin = `http://127.0.0.1:${simPort}`;
  const edgeOrigin = `http://127.0.0.1:${edgePort}`;
  const siteConfig = sites ? sites(edgeOrigin) : {
    demo: { name: 'Kopi Nusantara', origins: [edgeOrigin], greeting: 'Halo! Ask us about our beans.', color: '#8a4b2a' },
  };
  if (rio) {
    const site = siteConfig[rio.site];
    if (!site) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`respondio: no site ${rio.site} in the site configuration`);
    }
    const name = rio.site.toUpperCase().replace(/[^A-Z0-9]/g, '_'); // demo -> DEMO_RIO_TOKEN, DEMO_RIO_PATH
    site.core = 'respondio';
    site.respondio = {
      channel_id: rio.channelId, token_secret: `${name}_RIO_TOKEN`, path_secret: `${name}_RIO_PATH`,
      webhook_url: `${rio.origin}/custom/channel/webhook/`,
    };
    secrets = { ...secrets, [`${name}_RIO_TOKEN`]: rio.token, [`${name}_RIO_PATH`]: rio.pathSecret };
  }
  const envFile = path.join(dir, 'edge.env');
  const sessionSecret = crypto.randomBytes(32).toString('hex');
  const webhookSecret = webhooks ? crypto.randomBytes(24).toString('hex') : undefined;
  if (webhookSecret) secrets = { ...secrets, RELASI_WEBHOOK_SECRET: webhookSecret };
  fs.writeFileSync(envFile, [
    `CORE_API_KEY=${keyScopes ? EDGE_LIMITED_KEY : SIM_KEY}`,
    `SESSION_SECRET=${sessionSecret}`,
    // Single-quoted: dotenv takes it literally (unquoted, a '#' in a colour would start a comment).
    `SITES='${JSON.stringify(siteConfig).replaceAll("'", '\\u0027')}'`,
    ...Object.entries(secrets).map(([k, v]) => `${k}=${v}`),
    '',
  ].join('\n'));

  // The harness's own key (all scopes) plays the workspace; the edge's key may have fewer. The rate limit is
  // raised because the harness and the edge may share a key; the limit itself is tested in the sim's suite.
  const simKeys = ['--key', SIM_KEY, ...(keyScopes ? ['--key', `${EDGE_LIMITED_KEY}:${keyScopes}`] : [])];
  const hooks = webhookSecret ? ['--webhook', `${edgeOrigin}/webhooks/relasi,${webhookSecret}`] : [];
  const sim = launch(path.join(ROOT, 'target/debug/relasi-sim'), ['--listen', `127.0.0.1:${simPort}`, '--rate-limit', '1000', ...simKeys, ...hooks], {}, logs, 'sim');
  const rioSim = rio && launch(path.join(ROOT, 'target/debug/respondio-sim'), [
    '--listen', `127.0.0.1:${rioPort}`, '--rate-limit', '1000',
    '--channel', `${rio.channelId},${rio.token},${edgeOrigin}/core/respondio/${rio.site}/${rio.pathSecret}`,
  ], {}, logs, 'respondio');
  const startEdge = () => launch(path.join(ROOT, 'node_modules/.bin/wrangler'), [
    'dev', ...(config ? ['--config', config] : []), '--ip', '127.0.0.1', '--port', String(edgePort), '--inspector-port', String(inspectorPort),
    '--env-file', envFile, '--var', `CORE_BASE_URL:${simOrigin}/api/public/v1`, ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
    '--persist-to', path.join(dir, 'state'), '--show-interactive-dev-session=false', '--log-level', 'warn',
  ], { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' } }, logs, 'edge');
  let edge = startEdge();

  const stack = {
    simOrigin,
    edgeOrigin,
    logs,
    dir,
    sessionSecret,
    webhookSecret,
    /** The process group of `wrangler dev` and its workerd. */
    get edgePid() { return edge.pid; },
    /** Kills the edge (wrangler and workerd) as a crash would: its Durable Object state stays on disk. */
    async killEdge() {
      if (ended(edge)) return;
      await new Promise((resolve) => {
        edge.once('exit', resolve);
        try { process.kill(-edge.pid, 'SIGKILL'); } catch { resolve(); }
      });
    },
    /** Starts the edge again on the same port with the same state, and waits until it answers. */
    async restartEdge() {
      await stack.killEdge();
      edge = startEdge();
      await waitFor(`${edgeOrigin}/health`, {}, 90000, 'the restarted edge');
    },
    /** Sets the simulator's webhook switches (`/__sim/webhooks`): paused, duplicate, reverse, attempts… */
    async webhookSwitches(switches) {
      const res = await fetch(`${simOrigin}/__sim/webhooks`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(switches),
      });
      if (!res.ok) throw new Error(`webhook switches ${JSON.stringify(switches)}: ${res.status} ${await res.text()}`);
      return res.json();
    },
    /** Every call that reached the core: method, path, status, key id. */
    async coreLog() {
      return (await fetch(`${simOrigin}/__sim/log`)).json();
    },
    /** Sets simulator faults (`/__sim/faults`), or clears them with null. */
    async fault(rule) {
      const res = await fetch(`${simOrigin}/__sim/faults`, {
        method: rule ? 'POST' : 'DELETE',
        headers: { 'Content-Type': 'application/json' },
        body: rule ? JSON.stringify(rule) : undefined,
      });
      if (!res.ok) throw new Error(`fault ${JSON.stringify(rule)}: ${res.status}`);
    },
    /** Calls the simulator's public API with the core key, as the workspace would. */
    async core(method, route, body) {
      const res = await fetch(`${simOrigin}/api/public/v1${route}`, {
        method,
        headers: { Authorization: `Bearer ${SIM_KEY}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },
    /** respondio-sim: its site, origin, channel and secrets, and `call(method, path, body)` on its /__sim controls. */
    rio: rio && {
      ...rio,
      async call(method, route, body) {
        const res = await fetch(`${rio.origin}/__sim${route}`, {
          method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : null };
      },
    },
    async stop() {
      await Promise.all([stopGroup(edge), stopGroup(sim), ...(rioSim ? [stopGroup(rioSim)] : [])]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitFor(`${simOrigin}/api/public/v1/me`, { headers: { Authorization: `Bearer ${SIM_KEY}` } }, 15000, 'the simulator');
    if (rio) await waitFor(`${rio.origin}/__sim/switches`, {}, 15000, 'respondio-sim');
    await waitFor(`${edgeOrigin}/health`, {}, 90000, 'the edge');
  } catch (e) {
    await stack.stop();
    throw new Error(`${e.message}\n${logs.join('')}`);
  }
  return stack;
}

/**
 * One call to the edge as a page on `origin` (the edge's own by default) would make it: `json` or `raw` goes
 * as an application/json body (unless `headers` says otherwise), `form` as multipart, `token` as the bearer.
 * Answers the status, the headers, the text and, when the text is JSON, its value (else null).
 */
export async function callEdge(stack, method, route, { json, raw, form, token, headers = {}, origin } = {}) {
  const h = { Origin: origin ?? stack.edgeOrigin, ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  let body = form ?? raw;
  if (json !== undefined) body = JSON.stringify(json);
  if ((json !== undefined || raw !== undefined) && !('Content-Type' in h)) h['Content-Type'] = 'application/json';
  const res = await fetch(`${stack.edgeOrigin}${route}`, { method, headers: h, body });
  const text = await res.text();
  let parsed = null;
  try { parsed = JSON.parse(text); } catch { /* not JSON: callers assert on the status or the text */ }
  return { status: res.status, json: parsed, headers: res.headers, text };
}

/** Where tests keep screenshots of what they saw (a CI artifact; git ignores it). */
export const SCREENSHOTS = path.join(ROOT, 'tests/e2e/.artifacts/screenshots');

/** A fresh headless Chromium profile; `device` takes Playwright's context options (viewport, isMobile…). */
export async function startBrowser(device = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sapa-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    ...device,
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    ],
  });
  context.setDefaultTimeout(15000);
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * One stack and one browser for a test file: started before its first test, every tab closed after each test
 * (a failed test leaves no tab behind to share the site's storage with the next), both stopped after the last.
 * `options` go to startStack, `device` to startBrowser. The returned object's `stack` and `browser` are set
 * once started.
 */
export function useStack(options = {}, device = {}) {
  const env = { stack: null, browser: null };
  before(async () => {
    env.stack = await startStack(options);
    env.browser = await startBrowser(device);
  });
  afterEach(async () => {
    for (const page of env.browser?.context.pages() ?? []) await page.close();
  });
  after(async () => {
    await env.browser?.close();
    await env.stack?.stop();
  });
  return env;
}

/**
 * Makes the next visit to `origin` a new visitor's: clears its storage from a page without the widget.
 * (Clearing from a page with the widget races with the app, which may write its state back before a reload.)
 */
export async function forgetOrigin(page, origin) {
  await page.goto(`${origin}/`); // the edge's own index page: no widget on it
  await page.evaluate(() => localStorage.clear());
}

/** Polls `fn` until it returns a truthy value. */
export async function eventually(fn, { timeout = 10000, interval = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/** Signs session claims as the edge does (tests that need expired or cross-site tokens know the secret). */
export function signToken(claims, secret) {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const tag = crypto.createHmac('sha256', secret).update(`v1.${payload}`).digest('base64url');
  return `v1.${payload}.${tag}`;
}

/** The site owner's server side of identity verification: hex HMAC-SHA256(user_id). */
export function userHash(userId, secret) {
  return crypto.createHmac('sha256', secret).update(userId).digest('hex');
}
