// The end of a chat in Chromium: the agent reads (the visitor sees "Read"), resolves (the widget says so),
// and the visitor downloads the conversation as text or starts a new one.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { eventually, startBrowser, startStack } from './harness.mjs';
import { agentSays } from './stream.mjs';

let stack;
let browser;

before(async () => {
  stack = await startStack({ webhooks: true });
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** An action in the simulator's agent inbox, as the agent's browser would post it. */
const inbox = (action, fields) => fetch(`${stack.simOrigin}/inbox/${action}`, {
  method: 'POST', body: new URLSearchParams(fields), redirect: 'manual',
});

test('read receipts, resolution, transcript and a new chat', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${stack.edgeOrigin}/demo/`);
  await page.getByTestId('launcher').click();
  await page.getByTestId('composer').fill('Can I pick up in Jakarta?');
  await page.getByTestId('composer').press('Enter');
  await page.locator('[data-testid=message][data-state^=Confirmed]').waitFor();
  const { session } = await page.evaluate(() => JSON.parse(localStorage.getItem('sapa:v1:demo')));

  await inbox('read', { conversation_id: session.conversation_id });
  await page.locator('[data-testid=message][data-state="Confirmed(Read)"]', { hasText: 'Jakarta' }).waitFor();
  await agentSays(stack, session.conversation_id, 'Yes, at our Kemang shop.');
  await page.locator('[data-testid=message]', { hasText: 'Kemang' }).waitFor();

  await inbox('status', { conversation_id: session.conversation_id, status: 'resolved' });
  await page.getByTestId('conversation-status').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
  assert.equal(download.suggestedFilename(), 'conversation.txt');
  const text = fs.readFileSync(await download.path(), 'utf8');
  assert.match(text, /^Kopi Nusantara\n/);
  assert.match(text, /\] You: Can I pick up in Jakarta\?\n/);
  assert.match(text, /\] .+: Yes, at our Kemang shop\.\n/);

  await page.getByTestId('new-chat').click();
  await eventually(async () => (await page.getByTestId('message').count()) === 0, { what: 'an empty thread' });
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('sapa:v1:demo')).session), null);
  await page.close();
});
