// What the edge promises a visitor whatever core a site is on, run once per core (drivers in cores.mjs):
// a message stored once through the core's failures, an agent reply pushed live, a reconnect that catches up
// once and in order, refusals that reach no core, and no secret in anything served, answered or logged.
// What only one platform does stays beside its adapter's own suite (chat, faults, realtime, respondio…).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { callEdge, eventually, startBrowser } from './harness.mjs';
import { startChat, texts } from './chat-page.mjs';
import { CORES, uuid } from './cores.mjs';

for (const [name, start] of Object.entries(CORES)) {
  describe(`a site on ${name}`, () => {
    let core;
    let browser;
    const seen = []; // every answer the API calls below got, for the secret scan
    before(async () => {
      core = await start();
      browser = await startBrowser();
    });
    after(async () => {
      await browser?.close();
      await core?.stop();
    });
    beforeEach(async () => { await core.clearFaults(); });

    const edge = () => core.stack.edgeOrigin;
    async function call(method, route, options) {
      const res = await callEdge(core.stack, method, route, options);
      seen.push(res.text, JSON.stringify([...res.headers]));
      return res;
    }
    const openSession = async () => {
      const res = await call('POST', '/v1/sessions', { json: { site_id: 'demo', client_id: uuid() } });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      return res.json;
    };
    const writes = async () => (await core.log()).filter((e) => e.path.startsWith(core.writePath));

    test('a message sent through failing writes is stored once, and the agent\'s reply is pushed live', async () => {
      await core.fault({ path: core.writePath, fail_next: 1, status: 500 });
      await core.fault({ path: core.writePath, fail_next: 1, status: 503 });
      const before = (await writes()).length;
      const chat = await startChat(core.stack, browser, 'Is the Gayo roast in stock?');
      const tries = (await writes()).slice(before).map((e) => e.status);
      assert.deepEqual(tries.slice(0, 2), [500, 503], 'the core failed twice');
      assert.equal(tries.length, 3, `one retry after each failure: ${tries}`);
      assert.equal((await core.visitorCopies(chat.conversation, 'Is the Gayo roast in stock?')).length, 1, 'stored once');

      await core.agentSays(chat.conversation, 'Yes! Roasted this morning.');
      await chat.page.locator('[data-testid=message]', { hasText: 'Roasted this morning.' }).waitFor({ timeout: 10000 });
      assert.deepEqual(await texts(chat.page), ['Is the Gayo roast in stock?', 'Yes! Roasted this morning.']);
      assert.deepEqual(chat.problems, []);
      await chat.page.close();
    });

    test('offline while the agent replies twice: both arrive once, in order, when back', async (t) => {
      const chat = await startChat(core.stack, browser, 'Are you open on Sunday?');
      const { context } = browser;
      await context.setOffline(true);
      t.after(() => context.setOffline(false));
      await chat.page.locator('[data-testid=panel][data-connection=offline]').waitFor();
      await core.agentSays(chat.conversation, 'Yes, from nine.');
      await core.agentSays(chat.conversation, 'Until three in the afternoon.');
      await context.setOffline(false);
      await chat.page.locator('[data-testid=panel][data-connection=live]').waitFor();
      await eventually(async () => (await texts(chat.page)).length === 3, { what: 'both replies' });
      await chat.page.waitForTimeout(500);
      assert.deepEqual(await texts(chat.page), ['Are you open on Sunday?', 'Yes, from nine.', 'Until three in the afternoon.']);
      assert.equal(chat.sockets.length, 2, 'one reconnect');
      assert.match(chat.sockets[1], /[?&]cursor=/, 'the reconnect resumes from its cursor');
      await chat.page.close();
    });

    test('a write whose answer was lost after the core took it is retried under its own id, never as a new one', async () => {
      const session = await openSession();
      await core.fault({ path: core.writePath, drop_after_commit: 1 });
      const message = { client_id: uuid(), text: 'committed, then the answer was lost' };
      const sent = await call('POST', '/v1/messages', { json: message, token: session.token });
      assert.equal(sent.status, 201, JSON.stringify(sent.json));
      const copies = await core.visitorCopies(session.conversation_id, message.text);
      if (core.findsLostWrites) {
        assert.equal(copies.length, 1, 'the retry found the first write');
      } else {
        assert.ok(copies.length >= 1 && copies.length <= 2, `the first write and at most one retry: ${copies.length}`);
        assert.equal(new Set(copies.map((c) => c.id)).size, 1, 'every copy carries the one id, for the core to drop');
      }
      // The widget sending it again (a reload before the answer) gets the same message and adds no copy. A core
      // that cannot find a write again never sees the repeat: the edge answers it from its own record.
      const count = (await writes()).length;
      const again = await call('POST', '/v1/messages', { json: message, token: session.token });
      assert.equal(again.json.message.id, sent.json.message.id);
      assert.equal((await core.visitorCopies(session.conversation_id, message.text)).length, copies.length);
      if (!core.findsLostWrites) assert.equal((await writes()).length, count, 'the repeat reached no core');
    });

    test('one message sent by three tabs at once is stored once, and every tab gets that message', async () => {
      const session = await openSession();
      // Each send is held at the core, so the others arrive while the first is still out.
      await core.fault({ path: core.writePath, delay_ms: 400 });
      const message = { client_id: uuid(), text: 'from three tabs at once' };
      const send = () => call('POST', '/v1/messages', { json: message, token: session.token });
      const answers = await Promise.all([send(), send(), send()]);
      await core.clearFaults();
      const ids = [];
      for (let res of answers) {
        // A tab told another request is sending it retries, as the widget does.
        for (let i = 0; res.status === 503 && res.json.error.code === 'write_busy' && i < 30; i++) {
          await new Promise((r) => setTimeout(r, 100));
          res = await send();
        }
        assert.equal(res.status, 201, JSON.stringify(res.json));
        ids.push(res.json.message.id);
      }
      assert.equal(new Set(ids).size, 1, `one message for every tab: ${ids}`);
      assert.equal((await core.visitorCopies(session.conversation_id, message.text)).length, 1, 'stored once');
    });

    test('a core down longer than the retry budget: 503, then the widget\'s retry (same id) stores it once', async () => {
      const session = await openSession();
      await core.fault({ path: core.writePath, fail_next: 20, status: 503 });
      const message = { client_id: uuid(), text: 'sent when the core is back' };
      const down = await call('POST', '/v1/messages', { json: message, token: session.token });
      assert.equal(down.status, 503);
      assert.equal(down.json.error.code, 'core_unavailable');
      assert.equal((await core.visitorCopies(session.conversation_id, message.text)).length, 0);
      await core.clearFaults();
      const first = await call('POST', '/v1/messages', { json: message, token: session.token });
      const again = await call('POST', '/v1/messages', { json: message, token: session.token });
      assert.equal(first.status, 201);
      assert.equal(again.json.message.id, first.json.message.id);
      assert.equal((await core.visitorCopies(session.conversation_id, message.text)).length, 1);
    });

    test('refusals answer a stable code and reach no core', async () => {
      const session = await openSession();
      // Only writes are counted: a read the edge makes in the background (a catch-up) is not a refusal's.
      const writesToCore = async () => (await core.log()).filter((e) => e.method !== 'GET').length;
      const calls = await writesToCore();
      const refusals = [
        ['a foreign origin', () => call('POST', '/v1/sessions', { json: { site_id: 'demo', client_id: uuid() }, origin: 'https://evil.example' }), 403, 'origin_not_allowed'],
        ['an unknown site', () => call('POST', '/v1/sessions', { json: { site_id: 'nope', client_id: uuid() } }), 404, 'unknown_site'],
        ['no token', () => call('POST', '/v1/messages', { json: { client_id: uuid(), text: 'hi' } }), 401, 'token_missing'],
        ['a forged token', () => call('POST', '/v1/messages', { json: { client_id: uuid(), text: 'hi' }, token: `${session.token.slice(0, -4)}AAAA` }), 401, 'token_invalid'],
        ['empty text', () => call('POST', '/v1/messages', { json: { client_id: uuid(), text: '' }, token: session.token }), 400, 'invalid_field'],
        ['text over 4000', () => call('POST', '/v1/messages', { json: { client_id: uuid(), text: 'é'.repeat(4001) }, token: session.token }), 400, 'invalid_field'],
        ['an unknown field', () => call('POST', '/v1/messages', { json: { client_id: uuid(), text: 'hi', author: 'agent' }, token: session.token }), 400, 'invalid_json'],
        ['a bad client id', () => call('POST', '/v1/messages', { json: { client_id: 'abc', text: 'hi' }, token: session.token }), 400, 'invalid_field'],
        ['malformed JSON', () => call('POST', '/v1/messages', { raw: '{"text":', token: session.token }), 400, 'invalid_json'],
        ['a rating out of range', () => call('POST', '/v1/rating', { json: { client_id: uuid(), rating: 'superb' }, token: session.token }), 400, 'invalid_json'],
      ];
      for (const [what, send, status, code] of refusals) {
        const res = await send();
        assert.equal(res.status, status, `${what}: ${JSON.stringify(res.json)}`);
        assert.equal(res.json?.error?.code, code, what);
      }
      assert.equal(await writesToCore(), calls, 'nothing reached the core');
      const history = await call('GET', '/v1/messages', { token: session.token });
      assert.deepEqual(history.json.messages, [], 'and nothing was written');
    });

    test('secret scan: no served byte, answer or log line carries a core key, a channel secret or the session secret', async () => {
      const served = [];
      for (const route of ['/widget.js', '/demo/', '/', '/health', '/v1/sites/demo']) {
        const res = await fetch(`${edge()}${route}`, { headers: { Origin: edge() } });
        served.push(await res.text(), JSON.stringify([...res.headers]));
      }
      const app = served[0].match(/app\/[0-9a-f]+\//)[0];
      for (const file of ['sapa_widget.js', 'sapa_widget_bg.wasm']) {
        served.push(Buffer.from(await (await fetch(`${edge()}/${app}${file}`)).arrayBuffer()).toString('latin1'));
      }
      // The edge's log lines (the simulators print their own test secrets at start-up).
      const edgeLogs = core.stack.logs.filter((l) => l.startsWith('[edge]')).join('');
      const haystacks = [...served, ...seen, edgeLogs];
      assert.ok(seen.length > 20, 'the scan covers the API answers of the tests above');
      for (const secret of core.secrets.filter(Boolean)) {
        for (const h of haystacks) assert.ok(!h.includes(secret), `a secret leaked into: ${h.slice(0, 120)}`);
      }
    });
  });
}
