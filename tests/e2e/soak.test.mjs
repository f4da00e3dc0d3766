// A chaos soak: visitors write through 5xx bursts, 429s, long core delays, answers dropped after commit and two
// edge restarts (one longer than the core's webhook retries), each write retried with its own id as the widget
// does, while agents reply. At the end the core's state is checked: nothing lost, nothing stored twice, no
// reply missing from any visitor's stream, one contact and one conversation per visitor.
// SOAK_MESSAGES (default 200) and SOAK_VISITORS (default 10) size it; SOAK_REPORT names a JSON file for figures.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { eventually, startStack } from './harness.mjs';
import { connect } from './stream.mjs';

const MESSAGES = Number(process.env.SOAK_MESSAGES ?? 200);
const VISITORS = Number(process.env.SOAK_VISITORS ?? 10);
const REPLY_EVERY = 4;
/** Each visitor spreads its messages over at least this long, so the faults and restarts fall among them. */
const SPREAD_MS = 30_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let stack;
before(async () => { stack = await startStack({ webhooks: true, vars: { SWEEP_INTERVAL_MS: '2000' } }); });
after(async () => { await stack?.stop(); });

const figures = { attempts: 0, retried: 0, statuses: {}, restarts: 0, faults: 0 };

/** One write, sent until it is stored, with the same body (and so the same id) each time, as the widget does. */
async function until201(send) {
  for (let attempt = 0; ; attempt++) {
    figures.attempts++;
    let status;
    let json;
    try {
      const res = await send();
      status = res.status;
      json = await res.json().catch(() => null);
    } catch {
      status = 'network';
    }
    figures.statuses[status] = (figures.statuses[status] ?? 0) + 1;
    if (status === 200 || status === 201) return json;
    if (typeof status === 'number' && status < 500 && status !== 429) {
      throw new Error(`refused for good: ${status} ${JSON.stringify(json)}`);
    }
    figures.retried++;
    await sleep(Math.min(2000, 100 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random() / 2));
  }
}

const edgePost = (path, body, token) => () => fetch(`${stack.edgeOrigin}${path}`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', Origin: stack.edgeOrigin, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  body: JSON.stringify(body),
});

