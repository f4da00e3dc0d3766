// The core is the system of record: webhooks the core gave up on still reach the visitor (after a reconnect,
// after a reload, and while connected, by the sweep), ids of one conversation never answer for another, and a
// retried session makes one contact. Every assertion reads the core's own state.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eventually, startBrowser, startStack } from './harness.mjs';
import { agentSays, connect, openSession } from './stream.mjs';
import { startChat, texts } from './chat-page.mjs';

const uuid = () => crypto.randomUUID();
const claimsOf = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url'));

async function post(stack, path, body, token, origin = stack.edgeOrigin) {
  const res = await fetch(`${stack.edgeOrigin}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: origin, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

/** The conversation's messages as the core holds them, oldest first. */
async function coreThread(stack, conversation) {
  const { body } = await stack.core('GET', `/messages?conversation_id=${conversation}&per_page=500`);
  return body.data.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
}

async function givenUp(stack) {
  return (await (await fetch(`${stack.simOrigin}/__sim/webhooks`)).json()).given_up ?? [];
}

describe('lost webhooks: the hub reads the core', () => {
  let stack;
  let stayed;
  let reloaded;
  before(async () => {
    stack = await startStack({ webhooks: true, vars: { SWEEP_INTERVAL_MS: '2000' } });
    [stayed, reloaded] = [await startBrowser(), await startBrowser()];
  });
  after(async () => {
    await Promise.all([stayed?.close(), reloaded?.close()]);
    await stack?.stop();
  });

  test('the edge is down longer than the core retries while the agent replies twice: both arrive, once each, in order', async () => {
    const a = await startChat(stack, stayed, 'Is the shop open today?');
    const b = await startChat(stack, reloaded, 'Do you roast to order?');
    // The core tries each delivery twice, 200 ms apart, then gives up for good.
    await stack.webhookSwitches({ attempts: 2, first_retry_ms: 200 });
    const lostBefore = (await givenUp(stack)).length;
    await stack.killEdge();
    for (const chat of [a, b]) {
      await agentSays(stack, chat.conversation, `First answer for ${chat.conversation}`);
      await agentSays(stack, chat.conversation, `Second answer for ${chat.conversation}`);
    }
    await eventually(async () => (await givenUp(stack)).length >= lostBefore + 4, { timeout: 15000, what: 'the core to give up' });
    await stack.restartEdge();
    await stack.webhookSwitches({});
    await b.page.reload();
    await b.page.getByTestId('launcher').click();
    for (const chat of [a, b]) {
      const core = (await coreThread(stack, chat.conversation)).map((m) => m.text);
      assert.equal(core.length, 3, 'the core has the visitor message and both replies');
      await eventually(async () => (await texts(chat.page)).length >= 3, { timeout: 45000, what: `both replies in ${chat.conversation}` });
      await chat.page.waitForTimeout(500);
      assert.deepEqual(await texts(chat.page), core, 'what the core holds, once each, in its order');
    }
    await Promise.all([a.page.close(), b.page.close()]);
  });

  test('a visitor who stays connected through a webhook outage gets the reply from the sweep', async () => {
    const session = await openSession(stack);
    const tab = connect(stack, { token: session.token, conversation: session.conversation_id });
    await tab.ready;
    await stack.webhookSwitches({ attempts: 0 });
    const sent = Date.now();
    await agentSays(stack, session.conversation_id, 'sent while webhooks are lost');
    await eventually(() => tab.messages().some((m) => m.text === 'sent while webhooks are lost'), { timeout: 10000, what: 'the swept reply' });
    await stack.webhookSwitches({});
    assert.ok(Date.now() - sent < 10000);
    const sweeps = (await stack.coreLog()).filter((e) => e.path.startsWith('/conversations?last_updated_at='));
    assert.ok(sweeps.length >= 1, 'found by a delta read');
    await tab.close();
  });

  test('a hundred upgrades with one token cost the core at most two reads', async () => {
    const session = await openSession(stack);
    const before = (await stack.coreLog()).length;
    const clients = Array.from({ length: 100 }, () => connect(stack, { token: session.token, conversation: session.conversation_id }));
    const outcomes = await Promise.all(clients.map((c) => c.ready.then(() => 'ready', () => 'refused')));
    const reads = (await stack.coreLog()).slice(before).filter((e) => e.path.startsWith(`/messages?conversation_id=${session.conversation_id}`));
    assert.ok(reads.length <= 2, `core reads: ${reads.length}`);
    const refused = await Promise.all(clients.filter((_, i) => outcomes[i] === 'refused').map((c) => c.closed));
    assert.ok(refused.length >= 70, `most are refused by the per-conversation limit (${refused.length})`);
    assert.ok(refused.every((c) => c.code === 1013 && c.reason === 'rate_limited'), JSON.stringify(refused.slice(0, 3)));
    await Promise.all(clients.map((c) => c.close()));
  });

  test('the hub answers only a subprotocol the client offered', async () => {
    const session = await openSession(stack);
    const ours = connect(stack, { token: session.token, conversation: session.conversation_id });
    await ours.ready;
    assert.equal(ours.ws.protocol, 'sapa.v1');
    await ours.close();
    // A raw upgrade offering only the token: the answer must name no subprotocol at all (RFC 6455).
    const { request } = await import('node:http');
    const answered = await new Promise((resolve, reject) => {
      const req = request(`${stack.edgeOrigin}/v1/stream?conversation=${session.conversation_id}`, {
        headers: {
          Connection: 'Upgrade', Upgrade: 'websocket', Origin: stack.edgeOrigin, 'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': crypto.randomBytes(16).toString('base64'), 'Sec-WebSocket-Protocol': session.token,
        },
      });
      req.on('upgrade', (res, socket) => { socket.destroy(); resolve(res); });
      req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
      req.on('error', reject);
      req.end();
    });
    assert.equal(answered.statusCode, 101);
    assert.equal(answered.headers['sec-websocket-protocol'], undefined, 'no subprotocol the client did not offer');
  });
});

describe('ids belong to one conversation', () => {
  let stack;
  before(async () => {
    stack = await startStack({
      webhooks: true,
      sites: (edge) => ({ demo: { name: 'Demo', origins: [edge] }, shop: { name: 'Shop', origins: ['https://shop.example'] } }),
    });
  });
  after(async () => { await stack?.stop(); });

  test("another visitor's message id stores the caller's own words and streams nothing of theirs", async () => {
    const [alice, mallory] = [await openSession(stack), await openSession(stack)];
    const aliceTab = connect(stack, { token: alice.token, conversation: alice.conversation_id });
    const malloryTab = connect(stack, { token: mallory.token, conversation: mallory.conversation_id });
    await Promise.all([aliceTab.ready, malloryTab.ready]);
    const id = uuid();
    const first = await post(stack, '/v1/messages', { client_id: id, text: "Alice's address is Jl. Melati 4" }, alice.token);
    const second = await post(stack, '/v1/messages', { client_id: id, text: "Mallory's own words" }, mallory.token);
    assert.deepEqual([first.status, second.status], [201, 201]);
    assert.equal(second.json.message.text, "Mallory's own words");
    assert.equal(second.json.message.client_id, id, 'the caller gets its own id back');
    assert.notEqual(second.json.message.id, first.json.message.id);
    assert.deepEqual((await coreThread(stack, alice.conversation_id)).map((m) => m.text), ["Alice's address is Jl. Melati 4"]);
    assert.deepEqual((await coreThread(stack, mallory.conversation_id)).map((m) => m.text), ["Mallory's own words"]);
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(!malloryTab.messages().some((m) => m.text.includes('Alice')), 'nothing of Alice reaches Mallory');
    assert.deepEqual(aliceTab.messages().map((m) => m.text), ["Alice's address is Jl. Melati 4"]);
    await Promise.all([aliceTab.close(), malloryTab.close()]);
  });

  test("a session's client id never reaches the core: the core's copy of it opens nothing of the visitor's", async () => {
    const clientId = uuid();
    const visitor = await post(stack, '/v1/sessions', { site_id: 'demo', client_id: clientId });
    assert.equal(visitor.status, 201);
    // An integration with the workspace's key, or anyone who can read the core, tries the visitor's id.
    const guess = await stack.core('POST', '/livechat/conversations', {
      client_request_id: clientId, channel_id: 'ch_livechat', customer_id: claimsOf(visitor.json.token).contact,
    });
    assert.equal(guess.status, 201, 'the core knows no such id: it opens a new conversation');
    assert.notEqual(guess.body.id, visitor.json.conversation_id);
    // The same client id on another site is another session.
    const elsewhere = await post(stack, '/v1/sessions', { site_id: 'shop', client_id: clientId }, undefined, 'https://shop.example');
    assert.equal(elsewhere.status, 201);
    assert.notEqual(elsewhere.json.conversation_id, visitor.json.conversation_id);
    // The visitor's own retry is the same session.
    const retry = await post(stack, '/v1/sessions', { site_id: 'demo', client_id: clientId });
    assert.equal(retry.json.conversation_id, visitor.json.conversation_id);
    for (const text of [stack.logs.join(''), JSON.stringify(await stack.core('GET', '/conversations?per_page=500'))]) {
      assert.ok(!text.includes(clientId), 'the client id is in no log line and no core record');
    }
  });

  test("a rating whose id an integration used is stored as the rating, and the integration's send stays its own", async () => {
    const session = await openSession(stack);
    const id = uuid();
    const agent = await stack.core('POST', '/messages/text', { client_request_id: id, conversation_id: session.conversation_id, text: 'From the CRM' });
    assert.equal(agent.status, 201);
    const rated = await post(stack, '/v1/rating', { client_id: id, rating: 'good' }, session.token);
    assert.equal(rated.status, 201, JSON.stringify(rated.json));
    assert.match(rated.json.message.text, /rated this conversation: good/);
    const again = await stack.core('POST', '/messages/text', { client_request_id: id, conversation_id: session.conversation_id, text: 'From the CRM' });
    assert.equal(again.body.id, agent.body.id, "the integration's replay is its own message");
    const core = (await coreThread(stack, session.conversation_id)).map((m) => m.text);
    assert.equal(core.length, 2);
    assert.ok(core.includes('From the CRM') && core.some((t) => t.includes('rated this conversation')));
  });
});

describe('one visitor, one contact', () => {
  let stack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack?.stop(); });

  const count = async (route) => (await stack.core('GET', `${route}?per_page=500`)).body.data.length;

  async function retriedSession(fault) {
    const [contacts, conversations] = [await count('/contacts'), await count('/conversations')];
    const body = { site_id: 'demo', client_id: uuid() };
    await stack.fault(fault);
    const first = await post(stack, '/v1/sessions', body);
    assert.equal(first.status, 503, JSON.stringify(first.json));
    await stack.fault(null);
    let second;
    await eventually(async () => {
      second = await post(stack, '/v1/sessions', body);
      return second.status === 201;
    }, { timeout: 30000, interval: 1000, what: 'the retried session' });
    assert.equal(await count('/contacts'), contacts + 1, 'one contact');
    assert.equal(await count('/conversations'), conversations + 1, 'one conversation');
    const all = (await stack.core('GET', '/conversations?per_page=500')).body.data;
    const conversation = all.find((c) => c.id === second.json.conversation_id);
    assert.equal(claimsOf(second.json.token).contact, conversation.customer_id, "the token names the conversation's contact");
  }

  test('a slow conversation open answered 503, then retried', async () => {
    // Each attempt outlives the edge's 5 s timeout; the core commits them anyway.
    await retriedSession({ path: '/livechat/conversations', delay_ms: 6000 });
  });

  test('a conversation committed but its answer lost every time, then retried', async () => {
    await retriedSession({ path: '/livechat/conversations', drop_after_commit: 3 });
  });
});
