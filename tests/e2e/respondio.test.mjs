// A site on respond.io: the widget talks to the edge as on any core; the edge posts the visitor's words to the
// site's Custom Channel (respondio-sim) and takes the agent's replies from respond.io's calls to
// /core/respondio/{site}/{path secret}/message, keeping the thread itself (respond.io gives none back).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { callEdge, eventually, useStack } from './harness.mjs';

const env = useStack({ respondio: true });

const bubbles = (page) => page.getByTestId('message');
const contacts = async () => (await env.stack.rio.call('GET', '/contacts')).body;
const thread = async (contactId) =>
  (await env.stack.rio.call('GET', `/contacts/${encodeURIComponent(contactId)}/messages`)).body.messages;
const reply = (contactId, text) => env.stack.rio.call('POST', '/reply', { channelId: env.stack.rio.channelId, contactId, text });

/** respond.io's call to the edge for an agent reply, made by hand. */
function agentCall(pathSecret, { token = env.stack.rio.token, contactId = `v_${'0'.repeat(32)}`, channelId = env.stack.rio.channelId } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  return fetch(`${env.stack.edgeOrigin}/core/respondio/demo/${pathSecret}/message`, {
    method: 'POST', headers, body: JSON.stringify({ channelId, contactId, message: { type: 'text', text: 'hand-made' } }),
  });
}

