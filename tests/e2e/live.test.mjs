// The widget on the stream, in Chromium, in both real-time modes: replies arrive with no polling, a visitor
// who goes offline gets what they missed once and in order, and (with webhooks) duplicated and reordered
// deliveries render once each in the right order. Reply-to-DOM latency is reported as a diagnostic.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually, startBrowser, startStack } from './harness.mjs';
import { agentSays } from './stream.mjs';
import { percentile, replyLatencies, startChat, texts } from './chat-page.mjs';

for (const mode of ['webhooks', 'polling']) {
  describe(`widget in ${mode} mode`, () => {
    let stack;
    let browser;
    before(async () => {
      stack = await startStack({ webhooks: mode === 'webhooks' });
      browser = await startBrowser();
    });
    after(async () => {
      await browser?.close();
      await stack?.stop();
    });

    test('agent replies arrive over the stream, with no polling', async (t) => {
      const chat = await startChat(stack, browser);
      await agentSays(stack, chat.conversation, 'Selamat pagi! How can I help?');
      await chat.page.locator('[data-testid=message]', { hasText: 'Selamat pagi!' }).waitFor();
      const latencies = await replyLatencies(stack, chat, 10);
      t.diagnostic(`reply→DOM ${mode}: p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms (n=10)`);
      await chat.page.waitForTimeout(2500);
      assert.deepEqual(chat.requests.filter((r) => r.includes('/v1/messages') && r.startsWith('GET')), [], 'no polling');
      assert.equal(chat.sockets.length, 1, 'one socket');
      assert.doesNotMatch(chat.sockets[0], /v1\./, 'the token is not in the URL');
      assert.deepEqual(chat.problems, []);
      await chat.page.close();
    });

    test('offline while the agent replies twice: both arrive once, in order, when back', async (t) => {
      const chat = await startChat(stack, browser, 'Are you open on Sunday?');
      const { context } = browser;
      await context.setOffline(true);
      t.after(() => context.setOffline(false));
      await chat.page.locator('[data-testid=panel][data-connection=offline]').waitFor();
      await agentSays(stack, chat.conversation, 'Yes, from nine.');
      await new Promise((r) => setTimeout(r, 30));
      await agentSays(stack, chat.conversation, 'Until three in the afternoon.');
      await new Promise((r) => setTimeout(r, mode === 'polling' ? 1500 : 500));
      assert.deepEqual(await texts(chat.page), ['Are you open on Sunday?'], 'nothing arrives while offline');
      await context.setOffline(false);
      await chat.page.locator('[data-testid=panel][data-connection=live]').waitFor();
      await eventually(async () => (await texts(chat.page)).length === 3, { what: 'both replies' });
      await chat.page.waitForTimeout(mode === 'polling' ? 2000 : 500);
      assert.deepEqual(await texts(chat.page), ['Are you open on Sunday?', 'Yes, from nine.', 'Until three in the afternoon.']);
      assert.equal(chat.sockets.length, 2, 'one reconnect');
      assert.match(chat.sockets[1], /[?&]cursor=/, 'the reconnect resumes from its cursor');
      await chat.page.close();
    });

    if (mode === 'webhooks') {
      test('a duplicated and an out-of-order webhook render once, in the right order', async () => {
        const chat = await startChat(stack, browser, 'Two questions');
        const switches = (body) => fetch(`${stack.simOrigin}/__sim/webhooks`, {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
        });
        await switches({ paused: true });
        await agentSays(stack, chat.conversation, 'Answer one');
        await new Promise((r) => setTimeout(r, 20));
        await agentSays(stack, chat.conversation, 'Answer two');
        await switches({ paused: false, duplicate: true, reverse: true });
        await eventually(async () => (await texts(chat.page)).length === 3, { what: 'both answers' });
        await chat.page.waitForTimeout(800);
        await switches({});
        assert.deepEqual(await texts(chat.page), ['Two questions', 'Answer one', 'Answer two']);
        const seen = await chat.page.evaluate(() => window.__seen);
        assert.ok(seen['Answer two'] <= seen['Answer one'], 'they did arrive reversed');
        await chat.page.close();
      });
    }
  });
}
