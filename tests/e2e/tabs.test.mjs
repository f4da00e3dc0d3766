// Several tabs of one visitor in Chromium: one tab holds the stream (a Web Lock), the others hear it over a
// BroadcastChannel; all show the same conversation, and when the holder closes another tab takes over.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually, useStack } from './harness.mjs';
import { startChat } from './chat-page.mjs';
import { agentSays } from './stream.mjs';

const env = useStack({ webhooks: true });

test('three tabs, one socket; each shows every message; the socket moves when its tab closes', async () => {
  const first = await startChat(env.stack, env.browser, 'Hello from the first tab');
  const others = [];
  for (let i = 0; i < 2; i++) {
    const page = await env.browser.context.newPage();
    const sockets = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(`${env.stack.edgeOrigin}/demo/`);
    await page.getByTestId('launcher').click();
    await page.locator('[data-testid=message]', { hasText: 'first tab' }).waitFor();
    others.push({ page, sockets });
  }
  const bubble = (page, text) => page.locator('[data-testid=message]', { hasText: text });

  await agentSays(env.stack, first.conversation, 'One reply, three tabs');
  for (const page of [first.page, ...others.map((o) => o.page)]) await bubble(page, 'One reply, three tabs').waitFor();
  assert.equal(first.sockets.length, 1, 'the first tab holds the stream');
  assert.deepEqual(others.map((o) => o.sockets.length), [0, 0], 'the other tabs open no socket');
  assert.equal(await bubble(others[1].page, 'One reply, three tabs').count(), 1, 'shown once');

  // A message written in a tab without the socket reaches the others through the holder's stream.
  await others[0].page.getByTestId('composer').fill('Written in the second tab');
  await others[0].page.getByTestId('composer').press('Enter');
  await bubble(first.page, 'Written in the second tab').waitFor();
  await bubble(others[1].page, 'Written in the second tab').waitFor();

  // The holder goes: the browser gives the lock to a waiting tab, which opens the one socket and hears.
  await first.page.close();
  await eventually(() => others.reduce((n, o) => n + o.sockets.length, 0) === 1, { what: 'one tab takes the stream over' });
  await agentSays(env.stack, first.conversation, 'After the first tab closed');
  for (const { page } of others) await bubble(page, 'After the first tab closed').waitFor();
  assert.equal(others.reduce((n, o) => n + o.sockets.length, 0), 1, 'still one socket');
  for (const { page } of others) await page.close();
});

test('a message one tab cannot send is taken up by another tab and sent once', async () => {
  const first = await startChat(env.stack, env.browser, 'Hello before the trouble');
  const second = await env.browser.context.newPage();
  await second.goto(`${env.stack.edgeOrigin}/demo/`);
  await second.getByTestId('launcher').click();
  await second.locator('[data-testid=message]', { hasText: 'before the trouble' }).waitFor();
  // The first tab's requests fail (as on a flaky network); the message stays in its outbox.
  await first.page.route('**/v1/messages', (route) => route.abort('connectionfailed'));
  await first.page.getByTestId('composer').fill('Written where sending fails');
  await first.page.getByTestId('composer').press('Enter');
  // The second tab sees it in the shared storage, sends it with the same client id, and both show it sent.
  for (const page of [second, first.page]) {
    await page.locator('[data-testid=message][data-state^=Confirmed]', { hasText: 'sending fails' }).waitFor();
  }
  const stored = (await env.stack.core('GET', `/messages?conversation_id=${first.conversation}`)).body.data;
  assert.equal(stored.filter((m) => m.text === 'Written where sending fails').length, 1, 'once in the core');
  await first.page.close();
  await second.close();
});
