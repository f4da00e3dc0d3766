// The edge's real-time side over real sockets (Node `ws` clients, as a widget would connect), in webhook mode
// and in poll mode: live delivery, catch-up by cursor, webhook verification and deduplication, and refusals.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually, signToken, startStack } from './harness.mjs';
import { agentSays, connect, deliver, openSession, visitorSays } from './stream.mjs';

const texts = (client) => client.messages().map((m) => m.text);

describe('webhook mode', () => {
  let stack;
  before(async () => { stack = await startStack({ webhooks: true }); });
  after(async () => { await stack?.stop(); });

  test('health says so', async () => {
    const health = await (await fetch(`${stack.edgeOrigin}/health`)).json();
    assert.equal(health.realtime, 'webhooks');
  });

  test('an agent reply is pushed live, and the visitor\'s own message once (echo and webhook are one event)', async () => {
    const session = await openSession(stack);
    const tab = connect(stack, { token: session.token, conversation: session.conversation_id });
    const otherTab = connect(stack, { token: session.token, conversation: session.conversation_id });
    await Promise.all([tab.ready, otherTab.ready]);
    const sent = await visitorSays(stack, session, 'Do you ship to Bandung?');
    await agentSays(stack, session.conversation_id, 'Yes, in two days.');
    await eventually(() => texts(tab).includes('Yes, in two days.'), { what: 'the reply' });
    await eventually(() => texts(otherTab).includes('Yes, in two days.'), { what: 'the reply in the other tab' });
    assert.deepEqual(texts(otherTab), ['Do you ship to Bandung?', 'Yes, in two days.'], 'every tab, once each');
    await otherTab.close();
    // Give the core's webhook for the visitor message time to arrive: it must not add a second copy.
    await eventually(async () => (await (await fetch(`${stack.simOrigin}/__sim/webhooks`)).json()).attempts.length >= 3, { what: 'webhooks sent' });
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(texts(tab), ['Do you ship to Bandung?', 'Yes, in two days.']);
    assert.equal(tab.messages()[0].client_id, sent.client_id);
    const agent = tab.messages()[1];
    assert.equal(agent.author.kind, 'agent');
    // The replies came by webhook: the only reads of the core's messages are the connects' reconciliation,
    // one read shared by both tabs (or two, if they reached the hub more than a second apart).
    const reads = (await stack.coreLog()).filter((e) => e.method === 'GET' && e.path.startsWith('/messages'));
    assert.ok(reads.length >= 1 && reads.length <= 2, JSON.stringify(reads));
    await tab.close();
  });

  test('a reconnecting widget gets exactly what it missed, in order, from its cursor', async () => {
    const session = await openSession(stack);
    const first = connect(stack, { token: session.token, conversation: session.conversation_id });
    await first.ready;
    await agentSays(stack, session.conversation_id, 'one');
    await eventually(() => texts(first).includes('one'));
    const cursor = first.cursor;
    await first.close();
    await agentSays(stack, session.conversation_id, 'two');
    await agentSays(stack, session.conversation_id, 'three');
    await new Promise((r) => setTimeout(r, 500));
    const again = connect(stack, { token: session.token, conversation: session.conversation_id, cursor });
    await again.ready;
    assert.deepEqual(texts(again), ['two', 'three']);
    assert.equal(again.frames.at(-1).type, 'ready');
    await again.close();
  });

  test('duplicated and reversed deliveries give one event each', async () => {
    const session = await openSession(stack);
    const tab = connect(stack, { token: session.token, conversation: session.conversation_id });
    await tab.ready;
    const switches = (body) => fetch(`${stack.simOrigin}/__sim/webhooks`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    await switches({ paused: true });
    await agentSays(stack, session.conversation_id, 'first');
    await new Promise((r) => setTimeout(r, 20));
    await agentSays(stack, session.conversation_id, 'second');
    await switches({ paused: false, duplicate: true, reverse: true });
    await eventually(() => tab.messages().length >= 2, { what: 'both replies' });
    await new Promise((r) => setTimeout(r, 800));
    await switches({});
    assert.equal(tab.messages().length, 2, 'each reply once');
    const [a, b] = tab.messages();
    assert.deepEqual([a.text, b.text], ['second', 'first'], 'arrival order was reversed');
    assert.ok(b.created_at < a.created_at, 'created_at keeps the true order for the widget to sort by');
    await tab.close();
  });

  test('bad signatures are refused, stale deliveries are refused, a replay is acknowledged but applied once', async () => {
    const session = await openSession(stack);
    const tab = connect(stack, { token: session.token, conversation: session.conversation_id });
    await tab.ready;
    const data = {
      id: 'msg_forged', conversation_id: session.conversation_id, direction: 'out', type: 'text', text: 'signed by us',
      sender: { type: 'agent', name: 'Ayu' }, status: 'sent', created_at: new Date().toISOString(),
    };
    const bad = await deliver(stack, { type: 'message.created', data, secret: 'not-the-secret' });
    assert.equal(bad.status, 401);
    assert.equal(bad.body.error.code, 'webhook_signature_invalid');
    const unsigned = await deliver(stack, { type: 'message.created', data, signature: '' });
    assert.equal(unsigned.status, 401);
    const stale = await deliver(stack, { type: 'message.created', data, at: Date.now() - 400_000 });
    assert.equal(stale.status, 401);
    assert.equal(stale.body.error.code, 'webhook_expired');
    const good = await deliver(stack, { id: 'evt_replayed', type: 'message.created', data });
    assert.equal(good.status, 200);
    assert.equal(good.body.outcome, 'applied');
    const replay = await deliver(stack, { id: 'evt_replayed', type: 'message.created', data: { ...data, id: 'msg_other' } });
    assert.equal(replay.status, 200);
    assert.equal(replay.body.outcome, 'duplicate');
    await eventually(() => texts(tab).includes('signed by us'));
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(texts(tab), ['signed by us']);
    // Conversations this edge did not open are ignored.
    const foreign = await deliver(stack, { type: 'message.created', data: { ...data, id: 'msg_x', conversation_id: 'conv_elsewhere' } });
    assert.deepEqual([foreign.status, foreign.body.outcome], [200, 'ignored']);
    await tab.close();
  });

  test('sockets with the wrong token are closed with a code the widget can act on', async () => {
    const a = await openSession(stack);
    const b = await openSession(stack);
    const wrong = connect(stack, { token: b.token, conversation: a.conversation_id });
    assert.deepEqual(await wrong.closed, { code: 4403, reason: 'token_wrong_conversation' });
    const none = connect(stack, { conversation: a.conversation_id });
    assert.deepEqual(await none.closed, { code: 4401, reason: 'token_missing' });
    const claims = JSON.parse(Buffer.from(a.token.split('.')[1], 'base64url'));
    const expired = signToken({ ...claims, iat: 1, exp: 2 }, stack.sessionSecret);
    const old = connect(stack, { token: expired, conversation: a.conversation_id });
    assert.deepEqual(await old.closed, { code: 4401, reason: 'token_expired' });
    const forged = connect(stack, { token: `${a.token.slice(0, -4)}AAAA`, conversation: a.conversation_id });
    assert.deepEqual(await forged.closed, { code: 4401, reason: 'token_invalid' });
    const elsewhere = connect(stack, { token: a.token, conversation: a.conversation_id, origin: 'https://evil.example' });
    assert.equal((await elsewhere.closed).code, 4403);
    const plain = await fetch(`${stack.edgeOrigin}/v1/stream?conversation=${a.conversation_id}`);
    assert.equal(plain.status, 426);
    assert.equal((await plain.json()).error.code, 'upgrade_required');
  });

  test('the webhook secret appears in no log line and no answer', async () => {
    const health = await (await fetch(`${stack.edgeOrigin}/health`)).text();
    const refused = await deliver(stack, { type: 'message.created', data: {}, secret: 'wrong' });
    for (const text of [health, JSON.stringify(refused.body), stack.logs.join('')]) {
      assert.ok(!text.includes(stack.webhookSecret));
    }
  });

  test('heartbeats are answered', async () => {
    const session = await openSession(stack);
    const tab = connect(stack, { token: session.token, conversation: session.conversation_id });
    await tab.ready;
    tab.ws.send('ping');
    await eventually(() => tab.frames.includes('pong'), { what: 'pong' });
    await tab.close();
  });
});

describe('poll mode', () => {
  let stack;
  before(async () => { stack = await startStack({ webhooks: false }); });
  after(async () => { await stack?.stop(); });

  test('health says so, and webhooks are not taken', async () => {
    const health = await (await fetch(`${stack.edgeOrigin}/health`)).json();
    assert.equal(health.realtime, 'polling');
    const res = await deliver(stack, { type: 'message.created', data: {}, secret: 'x' });
    assert.deepEqual([res.status, res.body.error.code], [404, 'webhooks_not_configured']);
  });

  test('replies are delivered by delta sync, and a reconnect catches up', async () => {
    const session = await openSession(stack);
    const tab = connect(stack, { token: session.token, conversation: session.conversation_id });
    await tab.ready;
    await visitorSays(stack, session, 'Hello?');
    await agentSays(stack, session.conversation_id, 'Hi, polling here.');
    await eventually(() => texts(tab).includes('Hi, polling here.'), { what: 'the polled reply' });
    assert.deepEqual(texts(tab), ['Hello?', 'Hi, polling here.']);
    const cursor = tab.cursor;
    await tab.close();
    await agentSays(stack, session.conversation_id, 'while you were away');
    const again = connect(stack, { token: session.token, conversation: session.conversation_id, cursor });
    await again.ready;
    // Nobody watched while the tab was away, so this comes from the core: still only what it missed.
    assert.deepEqual(texts(again), ['while you were away']);
    await again.close();
  });

  test('the poller reads the conversation list, not each visitor', async () => {
    const sessions = await Promise.all([1, 2, 3].map(() => openSession(stack)));
    const tabs = sessions.map((s) => connect(stack, { token: s.token, conversation: s.conversation_id }));
    await Promise.all(tabs.map((t) => t.ready));
    // The first read after a conversation is watched may fetch its messages once; after that, idle means
    // one delta read per tick whatever the number of visitors.
    await new Promise((r) => setTimeout(r, 1500));
    const start = (await stack.coreLog()).length;
    await new Promise((r) => setTimeout(r, 3000));
    const idle = (await stack.coreLog()).slice(start);
    assert.ok(idle.length >= 1 && idle.length <= 5, `about one delta read a second: ${JSON.stringify(idle)}`);
    assert.ok(idle.every((e) => e.path.startsWith('/conversations?last_updated_at=')), JSON.stringify(idle.map((e) => e.path)));
    await Promise.all(tabs.map((t) => t.close()));
  });
});
