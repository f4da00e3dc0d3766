// Hostile input against the real Workers runtime and the simulator. Every case asserts the status, the
// stable error code (and field), and, from the simulator's request log, that nothing reached the core.
// The run ends with a secret scan of every byte the edge served.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';
import { SIM_KEY, callEdge, signToken, startStack, userHash } from './harness.mjs';

const IDENTITY_SECRET = 'identity-secret-for-tests-only';
const OTHER_ORIGIN = 'http://other-shop.example';
let stack;
let demo; // a valid demo session
const seen = [];

before(async () => {
  stack = await startStack({
    sites: (origin) => ({
      demo: { name: 'Kopi Nusantara', origins: [origin] },
      secure: { name: 'Members', origins: [origin], require_identity: true, identity_secret: 'SECURE_IDENTITY_SECRET' },
      other: { name: 'Other shop', origins: [OTHER_ORIGIN] },
    }),
    secrets: { SECURE_IDENTITY_SECRET: IDENTITY_SECRET },
  });
  const res = await send('POST', '/v1/sessions', { json: { site_id: 'demo', client_id: uuid() } });
  assert.equal(res.status, 201);
  demo = res.json;
});
after(async () => { await stack?.stop(); });

const uuid = () => crypto.randomUUID();

/** A call to the edge whose answer the secret scan at the end reads too. */
async function send(method, path, options) {
  const res = await callEdge(stack, method, path, options);
  seen.push(res.text, JSON.stringify([...res.headers]));
  return res;
}

function upload(fields, file) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new Blob([file.bytes], { type: file.type }), file.name);
  return form;
}

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1]);
const now = () => Math.floor(Date.now() / 1000);
const claims = (over) => ({ site: 'demo', contact: 'ct_x', conv: demo.conversation_id, iat: now() - 10, exp: now() + 3600, ...over });

