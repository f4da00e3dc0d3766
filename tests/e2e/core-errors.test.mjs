// When the core refuses the edge's key, the visitor gets a clear, stable error and the operator gets a log
// line naming what is missing, never the key itself.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';
import { EDGE_LIMITED_KEY, eventually, startStack } from './harness.mjs';

let stack;
before(async () => {
  // Everything the edge needs except messages:write.
  stack = await startStack({ keyScopes: 'customers:write,conversations:write,messages:read,channels:read' });
});
after(async () => { await stack?.stop(); });

test('a missing core scope is a 502 core_misconfigured, logged by scope without the key', async () => {
  const post = (path, body, token) => fetch(`${stack.edgeOrigin}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: stack.edgeOrigin, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const session = await post('/v1/sessions', { site_id: 'demo', client_id: crypto.randomUUID() });
  assert.equal(session.status, 201);
  const { token } = await session.json();

  const res = await post('/v1/messages', { client_id: crypto.randomUUID(), text: 'hello' }, token);
  assert.equal(res.status, 502);
  const body = await res.text();
  assert.equal(JSON.parse(body).error.code, 'core_misconfigured');
  assert.ok(!body.includes('messages:write'), 'the scope is for the operator, not the visitor');

  const line = await eventually(() => stack.logs.join('').split('\n').find((l) => l.includes('core_misconfigured')), {
    what: 'the edge to log the refusal',
  });
  assert.match(line, /missing scope messages:write/);
  const secret = EDGE_LIMITED_KEY.split('.')[1];
  assert.ok(!stack.logs.join('').includes(secret), 'the key never reaches a log line');
});
