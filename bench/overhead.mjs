// The edge's cost per visitor message, per core, for `make bench`: the same send straight to the core, through
// the pass-through Worker (bench/passthrough/worker.js: the same runtime, forwarding only) and through the edge.
import crypto from 'node:crypto';
import { percentile } from '../tests/e2e/chat-page.mjs';
import { SIM_KEY } from '../tests/e2e/harness.mjs';
import { startPassthrough } from './passthrough.mjs';

/** Sends per core and path; BENCH_OVERHEAD_RUNS overrides it to try the measurement (not for reported figures). */
export const OVERHEAD_RUNS = Number(process.env.BENCH_OVERHEAD_RUNS ?? 500);
/** Sends per core and path before the measured ones (connections opened, code warmed), not counted. */
const WARMUP = 5;
/** The site each core is measured on: the stack must have both (`respondio: 'benchrio'` in startStack). */
export const OVERHEAD_SITES = { relasi: 'bench', respondio: 'benchrio' };
const CORE_NAMES = { relasi: 'Relasi.U', respondio: 'respond.io' };
const PATHS = ['direct', 'passthrough', 'edge'];

const round2 = (x) => Math.round(x * 100) / 100;
const post = (url, body, headers) => fetch(url, {
  method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body),
});

/** A visitor's session on `site`, and the three ways to send one message for it: `{direct, passthrough, edge}`. */
async function senders(stack, passthrough, core) {
  const site = OVERHEAD_SITES[core];
  const opened = await post(`${stack.edgeOrigin}/v1/sessions`, { site_id: site, client_id: crypto.randomUUID() }, { Origin: stack.edgeOrigin });
  if (!opened.ok) throw new Error(`session on ${site}: ${opened.status} ${await opened.text()}`);
  const session = await opened.json();
  // What the widget sends, to the edge and (the same request) to the pass-through.
  const widget = { Origin: stack.edgeOrigin, Authorization: `Bearer ${session.token}` };
  const visitor = (text) => ({ client_id: crypto.randomUUID(), text });
  const relay = `${passthrough.origin}/${core}/${encodeURIComponent(session.conversation_id)}/messages`;
  let direct;
  if (core === 'relasi') {
    direct = (text) => post(`${stack.simOrigin}/api/public/v1/livechat/messages`,
      { client_request_id: crypto.randomUUID(), conversation_id: session.conversation_id, text },
      { Authorization: `Bearer ${SIM_KEY}` });
  } else {
    // The edge names a respond.io conversation `rio.<site>.<contactId>`.
    const contactId = session.conversation_id.split('.').at(-1);
    direct = (text) => post(`${stack.rio.origin}/custom/channel/webhook/`, {
      channelId: stack.rio.channelId, contactId,
      events: [{ type: 'message', mId: crypto.randomUUID(), timestamp: Date.now(), message: { type: 'text', text } }],
    }, { Authorization: `Bearer ${stack.rio.token}` });
  }
  return {
    direct,
    passthrough: (text) => post(relay, visitor(text), widget),
    edge: (text) => post(`${stack.edgeOrigin}/v1/messages`, visitor(text), widget),
  };
}

/** One send, timed until its whole answer is read; an unexpected status throws. */
async function timed(core, how, send, text) {
  const t = performance.now();
  const res = await send(text);
  const body = await res.text();
  const ms = performance.now() - t;
  const ok = how === 'edge' ? res.status === 201 : res.status >= 200 && res.status < 300;
  if (!ok) throw new Error(`${CORE_NAMES[core]} ${how}: ${res.status} ${body}`);
  return ms;
}

/**
 * For each core, in one stack with the pass-through Worker beside it: `runs` iterations, each sending once
 * straight to the core, once through the pass-through and once through the edge, the order rotated every
 * iteration so none is always first. Returns per core the p50 / p95 of each, edge / pass-through (our code)
 * and pass-through / direct (the dev runtime's own cost).
 */
export async function edgeOverhead(stack, { runs = OVERHEAD_RUNS } = {}) {
  const passthrough = await startPassthrough({
    coreBaseUrl: `${stack.simOrigin}/api/public/v1`, coreKey: SIM_KEY,
    rio: { webhookUrl: `${stack.rio.origin}/custom/channel/webhook/`, channelId: stack.rio.channelId, token: stack.rio.token },
  });
  try {
    const cores = Object.keys(OVERHEAD_SITES);
    const send = Object.fromEntries(await Promise.all(cores.map(async (c) => [c, await senders(stack, passthrough, c)])));
    const ms = Object.fromEntries(cores.map((c) => [c, { direct: [], passthrough: [], edge: [] }]));
    for (let i = -WARMUP; i < runs; i++) {
      for (const core of cores) {
        for (let k = 0; k < PATHS.length; k++) {
          const how = PATHS[(((i + k) % PATHS.length) + PATHS.length) % PATHS.length];
          const t = await timed(core, how, send[core][how], `${how} ${i}`);
          if (i >= 0) ms[core][how].push(t);
        }
      }
    }
    return Object.fromEntries(cores.map((core) => {
      const m = ms[core];
      const fig = (how, p) => round2(percentile(m[how], p));
      const ratio = (a, b, p) => round2(percentile(m[a], p) / percentile(m[b], p));
      return [core, {
        runs,
        direct_p50_ms: fig('direct', 50), direct_p95_ms: fig('direct', 95),
        passthrough_p50_ms: fig('passthrough', 50), passthrough_p95_ms: fig('passthrough', 95),
        edge_p50_ms: fig('edge', 50), edge_p95_ms: fig('edge', 95),
        edge_vs_passthrough_p50: ratio('edge', 'passthrough', 50), edge_vs_passthrough_p95: ratio('edge', 'passthrough', 95),
        passthrough_vs_direct_p50: ratio('passthrough', 'direct', 50),
      }];
    }));
  } finally {
    await passthrough.stop();
  }
}

/** BENCHMARKS.md's rows for `results.edge_overhead`: `[figure, value, compared with]`. */
export function overheadRows(byCore) {
  return Object.entries(byCore).flatMap(([core, o]) => {
    const name = CORE_NAMES[core] ?? core;
    const how = `${o.runs} runs each, interleaved, order rotated`;
    return [
      [`Send on ${name}: straight to the core / pass-through Worker / edge, p50`, `${o.direct_p50_ms} / ${o.passthrough_p50_ms} / ${o.edge_p50_ms} ms`, how],
      [`Send on ${name}: straight to the core / pass-through Worker / edge, p95`, `${o.direct_p95_ms} / ${o.passthrough_p95_ms} / ${o.edge_p95_ms} ms`, how],
      [`Send on ${name}: edge / pass-through Worker, p50 / p95`, `${o.edge_vs_passthrough_p50}× / ${o.edge_vs_passthrough_p95}×`,
        `what the edge's own work costs; pass-through / direct p50 is ${o.passthrough_vs_direct_p50}× (the local runtime)`],
    ];
  });
}