// [name, () => request, status, code, field?]
const cases = [
  // Sessions: bodies, types, fields, limits.
  ['malformed JSON', () => send('POST', '/v1/sessions', { raw: '{"site_id":' }), 400, 'invalid_json'],
  ['JSON array', () => send('POST', '/v1/sessions', { raw: '[]' }), 400, 'invalid_json'],
  ['a session as an array of its fields', () => send('POST', '/v1/sessions', { raw: JSON.stringify(['demo', uuid()]) }), 400, 'invalid_json'],
  ['a message as an array of its fields', () => send('POST', '/v1/messages', { raw: JSON.stringify([uuid(), 'hi']), token: demo.token }), 400, 'invalid_json'],
  ['name with a line separator', () => send('POST', '/v1/sessions', { json: { site_id: 'demo', client_id: uuid(), name: 'a\u2028b' } }), 400, 'invalid_field', 'name'],
  ['empty body', () => send('POST', '/v1/sessions', { raw: '' }), 400, 'invalid_json'],
  ['site_id as a number', () => send('POST', '/v1/sessions', { json: { site_id: 7, client_id: uuid() } }), 400, 'invalid_json'],
  ['name as an object', () => send('POST', '/v1/sessions', { json: { site_id: 'demo', client_id: uuid(), name: { first: 'x' } } }), 400, 'invalid_json'],
  ['unknown field', () => send('POST', '/v1/sessions', { json: { site_id: 'demo', client_id: uuid(), contact_id: 'ct_1' } }), 400, 'invalid_json'],
  ['missing client_id', () => send('POST', '/v1/sessions', { json: { site_id: 'demo' } }), 400, 'invalid_json'],
  ['short client_id', () => send('POST', '/v1/sessions', { json: { site_id: 'demo', client_id: 'abc' } }), 400, 'invalid_field', 'client_id'],
  ['client_id with markup', () => send('POST', '/v1/sessions', { json: { site_id: 'demo', client_id: '<script>alert(1)</script>' } }), 400, 'invalid_field', 'client_id'],
  ['bad email', () => send('POST', '/v1/sessions', { json: { site_id: 'demo', client_id: uuid(), email: 'siti at example' } }), 400, 'invalid_field', 'email'],
  ['email over 200', () => send('POST', '/v1/sessions', { json: { site_id: 'demo', client_id: uuid(), email: `${'a'.repeat(195)}@ex.com` } }), 400, 'invalid_field', 'email'],
  ['name over 200', () => send('POST', '/v1/sessions', { json: { site_id: 'demo', client_id: uuid(), name: 'n'.repeat(201) } }), 400, 'invalid_field', 'name'],
  ['name with a line break', () => send('POST', '/v1/sessions', { json: { site_id: 'demo', client_id: uuid(), name: 'a\nb' } }), 400, 'invalid_field', 'name'],
  ['javascript: page_url', () => send('POST', '/v1/sessions', { json: { site_id: 'demo', client_id: uuid(), page_url: 'javascript:alert(1)' } }), 400, 'invalid_field', 'page_url'],
  ['bad locale', () => send('POST', '/v1/sessions', { json: { site_id: 'demo', client_id: uuid(), locale: 'en_US;drop' } }), 400, 'invalid_field', 'locale'],
  ['unknown site', () => send('POST', '/v1/sessions', { json: { site_id: 'nope', client_id: uuid() } }), 404, 'unknown_site'],
  ['malformed site id', () => send('POST', '/v1/sessions', { json: { site_id: '../demo', client_id: uuid() } }), 400, 'invalid_field', 'site_id'],
  ['foreign origin', () => send('POST', '/v1/sessions', { json: { site_id: 'demo', client_id: uuid() }, origin: 'https://evil.example' }), 403, 'origin_not_allowed'],
  ['another site\'s origin', () => send('POST', '/v1/sessions', { json: { site_id: 'demo', client_id: uuid() }, origin: OTHER_ORIGIN }), 403, 'origin_not_allowed'],
  ['oversized body', () => send('POST', '/v1/sessions', { raw: JSON.stringify({ site_id: 'demo', client_id: uuid(), name: 'x'.repeat(70000) }) }), 413, 'payload_too_large'],
  ['text/plain body', () => send('POST', '/v1/sessions', { raw: '{}', headers: { 'Content-Type': 'text/plain' } }), 400, 'invalid_json'],
  ['user_hash without user_id', () => send('POST', '/v1/sessions', { json: { site_id: 'demo', client_id: uuid(), user_hash: 'a'.repeat(64) } }), 400, 'invalid_field', 'user_id'],
  ['non-hex user_hash', () => send('POST', '/v1/sessions', { json: { site_id: 'secure', client_id: uuid(), user_id: 'u1', user_hash: 'z'.repeat(64) } }), 400, 'invalid_field', 'user_hash'],
  ['anonymous on a require_identity site', () => send('POST', '/v1/sessions', { json: { site_id: 'secure', client_id: uuid() } }), 401, 'identity_required'],
  ['unsigned user_id on a require_identity site', () => send('POST', '/v1/sessions', { json: { site_id: 'secure', client_id: uuid(), user_id: 'u1' } }), 401, 'identity_required'],
  ['wrong user_hash', () => send('POST', '/v1/sessions', { json: { site_id: 'secure', client_id: uuid(), user_id: 'u1', user_hash: userHash('u2', IDENTITY_SECRET) } }), 401, 'identity_invalid'],
  // Messages: tokens.
  ['no token', () => send('POST', '/v1/messages', { json: { client_id: uuid(), text: 'hi' } }), 401, 'token_missing'],
  ['garbage token', () => send('POST', '/v1/messages', { json: { client_id: uuid(), text: 'hi' }, token: 'not.a.token' }), 401, 'token_invalid'],
  ['forged claims', () => send('POST', '/v1/messages', { json: { client_id: uuid(), text: 'hi' }, token: signToken(claims({ conv: 'conv_00000001' }), 'guessed-secret') }), 401, 'token_invalid'],
  ['expired token', () => send('POST', '/v1/messages', { json: { client_id: uuid(), text: 'hi' }, token: signToken(claims({ exp: now() - 1 }), stack.sessionSecret) }), 401, 'token_expired'],
  ['token carried to another site', () => send('POST', '/v1/messages', { json: { client_id: uuid(), text: 'hi' }, token: demo.token, origin: OTHER_ORIGIN }), 403, 'token_wrong_site'],
  ['token from a foreign origin', () => send('POST', '/v1/messages', { json: { client_id: uuid(), text: 'hi' }, token: demo.token, origin: 'https://evil.example' }), 403, 'origin_not_allowed'],
  ['anonymous token on a require_identity site', () => send('POST', '/v1/messages', { json: { client_id: uuid(), text: 'hi' }, token: signToken(claims({ site: 'secure' }), stack.sessionSecret) }), 401, 'identity_required'],
  ['token for a removed site', () => send('GET', '/v1/messages', { token: signToken(claims({ site: 'gone' }), stack.sessionSecret) }), 401, 'token_invalid'],
  // Messages: bodies.
  ['empty text', () => send('POST', '/v1/messages', { json: { client_id: uuid(), text: '' }, token: demo.token }), 400, 'invalid_field', 'text'],
  ['blank text', () => send('POST', '/v1/messages', { json: { client_id: uuid(), text: ' \n\t ' }, token: demo.token }), 400, 'invalid_field', 'text'],
  ['text of only invisible characters', () => send('POST', '/v1/messages', { json: { client_id: uuid(), text: '\u200b\u200f\u2066\ufeff' }, token: demo.token }), 400, 'invalid_field', 'text'],
  ['a city with a paragraph separator', () => send('POST', '/v1/contact', { json: { city: 'Bandung\u2029Jakarta' }, token: demo.token }), 400, 'invalid_field', 'city'],
  ['text over 4000', () => send('POST', '/v1/messages', { json: { client_id: uuid(), text: 'é'.repeat(4001) }, token: demo.token }), 400, 'invalid_field', 'text'],
  ['control characters', () => send('POST', '/v1/messages', { json: { client_id: uuid(), text: 'hi\u0000there' }, token: demo.token }), 400, 'invalid_field', 'text'],
  ['smuggled conversation_id', () => send('POST', '/v1/messages', { json: { client_id: uuid(), text: 'hi', conversation_id: 'conv_00000001' }, token: demo.token }), 400, 'invalid_json'],
  ['a script URL as the page', () => send('POST', '/v1/messages', { json: { client_id: uuid(), text: 'hi', page_url: 'javascript:alert(1)' }, token: demo.token }), 400, 'invalid_field', 'page_url'],
  ['text as a number', () => send('POST', '/v1/messages', { json: { client_id: uuid(), text: 42 }, token: demo.token }), 400, 'invalid_json'],
  ['history limit 0', () => send('GET', '/v1/messages?limit=0', { token: demo.token }), 400, 'invalid_field', 'limit'],
  ['history limit 1000', () => send('GET', '/v1/messages?limit=1000', { token: demo.token }), 400, 'invalid_field', 'limit'],
  ['history bad cursor', () => send('GET', '/v1/messages?after=%27%20OR%201%3D1', { token: demo.token }), 400, 'invalid_field', 'after'],
  // Attachments.
  ['HTML disguised as a PNG', () => send('POST', '/v1/attachments', { token: demo.token, form: upload({ client_id: uuid() }, { bytes: new TextEncoder().encode('<!doctype html><script>alert(1)</script>'), type: 'image/png', name: 'cat.png' }) }), 415, 'unsupported_media'],
  ['an executable', () => send('POST', '/v1/attachments', { token: demo.token, form: upload({ client_id: uuid() }, { bytes: Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0]), type: 'application/pdf', name: 'invoice.pdf' }) }), 415, 'unsupported_media'],
  ['an SVG image (scriptable)', () => send('POST', '/v1/attachments', { token: demo.token, form: upload({ client_id: uuid() }, { bytes: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), type: 'image/svg+xml', name: 'a.svg' }) }), 415, 'unsupported_media'],
  ['a file over 10 MB', () => send('POST', '/v1/attachments', { token: demo.token, form: upload({ client_id: uuid() }, { bytes: new Uint8Array(10 * 1024 * 1024 + 1).fill(7, 0).map((v, i) => (i < PNG.length ? PNG[i] : v)), type: 'image/png', name: 'big.png' }) }), 413, 'payload_too_large'],
  ['an empty file', () => send('POST', '/v1/attachments', { token: demo.token, form: upload({ client_id: uuid() }, { bytes: new Uint8Array(0), type: 'image/png', name: 'empty.png' }) }), 400, 'invalid_field', 'file'],
  ['no file part', () => send('POST', '/v1/attachments', { token: demo.token, form: upload({ client_id: uuid() }) }), 400, 'invalid_field', 'file'],
  ['attachment without client_id', () => send('POST', '/v1/attachments', { token: demo.token, form: upload({}, { bytes: PNG, type: 'image/png', name: 'a.png' }) }), 400, 'invalid_field', 'client_id'],
  ['attachment as JSON', () => send('POST', '/v1/attachments', { token: demo.token, json: { file: 'iVBORw0KGgo=' } }), 400, 'invalid_field', 'file'],
  ['attachment without a token', () => send('POST', '/v1/attachments', { form: upload({ client_id: uuid() }, { bytes: PNG, type: 'image/png', name: 'a.png' }) }), 401, 'token_missing'],
  // Ratings and contact attributes.
  ['rating "meh"', () => send('POST', '/v1/rating', { json: { client_id: uuid(), rating: 'meh' }, token: demo.token }), 400, 'invalid_json'],
  ['rating comment of 1001 characters', () => send('POST', '/v1/rating', { json: { client_id: uuid(), rating: 'good', comment: 'a'.repeat(1001) }, token: demo.token }), 400, 'invalid_field', 'comment'],
  ['rating without a token', () => send('POST', '/v1/rating', { json: { client_id: uuid(), rating: 'good' } }), 401, 'token_missing'],
  ['attribute the core does not have', () => send('POST', '/v1/contact', { json: { plan: 'pro' }, token: demo.token }), 400, 'invalid_json'],
  ['no attributes', () => send('POST', '/v1/contact', { json: {}, token: demo.token }), 400, 'invalid_field', 'attributes'],
  ['a phone of 51 characters', () => send('POST', '/v1/contact', { json: { phone: '1'.repeat(51) }, token: demo.token }), 400, 'invalid_field', 'phone'],
  ['a two-line city', () => send('POST', '/v1/contact', { json: { city: 'Bandung\nJakarta' }, token: demo.token }), 400, 'invalid_field', 'city'],
  ['attributes with an expired token', () => send('POST', '/v1/contact', { json: { city: 'Bandung' }, token: signToken(claims({ exp: now() - 1 }), stack.sessionSecret) }), 401, 'token_expired'],
  // Routing and CORS.
  ['foreign preflight', () => send('OPTIONS', '/v1/messages', { origin: 'https://evil.example', headers: { 'Access-Control-Request-Method': 'POST' } }), 403, 'origin_not_allowed'],
  ['wrong method', () => send('DELETE', '/v1/messages', { token: demo.token }), 405, 'method_not_allowed'],
  ['unknown route', () => send('GET', '/v1/admin', { token: demo.token }), 404, 'not_found'],
  ['unknown site settings', () => send('GET', '/v1/sites/nope'), 404, 'unknown_site'],
  ['site settings from a foreign origin', () => send('GET', '/v1/sites/demo', { origin: 'https://evil.example' }), 403, 'origin_not_allowed'],
];

