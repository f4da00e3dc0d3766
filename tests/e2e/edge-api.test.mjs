// The edge's HTTP contract against the real Workers runtime and the simulator: every refusal is a clear JSON
// error with a stable code that changes nothing in the core, and every write is idempotent.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SIM_KEY, startStack } from './harness.mjs';

let stack;
let origin;
const seen = []; // every response body and header seen, to check none ever carries the core key

before(async () => {
  stack = await startStack();
  origin = stack.edgeOrigin;
});
after(async () => { await stack?.stop(); });

async function call(method, path, { body, token, headers = {}, raw } = {}) {
  const res = await fetch(`${stack.edgeOrigin}${path}`, {
    method,
    headers: {
      Origin: origin,
      ...(body !== undefined || raw !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  seen.push(text, JSON.stringify([...res.headers]));
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
}

const uuid = () => crypto.randomUUID();
const coreTotals = async () => ({
  contacts: (await stack.core('GET', '/contacts')).body.total,
  conversations: (await stack.core('GET', '/conversations')).body.total,
  messages: (await stack.core('GET', '/messages')).body.total,
});

async function session() {
  const res = await call('POST', '/v1/sessions', { body: { site_id: 'demo', client_id: uuid(), name: 'Siti' } });
  assert.equal(res.status, 201, JSON.stringify(res.json));
  return res.json;
}

describe('refusals change nothing in the core', () => {
  test('bad bodies, unknown sites and foreign origins', async () => {
    const before = await coreTotals();
    const cases = [
      [{ raw: '{not json' }, 400, 'invalid_json'],
      [{ body: { site_id: 'demo', client_id: uuid(), conversation_id: 'conv_x' } }, 400, 'invalid_json'],
      [{ body: { site_id: 'demo', client_id: 'short' } }, 400, 'invalid_field', 'client_id'],
      [{ body: { site_id: 'demo', client_id: uuid(), email: 'not-an-email' } }, 400, 'invalid_field', 'email'],
      [{ body: { site_id: 'demo', client_id: uuid(), name: 'n'.repeat(201) } }, 400, 'invalid_field', 'name'],
      [{ body: { site_id: 'nope', client_id: uuid() } }, 404, 'unknown_site'],
      [{ body: { site_id: 'demo', client_id: uuid() }, headers: { Origin: 'https://evil.example' } }, 403, 'origin_not_allowed'],
      [{ raw: JSON.stringify({ site_id: 'demo', client_id: uuid(), name: 'x'.repeat(70 * 1024) }) }, 413, 'payload_too_large'],
      [{ raw: '{}', headers: { 'Content-Type': 'text/plain' } }, 400, 'invalid_json'],
    ];
    for (const [opts, status, code, field] of cases) {
      const res = await call('POST', '/v1/sessions', opts);
      assert.equal(res.status, status, `${JSON.stringify(opts).slice(0, 80)} -> ${JSON.stringify(res.json)}`);
      assert.equal(res.json.error.code, code);
      assert.equal(typeof res.json.error.message, 'string');
      if (field) assert.equal(res.json.error.field, field);
    }
    assert.deepEqual(await coreTotals(), before);
  });

  test('messages need a valid token and valid text', async () => {
    const { token } = await session();
    const before = await coreTotals();
    const [head, payload, sig] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url'));
    const forged = `${head}.${Buffer.from(JSON.stringify({ ...claims, conv: 'conv_00000001' })).toString('base64url')}.${sig}`;
    const cases = [
      [{ body: { client_id: uuid(), text: 'hi' } }, 401, 'token_missing'],
      [{ body: { client_id: uuid(), text: 'hi' }, token: 'v1.garbage.sig' }, 401, 'token_invalid'],
      [{ body: { client_id: uuid(), text: 'hi' }, token: forged }, 401, 'token_invalid'],
      [{ body: { client_id: uuid(), text: 'hi' }, token, headers: { Origin: 'https://evil.example' } }, 403, 'origin_not_allowed'],
      [{ body: { client_id: uuid(), text: '   ' }, token }, 400, 'invalid_field', 'text'],
      [{ body: { client_id: uuid(), text: 'x'.repeat(4001) }, token }, 400, 'invalid_field', 'text'],
      [{ body: { client_id: uuid(), text: 'hi', conversation_id: 'conv_00000001' }, token }, 400, 'invalid_json'],
    ];
    for (const [opts, status, code, field] of cases) {
      const res = await call('POST', '/v1/messages', opts);
      assert.equal(res.status, status, JSON.stringify(res.json));
      assert.equal(res.json.error.code, code);
      if (field) assert.equal(res.json.error.field, field);
    }
    assert.deepEqual(await coreTotals(), before);
    const history = await call('GET', '/v1/messages?limit=0', { token });
    assert.equal(history.json.error.field, 'limit');
    const badCursor = await call('GET', '/v1/messages?after=nonsense', { token });
    assert.equal(badCursor.json.error.field, 'after');
  });

  test('unknown routes and methods answer JSON', async () => {
    assert.equal((await call('GET', '/v1/nothing')).json.error.code, 'not_found');
    assert.equal((await call('DELETE', '/v1/messages')).json.error.code, 'method_not_allowed');
  });
});

describe('CORS', () => {
  test('preflights answer only allowed origins', async () => {
    const ok = await call('OPTIONS', '/v1/messages', { headers: { 'Access-Control-Request-Method': 'POST' } });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), origin);
    assert.match(ok.headers.get('access-control-allow-headers'), /Authorization/);
    const evil = await call('OPTIONS', '/v1/messages', { headers: { Origin: 'https://evil.example' } });
    assert.equal(evil.status, 403);
    assert.equal(evil.headers.get('access-control-allow-origin'), null);
  });
});

describe('idempotency and history', () => {
  test('a retried session opens the same conversation; a retried message is stored once', async () => {
    const client_id = uuid();
    const first = await call('POST', '/v1/sessions', { body: { site_id: 'demo', client_id } });
    const again = await call('POST', '/v1/sessions', { body: { site_id: 'demo', client_id } });
    assert.equal(again.json.conversation_id, first.json.conversation_id);

    const token = first.json.token;
    const message = { client_id: uuid(), text: 'Is the Toraja roast dark?' };
    const a = await call('POST', '/v1/messages', { body: message, token });
    const b = await call('POST', '/v1/messages', { body: message, token });
    assert.equal(a.status, 201);
    assert.equal(b.json.message.id, a.json.message.id);
    assert.equal(a.json.message.client_id, message.client_id);
    assert.equal(a.json.message.author.kind, 'visitor');
    const stored = await stack.core('GET', `/messages?conversation_id=${first.json.conversation_id}`);
    assert.equal(stored.body.total, 1);
  });

  test('history is newest last and the cursor returns exactly what came after', async () => {
    const { token, conversation_id } = await session();
    for (const text of ['one', 'two']) {
      assert.equal((await call('POST', '/v1/messages', { body: { client_id: uuid(), text }, token })).status, 201);
    }
    const first = await call('GET', '/v1/messages', { token });
    assert.deepEqual(first.json.messages.map((m) => m.text), ['one', 'two']);
    const empty = await call('GET', `/v1/messages?after=${encodeURIComponent(first.json.cursor)}`, { token });
    assert.deepEqual(empty.json.messages, []);
    assert.equal(empty.json.cursor, first.json.cursor);
    await stack.core('POST', '/messages/text', { client_request_id: uuid(), conversation_id, text: 'Yes, quite dark.', from_user_id: 'usr_budi' });
    const next = await call('GET', `/v1/messages?after=${encodeURIComponent(first.json.cursor)}`, { token });
    assert.equal(next.json.messages.length, 1);
    assert.equal(next.json.messages[0].text, 'Yes, quite dark.');
    assert.deepEqual(next.json.messages[0].author, {
      kind: 'agent', name: 'Budi', avatar_url: `${stack.simOrigin}/avatars/usr_budi.svg`,
    });
  });

  test('a token reads only its own conversation', async () => {
    const mine = await session();
    const theirs = await session();
    await call('POST', '/v1/messages', { body: { client_id: uuid(), text: 'private to them' }, token: theirs.token });
    const list = await call('GET', '/v1/messages', { token: mine.token });
    assert.deepEqual(list.json.messages, []);
  });
});

test('the core key never appears in any response', () => {
  assert.ok(seen.length > 20);
  const secret = SIM_KEY.split('.')[1];
  for (const text of seen) assert.ok(!text.includes(secret), `leak in: ${text.slice(0, 200)}`);
});
