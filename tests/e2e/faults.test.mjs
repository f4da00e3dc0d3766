// Relasi.U's own failure modes: a failing core while a session opens its conversation, and its throttling
// (429 with Retry-After), each asserted from the simulator's state. A message stored once through failed,
// dropped and refused writes is every core's promise: every-core.test.mjs.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, beforeEach, test } from 'node:test';
import { startStack } from './harness.mjs';

let stack;
let session;
before(async () => {
  stack = await startStack();
});
after(async () => { await stack?.stop(); });
beforeEach(async () => { await stack.fault(null); });

const uuid = () => crypto.randomUUID();

async function post(path, body, token) {
  const res = await fetch(`${stack.edgeOrigin}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: stack.edgeOrigin, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json(), headers: res.headers };
}

async function stored(text) {
  const all = (await stack.core('GET', `/messages?conversation_id=${session.conversation_id}&per_page=500`)).body.data;
  return all.filter((m) => m.text === text);
}

test('a session survives a failing core and opens exactly one conversation', async () => {
  await stack.fault({ path: '/livechat/conversations', fail_next: 2, status: 502 });
  const res = await post('/v1/sessions', { site_id: 'demo', client_id: uuid() });
  assert.equal(res.status, 201, JSON.stringify(res.json));
  session = res.json;
  const conversations = (await stack.core('GET', '/conversations?per_page=500')).body.data;
  assert.equal(conversations.filter((c) => c.id === session.conversation_id).length, 1);
});

test('a 429 burst is waited out (Retry-After): the message is stored once', async () => {
  await stack.fault({ throttle_for_s: 1 });
  const started = Date.now();
  const res = await post('/v1/messages', { client_id: uuid(), text: 'after the throttle' }, session.token);
  assert.equal(res.status, 201);
  assert.ok(Date.now() - started >= 900, 'the edge waited for Retry-After');
  assert.equal((await stored('after the throttle')).length, 1);
});

test('a core throttling longer than the budget: 429 with Retry-After for the widget', async () => {
  await stack.fault({ throttle_for_s: 30 });
  const res = await post('/v1/messages', { client_id: uuid(), text: 'too throttled' }, session.token);
  assert.equal(res.status, 429);
  assert.equal(res.json.error.code, 'rate_limited');
  assert.ok(Number(res.headers.get('retry-after')) >= 20);
});