test(`${cases.length} hostile requests: clear errors, and nothing reaches the core`, async (t) => {
  assert.ok(cases.length >= 40);
  for (const [name, request, status, code, field] of cases) {
    const before = (await stack.coreLog()).length;
    const res = await request();
    assert.equal(res.status, status, `${name}: ${res.text.slice(0, 200)}`);
    assert.equal(res.json?.error?.code, code, `${name}: ${res.text.slice(0, 200)}`);
    assert.equal(typeof res.json.error.message, 'string', name);
    if (field) assert.equal(res.json.error.field, field, name);
    const reached = (await stack.coreLog()).slice(before);
    assert.deepEqual(reached, [], `${name} reached the core`);
  }
  t.diagnostic(`${cases.length} cases`);
});

test('a verified identity is one contact across devices, and an attachment goes through', async () => {
  const open = (clientId) => send('POST', '/v1/sessions', {
    json: { site_id: 'secure', client_id: clientId, user_id: 'member-7', user_hash: userHash('member-7', IDENTITY_SECRET), name: 'Member Seven' },
  });
  const phone = await open(uuid());
  const laptop = await open(uuid());
  assert.equal(phone.status, 201, phone.text);
  assert.equal(laptop.status, 201, laptop.text);
  const conversations = (await stack.core('GET', '/conversations?per_page=500')).body.data;
  const customer = (id) => conversations.find((c) => c.id === id).customer_id;
  assert.equal(customer(phone.json.conversation_id), customer(laptop.json.conversation_id));

  const sent = await send('POST', '/v1/attachments', { token: phone.json.token, form: upload({ client_id: uuid(), text: 'my card' }, { bytes: PNG, type: 'application/octet-stream', name: '../../card.png' }) });
  assert.equal(sent.status, 201, sent.text);
  const { attachment } = sent.json.message;
  assert.equal(attachment.mime, 'image/png', 'the sniffed type, not the declared one');
  assert.equal(attachment.name, 'card.png');
  const stored = await fetch(attachment.url);
  assert.deepEqual(new Uint8Array(await stored.arrayBuffer()), PNG);
});