const corePost = (route, body) => () => fetch(`${stack.simOrigin}/api/public/v1${route}`, {
  method: 'POST',
  headers: { Authorization: 'Bearer ru_test_e2e.end-to-end-tests-only', 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

/** A stream that reconnects from its cursor whenever it is cut, as the widget's does; keeps every message by id. */
function follow(session) {
  const seen = new Map();
  let cursor;
  let stopped = false;
  let client;
  const open = async () => {
    while (!stopped) {
      client = connect(stack, { token: session.token, conversation: session.conversation_id, cursor });
      client.ws.on('message', (data) => {
        const text = data.toString();
        if (text === 'pong') return;
        const frame = JSON.parse(text);
        if (frame.cursor) cursor = frame.cursor;
        if (frame.type === 'message') seen.set(frame.message.id, frame.message);
      });
      await client.closed;
      if (!stopped) await sleep(250 + Math.random() * 750);
    }
  };
  open();
  return { seen, stop: () => { stopped = true; return client?.close(); } };
}

async function chaos(done) {
  const rules = [
    { path: '/livechat/messages', fail_next: 3, status: 502 },
    { throttle_for_s: 1 },
    { path: '/livechat/messages', drop_after_commit: 2 },
    { path: '/livechat/messages', delay_ms: 6000 },
    { path: '/messages', fail_next: 2, status: 503 },
  ];
  // Every round runs at least once (both restarts among them), then more while visitors still write.
  let round = 0;
  while (round < 9 || !done()) {
    const rule = rules[round % rules.length];
    await stack.fault(rule);
    figures.faults++;
    await sleep(rule.delay_ms ? 1500 : 800);
    await stack.fault(null);
    if (round === 3) {
      // A short crash: workerd killed and started again.
      await stack.restartEdge();
      figures.restarts++;
    }
    if (round === 7) {
      // Down longer than the core retries its webhooks: those deliveries are lost for good.
      await stack.webhookSwitches({ attempts: 2, first_retry_ms: 200 });
      await stack.killEdge();
      await sleep(3000);
      await stack.restartEdge();
      await stack.webhookSwitches({});
      figures.restarts++;
    }
    round++;
    await sleep(300);
  }
}

test(`soak: ${VISITORS} visitors, ${MESSAGES} messages through faults and restarts`, { timeout: 30 * 60_000 }, async (t) => {
  const count = async (route) => (await stack.core('GET', `${route}?per_page=500`)).body.data.length;
  const [contactsBefore, conversationsBefore] = [await count('/contacts'), await count('/conversations')];
  const started = Date.now();
  let finished = false;
  const chaosDone = chaos(() => finished);

  const visitors = await Promise.all(Array.from({ length: VISITORS }, async () => {
    const session = await until201(edgePost('/v1/sessions', { site_id: 'demo', client_id: crypto.randomUUID() }));
    return { session, sent: [], replies: [], stream: follow(session) };
  }));
  await Promise.all(visitors.map(async (v, index) => {
    for (let i = index; i < MESSAGES; i += VISITORS) {
      const text = `soak ${i} from ${v.session.conversation_id}`;
      await until201(edgePost('/v1/messages', { client_id: crypto.randomUUID(), text }, v.session.token));
      v.sent.push(text);
      await sleep(SPREAD_MS / Math.ceil(MESSAGES / VISITORS) * Math.random() * 2);
      if (i % REPLY_EVERY === 0) {
        const reply = `reply to ${i}`;
        await until201(corePost('/messages/text', { client_request_id: crypto.randomUUID(), conversation_id: v.session.conversation_id, text: reply }));
        v.replies.push(reply);
      }
    }
  }));
  finished = true;
  await chaosDone;
  await stack.fault(null);
  const wrote = Date.now();

  let missing = [];
  await eventually(() => {
    missing = visitors.flatMap((v) => {
      const got = new Set([...v.stream.seen.values()].map((m) => m.text));
      return [...v.replies, ...v.sent].filter((text) => !got.has(text));
    });
    return missing.length === 0;
  }, { timeout: 60_000, interval: 500, what: 'every message on every stream' }).catch(() => {});
  const settled = Date.now();
  await Promise.all(visitors.map((v) => v.stream.stop()));

  let lost = 0;
  let doubled = 0;
  let stray = 0;
  for (const v of visitors) {
    const stored = (await stack.core('GET', `/messages?conversation_id=${v.session.conversation_id}&per_page=500`)).body.data;
    for (const text of [...v.sent, ...v.replies]) {
      const n = stored.filter((m) => m.text === text).length;
      if (n === 0) lost++;
      if (n > 1) doubled++;
    }
    stray += stored.length - v.sent.length - v.replies.length;
  }
  const extraContacts = (await count('/contacts')) - contactsBefore - VISITORS;
  const extraConversations = (await count('/conversations')) - conversationsBefore - VISITORS;
  const report = {
    visitors: VISITORS, messages: MESSAGES, replies: visitors.reduce((n, v) => n + v.replies.length, 0),
    lost, stored_twice: doubled, stray, missing_on_streams: missing.length, extra_contacts: extraContacts,
    extra_conversations: extraConversations, edge_restarts: figures.restarts, fault_rounds: figures.faults,
    requests: figures.attempts, retried: figures.retried, statuses: figures.statuses,
    write_s: Math.round((wrote - started) / 100) / 10, settle_s: Math.round((settled - wrote) / 100) / 10,
  };
  t.diagnostic(JSON.stringify(report));
  if (process.env.SOAK_REPORT) fs.writeFileSync(process.env.SOAK_REPORT, JSON.stringify(report, null, 2));
  assert.equal(figures.restarts, 2, 'both restarts happened during the writes');
  assert.deepEqual(
    { lost, doubled, stray, missing: missing.slice(0, 5), extraContacts, extraConversations },
    { lost: 0, doubled: 0, stray: 0, missing: [], extraContacts: 0, extraConversations: 0 },
  );
});