test('a visitor chats with a respond.io agent: ids within its rules, replies pushed live and kept by the edge', async () => {
  const page = await env.browser.context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${env.stack.edgeOrigin}/demo/`);
  await page.getByTestId('launcher').click();
  const composer = page.getByTestId('composer');
  await composer.waitFor();
  // The channel takes text only: nothing offers a file.
  await page.getByTestId('emoji').waitFor();
  assert.equal(await page.getByTestId('attach').isVisible(), false, 'no attach button on a respond.io site');

  await composer.fill('Halo, is the Gayo roast in stock?');
  await composer.press('Enter');
  await page.locator('[data-testid=message][data-state^=Confirmed]', { hasText: 'Gayo roast' }).waitFor();
  const [contact] = await contacts();
  assert.match(contact.contactId, /^v_[0-9a-f]{32}$/, 'a Custom ID within respond.io rules');
  let messages = await thread(contact.contactId);
  assert.equal(messages.length, 1, 'stored once');
  assert.equal(messages[0].direction, 'incoming');
  assert.equal(messages[0].text, 'Halo, is the Gayo roast in stock?');
  assert.match(messages[0].mId, /^w_[0-9a-f]{32}$/);

  // The agent answers in respond.io: it calls the edge, which pushes the reply to the open widget.
  const answered = await reply(contact.contactId, 'Yes! Freshly roasted this morning.');
  assert.equal(answered.body.status, 'sent', JSON.stringify(answered.body));
  assert.match(answered.body.mId, /^a_[0-9a-f]{28}$/);
  await page.locator('[data-testid=message]', { hasText: 'Freshly roasted this morning.' }).waitFor({ timeout: 10000 });

  // Away from the page, another reply comes: back on it, the edge's own thread brings it, once.
  await page.close();
  await reply(contact.contactId, 'We also have Toraja.');
  const again = await env.browser.context.newPage();
  await again.goto(`${env.stack.edgeOrigin}/demo/`);
  await again.getByTestId('launcher').click();
  await again.locator('[data-testid=message]', { hasText: 'We also have Toraja.' }).waitFor({ timeout: 10000 });
  await eventually(async () => (await bubbles(again).count()) === 3, { what: 'three messages, once each' });
  messages = await thread(contact.contactId);
  assert.deepEqual(messages.map((m) => m.direction), ['incoming', 'outgoing', 'outgoing']);
  assert.deepEqual(pageErrors, []);
});

test("respond.io's calls prove themselves by the path and the channel token; anything else is refused", async () => {
  const { pathSecret } = env.stack.rio;
  assert.equal((await agentCall('wrong-path-secret')).status, 401, 'a wrong path secret');
  assert.equal((await agentCall(pathSecret, { token: 'rio_not_the_token' })).status, 401, 'a wrong token');
  assert.equal((await agentCall(pathSecret, { channelId: 'another_channel' })).status, 401, 'another channel');
  assert.equal((await agentCall(pathSecret, { contactId: '+60177872890' })).status, 404, 'a contact the edge never made');
  const nowhere = await fetch(`${env.stack.edgeOrigin}/core/respondio/nosuchsite/${pathSecret}/message`, { method: 'POST' });
  assert.equal(nowhere.status, 404, 'a site without a channel is like any unknown path');
  const ok = await agentCall(pathSecret);
  assert.equal(ok.status, 200);
  assert.match((await ok.json()).mId, /^a_/);
  // respond.io may send no Authorization header (open question): the path secret alone is then accepted.
  const pathOnly = await agentCall(pathSecret, { token: null });
  assert.equal(pathOnly.status, 200);
});

test('through the API: files and attributes are refused plainly, history is the edge\'s thread, and no secret leaks', async () => {
  const call = (method, route, options) => callEdge(env.stack, method, route, options);
  const health = JSON.parse((await call('GET', '/health')).text);
  assert.deepEqual(health.respondio, { configured: 1, ready: 1 }, 'the channel has both secrets');
  const site = JSON.parse((await call('GET', '/v1/sites/demo')).text);
  assert.deepEqual(site.capabilities, { files: false, rating: true });
  const prechat = { site_id: 'demo', client_id: crypto.randomUUID(), name: 'Siti Rahma', email: 'siti@example.com' };
  const session = JSON.parse((await call('POST', '/v1/sessions', { json: prechat })).text);
  const message = { client_id: crypto.randomUUID(), text: 'Sent twice, stored once' };
  const first = await call('POST', '/v1/messages', { json: message, token: session.token });
  const second = await call('POST', '/v1/messages', { json: message, token: session.token });
  assert.equal(first.status, 201);
  assert.equal(JSON.parse(second.text).message.id, JSON.parse(first.text).message.id, 'a retry is answered from the record');
  const form = new FormData();
  form.append('client_id', crypto.randomUUID());
  form.append('file', new Blob([Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])], { type: 'image/png' }), 'a.png');
  const file = await call('POST', '/v1/attachments', { form, token: session.token });
  assert.equal(file.status, 422);
  assert.equal(JSON.parse(file.text).error.code, 'not_supported');
  const attributes = await call('POST', '/v1/contact', { json: { company: 'Acme' }, token: session.token });
  assert.equal(JSON.parse(attributes.text).error.code, 'not_supported');
  const rated = await call('POST', '/v1/rating', { json: { client_id: crypto.randomUUID(), rating: 'good' }, token: session.token });
  assert.equal(rated.status, 201, rated.text);
  const history = JSON.parse((await call('GET', '/v1/messages', { token: session.token })).text);
  assert.deepEqual(history.messages.map((m) => m.text), ['Sent twice, stored once', 'Visitor rated this conversation: good 👍']);
  // The pre-chat form's name and email made the respond.io contact's profile, with the first message.
  const contact = (await contacts()).find((c) => c.contactId === session.conversation_id.split('.').at(-1));
  assert.deepEqual(contact.profile, { firstName: 'Siti Rahma', email: 'siti@example.com' });
  const stored = (await Promise.all((await contacts()).map((c) => thread(c.contactId)))).flat();
  assert.equal(stored.filter((m) => m.text === 'Sent twice, stored once').length, 1, 'respond.io has it once');

  const secrets = [env.stack.rio.token, env.stack.rio.pathSecret, env.stack.sessionSecret];
  const edgeLogs = env.stack.logs.filter((l) => l.startsWith('[edge]')).join('');
  for (const secret of secrets) {
    for (const h of [first.text, file.text, JSON.stringify(site), JSON.stringify(history), edgeLogs]) {
      assert.ok(!h.includes(secret), `a secret leaked into: ${h.slice(0, 120)}`);
    }
  }
});