test('bursts are rate limited with Retry-After, and the excess never reaches the core', async () => {
  const { json: session } = await send('POST', '/v1/sessions', { json: { site_id: 'demo', client_id: uuid() } });
  const before = (await stack.coreLog()).filter((e) => e.path === '/livechat/messages').length;
  const results = [];
  for (let i = 0; i < 25; i++) {
    results.push(await send('POST', '/v1/messages', { json: { client_id: uuid(), text: `burst ${i}` }, token: session.token }));
  }
  const limited = results.filter((r) => r.status === 429);
  assert.ok(limited.length >= 5, `limited ${limited.length}`);
  assert.equal(limited[0].json.error.code, 'rate_limited');
  assert.equal(limited[0].headers.get('retry-after'), '10');
  const accepted = results.filter((r) => r.status === 201).length;
  const reached = (await stack.coreLog()).filter((e) => e.path === '/livechat/messages').length - before;
  assert.equal(reached, accepted);
});

test("a site's settings say what its core carries, and nothing of the core's configuration", async () => {
  const site = await send('GET', '/v1/sites/demo');
  assert.equal(site.status, 200);
  assert.deepEqual(site.json.capabilities, { files: true, rating: true }, 'Relasi.U takes files and ratings');
  assert.ok(!site.text.includes('channel') && !site.text.includes('secret'), site.text);
});

test('secret scan: no served byte, response or log line carries the key or a secret', async () => {
  const secrets = [SIM_KEY, SIM_KEY.split('.')[1], stack.sessionSecret, IDENTITY_SECRET];
  const served = [];
  for (const path of ['/widget.js', '/demo/', '/demo/demo.css', '/', '/health', '/v1/sites/demo']) {
    const res = await fetch(`${stack.edgeOrigin}${path}`, { headers: { Origin: stack.edgeOrigin } });
    served.push(await res.text(), JSON.stringify([...res.headers]));
  }
  const loader = served[0];
  const app = loader.match(/app\/[0-9a-f]+\//)[0];
  for (const file of ['sapa_widget.js', 'sapa_widget_bg.wasm']) {
    const bytes = Buffer.from(await (await fetch(`${stack.edgeOrigin}/${app}${file}`)).arrayBuffer());
    served.push(bytes.toString('latin1'));
  }
  const haystacks = [...served, ...seen, stack.logs.join('')];
  assert.ok(haystacks.length > 100);
  for (const secret of secrets) {
    for (const h of haystacks) assert.ok(!h.includes(secret), `a secret leaked into: ${h.slice(0, 120)}`);
  }
});
