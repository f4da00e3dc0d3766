// The walking skeleton, end to end: Chromium on the demo page -> widget (wasm, Shadow DOM) -> edge (workerd)
// -> simulator, and the agent's reply all the way back, surviving a reload.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { eventually, useStack } from './harness.mjs';

const env = useStack();

const bubbles = (page) => page.getByTestId('message');

// Runs first, while this browser has no chat yet: the loader must stay off the network until intent, and a
// press that the app's arrival interrupts (the facade replaced between pointerdown and click) still opens it.
test('the loader waits for intent, and a press alone is intent to open', async () => {
  const page = await env.browser.context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(`${env.stack.edgeOrigin}/demo/`);
  await page.getByTestId('launcher').waitFor();
  await page.waitForTimeout(500);
  assert.deepEqual(requests.filter((p) => p.startsWith('/app/') || p.startsWith('/v1/')), [], 'nothing loads before intent');
  assert.deepEqual(
    await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie]),
    [0, 0, ''],
    'nothing is stored before intent: no localStorage, sessionStorage or cookie',
  );
  assert.deepEqual(await env.browser.context.cookies(), []);

  await page.evaluate(() => {
    const facade = document.getElementById('sapa-chat').shadowRoot.querySelector('[data-testid=launcher]');
    facade.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
  });
  await page.getByTestId('panel').waitFor();
  assert.ok(requests.some((p) => p.endsWith('/sapa_widget_bg.wasm')));

  // The site's settings reach the widget: greeting and accent colour, under the demo's strict CSP.
  await page.getByTestId('greeting').filter({ hasText: 'Halo! Ask us about our beans.' }).waitFor();
  assert.match(await page.getByTestId('presence').textContent(), /usually reply/);
  const accent = await page.evaluate(() => {
    const header = document.getElementById('sapa-chat').shadowRoot.querySelector('.sapa-header');
    return getComputedStyle(header).backgroundColor;
  });
  assert.equal(accent, 'rgb(138, 75, 42)');
  assert.deepEqual(consoleErrors, [], 'no CSP violations or other errors');
  await page.close();
});

test('a visitor message reaches the agent, the reply reaches the visitor, and both survive a reload', async (t) => {
  const page = await env.browser.context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  page.on('response', (r) => { if (r.status() >= 400) pageErrors.push(`${r.status()} ${r.url()}`); });

  await page.goto(`${env.stack.edgeOrigin}/demo/`);
  // The facade launcher is in the loader's shadow root; Playwright's test-id locator pierces open shadow roots.
  await page.getByTestId('launcher').click();
  const composer = page.getByTestId('composer');
  await composer.waitFor();
  const focused = await eventually(
    () => page.evaluate(() => document.getElementById('sapa-chat').shadowRoot.activeElement?.dataset.testid),
    { what: 'the composer to take focus' },
  );
  assert.equal(focused, 'composer');

  await composer.fill('hello');
  await composer.press('Enter');
  await page.locator('[data-testid=message][data-state^=Confirmed]', { hasText: 'hello' }).waitFor();

  // The core holds it as the customer's inbound message on a livechat conversation, under the widget's id
  // scoped to the conversation (sapa1.m.<uuid>.<tag>).
  const conversations = await env.stack.core('GET', '/conversations');
  assert.equal(conversations.body.total, 1);
  const conversation = conversations.body.data[0];
  assert.equal(conversation.channel, 'livechat');
  const inbound = (await env.stack.core('GET', `/messages?conversation_id=${conversation.id}`)).body.data;
  assert.equal(inbound.length, 1);
  assert.equal(inbound[0].direction, 'in');
  assert.equal(inbound[0].text, 'hello');
  assert.match(inbound[0].client_request_id, /^sapa1\.m\.[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.[A-Za-z0-9_-]{20}$/);

  // The agent answers through the core's API.
  const reply = await env.stack.core('POST', '/messages/text', {
    client_request_id: crypto.randomUUID(),
    conversation_id: conversation.id,
    text: 'Hi! The Gayo beans are in stock.',
    from_user_id: 'usr_ayu',
  });
  assert.equal(reply.status, 201);
  const agentBubble = page.locator('[data-testid=message]', { hasText: 'The Gayo beans are in stock.' });
  await agentBubble.waitFor({ timeout: 10000 });
  assert.match(await agentBubble.textContent(), /Ayu/);

  await page.reload();
  // A returning visitor's widget loads on idle; open it and find both messages, once each.
  await page.getByTestId('launcher').click();
  await page.getByTestId('composer').waitFor();
  await eventually(async () => (await bubbles(page).count()) === 2, { what: 'two messages after reload' });
  const texts = await bubbles(page).allTextContents();
  assert.match(texts[0], /hello/);
  assert.match(texts[1], /Gayo beans are in stock/);

  // Nothing was sent twice.
  const after = (await env.stack.core('GET', `/messages?conversation_id=${conversation.id}`)).body;
  assert.equal(after.total, 2);
  assert.deepEqual(pageErrors, [], 'no errors in the page console');
  t.diagnostic(`conversation ${conversation.id}`);
});
