// The end of a chat in Chromium: the agent reads (the visitor sees "Read"), resolves (the widget says so),
// the visitor rates the conversation (recorded in the core for agents), downloads it as text or starts a new
// one. Also the site's `setAttributes`, which lands on the visitor's contact once there is a conversation.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { eventually, forgetOrigin, useStack } from './harness.mjs';
import { agentSays } from './stream.mjs';

const env = useStack({ webhooks: true });

/** An action in the simulator's agent inbox, as the agent's browser would post it. */
const inbox = (action, fields) => fetch(`${env.stack.simOrigin}/inbox/${action}`, {
  method: 'POST', body: new URLSearchParams(fields), redirect: 'manual',
});

test('read receipts, resolution, transcript and a new chat', async () => {
  const page = await env.browser.context.newPage();
  await page.goto(`${env.stack.edgeOrigin}/demo/`);
  await page.getByTestId('launcher').click();
  await page.getByTestId('composer').fill('Can I pick up in Jakarta?');
  await page.getByTestId('composer').press('Enter');
  await page.locator('[data-testid=message][data-state^=Confirmed]').waitFor();
  const { session } = await page.evaluate(() => JSON.parse(localStorage.getItem('sapa:v1:demo')));

  await inbox('read', { conversation_id: session.conversation_id });
  await page.locator('[data-testid=message][data-state="Confirmed(Read)"]', { hasText: 'Jakarta' }).waitFor();
  await agentSays(env.stack, session.conversation_id, 'Yes, at our Kemang shop.');
  await page.locator('[data-testid=message]', { hasText: 'Kemang' }).waitFor();

  await inbox('status', { conversation_id: session.conversation_id, status: 'resolved' });
  await page.getByTestId('conversation-status').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
  assert.equal(download.suggestedFilename(), 'conversation.txt');
  const text = fs.readFileSync(await download.path(), 'utf8');
  assert.match(text, /^Kopi Nusantara\n/);
  assert.match(text, /\] You: Can I pick up in Jakarta\?\n/);
  assert.match(text, /\] .+: Yes, at our Kemang shop\.\n/);

  // The rating: bad, with a comment. It reaches the core once, as a system line agents see.
  await page.getByTestId('rate-bad').click();
  assert.equal(await page.getByTestId('rate-bad').getAttribute('aria-pressed'), 'true');
  await page.getByTestId('rate-comment').fill('The pickup hours were hard to find.');
  await page.getByTestId('rate-send').click();
  await page.locator('[data-testid=rating][data-state=sent]').waitFor();
  const lines = async () => (await env.stack.core('GET', `/messages?conversation_id=${session.conversation_id}&per_page=100`)).body.data
    .filter((m) => m.sender.type === 'system').map((m) => m.text);
  assert.deepEqual(await lines(), ['Visitor rated this conversation: bad 👎\n“The pickup hours were hard to find.”']);
  // The visitor sees their own rating in their words, and after a reload the widget still knows it was sent.
  const mine = page.locator('.sapa-note', { hasText: 'You rated this conversation: Bad' });
  await mine.waitFor();
  assert.match(await mine.textContent(), /“The pickup hours were hard to find\.”/);
  await page.reload();
  await page.getByTestId('launcher').click();
  await page.locator('.sapa-note', { hasText: 'You rated this conversation: Bad' }).waitFor();
  assert.deepEqual(await lines(), ['Visitor rated this conversation: bad 👎\n“The pickup hours were hard to find.”']);

  await page.getByTestId('new-chat').click();
  await eventually(async () => (await page.getByTestId('message').count()) === 0, { what: 'an empty thread' });
  // Nothing is left: no session, no rating (an empty state is not stored at all).
  assert.equal(await page.evaluate(() => localStorage.getItem('sapa:v1:demo')), null);
  await page.close();
});

test('setAttributes waits for a conversation, then lands on the contact; unknown fields are refused', async () => {
  const page = await env.browser.context.newPage();
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await forgetOrigin(page, env.stack.edgeOrigin);
  await page.goto(`${env.stack.edgeOrigin}/demo/`);
  await page.evaluate(() => {
    Sapa('setAttributes', { company: 'Toko Maju', city: 'Bandung' });
    Sapa('setAttributes', { plan: 'pro' });
    Sapa('setAttributes', { phone: '1'.repeat(51) });
    Sapa('open');
  });
  await page.getByTestId('composer').waitFor();
  // No conversation yet: nothing is sent, and the attributes wait in the saved state.
  assert.ok(!requests.includes('/v1/contact'));
  const pending = await page.evaluate(() => JSON.parse(localStorage.getItem('sapa:v1:demo')).attributes);
  assert.deepEqual(pending, { company: 'Toko Maju', city: 'Bandung' });
  assert.ok(warnings.some((w) => /unknown attribute "plan"/.test(w)), warnings.join('\n'));
  assert.ok(warnings.some((w) => /phone: must be at most 50/.test(w)), warnings.join('\n'));

  await page.getByTestId('composer').fill('Hello, I need an invoice');
  await page.getByTestId('composer').press('Enter');
  await page.locator('[data-testid=message][data-state^=Confirmed]').waitFor();
  const { session } = await page.evaluate(() => JSON.parse(localStorage.getItem('sapa:v1:demo')));
  const conversations = (await env.stack.core('GET', '/conversations?per_page=500')).body.data;
  const contactId = conversations.find((c) => c.id === session.conversation_id).customer_id;
  await eventually(async () => (await env.stack.core('GET', `/contacts/${contactId}`)).body.company === 'Toko Maju', { what: 'the company on the contact' });
  const contact = (await env.stack.core('GET', `/contacts/${contactId}`)).body;
  assert.equal(contact.city, 'Bandung');
  await eventually(async () => (await page.evaluate(() => JSON.parse(localStorage.getItem('sapa:v1:demo')).attributes)) === null, { what: 'attributes cleared once sent' });

  // With a conversation, a later call goes out at once and keeps what was set before.
  await page.evaluate(() => Sapa('setAttributes', { job_title: 'Owner' }));
  await eventually(async () => (await env.stack.core('GET', `/contacts/${contactId}`)).body.job_title === 'Owner', { what: 'the job title' });
  assert.equal((await env.stack.core('GET', `/contacts/${contactId}`)).body.company, 'Toko Maju');
  await page.close();
});
