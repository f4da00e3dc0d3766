// Real-time figures for `make bench`: reply-to-DOM latency in the widget, and many visitors holding the stream.
import { execFileSync } from 'node:child_process';
import { startBrowser } from '../tests/e2e/harness.mjs';
import { percentile, replyLatencies, startChat } from '../tests/e2e/chat-page.mjs';
import { agentSays, connect, openSession } from '../tests/e2e/stream.mjs';

// BENCH_QUICK=1 shrinks the runs to check the harness itself (figures from it are not reported).
const quick = process.env.BENCH_QUICK === '1';
export const LATENCY_REPLIES = quick ? 5 : 100;
export const SCALE_VISITORS = process.env.BENCH_VISITORS?.split(',').map(Number) ?? (quick ? [20, 40] : [100, 500, 1000]);
export const IDLE_S = Number(process.env.BENCH_IDLE_S ?? (quick ? 5 : 60));

/** p50 / p95 of `LATENCY_REPLIES` agent replies, each from the core's API to the bubble in the widget's DOM. */
export async function replyToDom(stack) {
  const browser = await startBrowser();
  try {
    const chat = await startChat(stack, browser, 'Latency run');
    const ms = await replyLatencies(stack, chat, LATENCY_REPLIES);
    return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
  } finally {
    await browser.close();
  }
}

/** Runs `fn` over `items`, `width` at a time. */
async function pool(items, width, fn) {
  const out = [];
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  }));
  return out;
}

/** Resident memory of the edge's process group (wrangler and workerd), in MB. */
function edgeRssMb(pid) {
  const lines = execFileSync('ps', ['-eo', 'pgid=,rss='], { encoding: 'utf8' }).trim().split('\n');
  const kb = lines.map((l) => l.trim().split(/\s+/).map(Number)).filter(([g]) => g === pid).reduce((a, [, r]) => a + r, 0);
  return Math.round(kb / 1024);
}

/**
 * For each size: that many visitors hold the stream open, idle for `IDLE_S` (the core requests per second in
 * that window come from the simulator's log), then one agent reply to each; `delivered_pct` is how many
 * arrived within 15 s. Sessions are made once and reused across sizes.
 */
export async function scale(stack, log = () => {}) {
  const largest = Math.max(...SCALE_VISITORS);
  const sessions = await pool(Array.from({ length: largest }), 16, () => openSession(stack));
  const rows = [];
  for (const visitors of SCALE_VISITORS) {
    const clients = sessions.slice(0, visitors).map((s) => connect(stack, { token: s.token, conversation: s.conversation_id }));
    // Bounded: a socket that never gets ready counts as not delivered rather than stalling the run.
    await Promise.race([Promise.allSettled(clients.map((c) => c.ready)), new Promise((r) => setTimeout(r, 60000))]);
    await new Promise((r) => setTimeout(r, 2000)); // the poller's first look at new watches
    const before = (await stack.coreLog()).length;
    await new Promise((r) => setTimeout(r, IDLE_S * 1000));
    const idle = (await stack.coreLog()).length - before;
    const text = `scale ${visitors}`;
    await pool(sessions.slice(0, visitors), 16, (s) => agentSays(stack, s.conversation_id, text));
    const got = () => clients.filter((c) => c.messages().some((m) => m.text === text)).length;
    const deadline = Date.now() + 15000;
    while (got() < visitors && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    rows.push({ visitors, idle_core_rps: Math.round((idle / IDLE_S) * 100) / 100, delivered_pct: Math.round((got() / visitors) * 1000) / 10, edge_rss_mb: edgeRssMb(stack.edgePid) });
    log(rows.at(-1));
    await Promise.all(clients.map((c) => c.close()));
  }
  return rows;
}
