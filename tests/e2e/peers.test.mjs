// What every peer widget has, in Chromium: a preview of the agent's reply beside the closed launcher, read
// ticks, one author per run of messages, a sound switch that is remembered, earlier conversations to read
// again, and an emoji picker with emoji-only messages shown large. Each in the visitor's language, with axe
// finding nothing in its state.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually, forgetOrigin, useStack } from './harness.mjs';
import { axeViolations as axe, shot } from './page-checks.mjs';
import { agentSays } from './stream.mjs';

const env = useStack({ webhooks: true }, { viewport: { width: 1280, height: 800 } });

/** A new visitor on the demo page in `locale`; `AudioContext` constructions are counted in `__tones`. */
async function visit(locale = 'en') {
  const page = await env.browser.context.newPage();
  await page.addInitScript((l) => {
    window.SapaSettings = { locale: l };
    window.__tones = 0;
    const Real = window.AudioContext;
    window.AudioContext = function (...args) { window.__tones++; return new Real(...args); };
  }, locale);
  await forgetOrigin(page, env.stack.edgeOrigin);
  await page.goto(`${env.stack.edgeOrigin}/demo/`);
  await page.getByTestId('launcher').click();
  return page;
}

async function send(page, text) {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
  await page.locator('[data-testid=message][data-state^=Confirmed]', { hasText: text }).waitFor();
  return (await page.evaluate(() => JSON.parse(localStorage.getItem('sapa:v1:demo')))).session.conversation_id;
}

const inbox = (action, fields) => fetch(`${env.stack.simOrigin}/inbox/${action}`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });

test('a reply while the chat is closed shows beside the launcher; choosing it opens the chat, the cross puts it away', async () => {
  const page = await visit();
  const conversation = await send(page, 'Do you ship to Medan?');
  await page.getByTestId('close').click();
  await agentSays(env.stack, conversation, 'Yes! Medan takes two days by courier.');
  const card = page.getByTestId('reply-preview');
  await card.waitFor();
  assert.match(await card.textContent(), /Yes! Medan takes two days/);
  assert.deepEqual(await axe(page), [], 'axe: the preview');
  await shot(page, 'peers-reply-preview');
  await card.locator('.sapa-card-open').click();
  await page.getByTestId('panel').waitFor();
  await card.waitFor({ state: 'detached' });
  await page.getByTestId('close').click();
  await agentSays(env.stack, conversation, 'Anything else?');
  await card.waitFor();
  await card.getByRole('button', { name: 'Dismiss' }).click();
  await card.waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('unread').textContent(), '1', 'the count stays on the launcher');
  await page.close();
});

test('the visitor\'s messages carry ticks, named for screen readers; one author per run of messages', async () => {
  const page = await visit('id');
  const conversation = await send(page, 'Halo, apakah ada kopi Toraja?');
  const ticks = page.getByTestId('ticks');
  assert.match(await ticks.getAttribute('data-ticks'), /^(sent|delivered)$/);
  await inbox('read', { conversation_id: conversation });
  await page.locator('[data-testid=ticks][data-ticks=read]').waitFor();
  assert.equal(await ticks.getAttribute('aria-label'), 'Dibaca');
  await agentSays(env.stack, conversation, 'Ada!');
  await agentSays(env.stack, conversation, 'Mau berapa gram?');
  await page.locator('[data-testid=message]', { hasText: 'Mau berapa gram?' }).waitFor();
  const authors = await page.locator('.sapa-theirs').evaluateAll((rows) => rows.map((r) => r.querySelectorAll('.sapa-author').length));
  assert.deepEqual(authors, [1, 0], 'the name and avatar once per run');
  await page.close();
});

test('the sound switch: on by default, off is remembered across reloads and silences new replies', async () => {
  const page = await visit('id');
  const conversation = await send(page, 'Tes suara');
  const sound = page.getByTestId('sound');
  assert.equal(await sound.getAttribute('aria-label'), 'Suara untuk pesan baru');
  assert.equal(await sound.getAttribute('aria-pressed'), 'true');
  await page.getByTestId('close').click();
  await agentSays(env.stack, conversation, 'Bunyi satu');
  await page.getByTestId('reply-preview').waitFor();
  assert.equal(await page.evaluate(() => window.__tones), 1, 'a reply with the chat closed plays the tone');
  await page.getByTestId('launcher').click();
  await sound.click();
  assert.equal(await sound.getAttribute('aria-pressed'), 'false');
  await page.reload();
  await page.getByTestId('launcher').click();
  assert.equal(await page.getByTestId('sound').getAttribute('aria-pressed'), 'false', 'remembered');
  await page.getByTestId('close').click();
  await agentSays(env.stack, conversation, 'Bunyi dua');
  await page.getByTestId('reply-preview').filter({ hasText: 'Bunyi dua' }).waitFor();
  assert.equal(await page.evaluate(() => window.__tones), 0, 'silent');
  await page.close();
});

test('earlier conversations: kept when a new chat starts, read-only to read again, forgotten at reset', async () => {
  const page = await visit();
  const conversation = await send(page, 'My first question');
  await agentSays(env.stack, conversation, 'The first answer');
  await page.locator('[data-testid=message]', { hasText: 'The first answer' }).waitFor();
  assert.equal(await page.getByTestId('earlier').count(), 0, 'nothing earlier yet');
  await inbox('status', { conversation_id: conversation, status: 'resolved' });
  await page.getByTestId('new-chat').click();
  await send(page, 'A second question');
  await page.getByTestId('earlier').click();
  await page.getByTestId('past-item').waitFor();
  assert.match(await page.getByTestId('past-item').textContent(), /My first question/);
  assert.deepEqual(await axe(page), [], 'axe: the list');
  await page.getByTestId('past-item').click();
  const old = page.getByTestId('past-messages');
  await old.waitFor();
  assert.deepEqual(await old.locator('.sapa-text').allTextContents(), ['My first question', 'The first answer']);
  assert.equal(await page.getByTestId('composer').count(), 0, 'read-only');
  await shot(page, 'peers-earlier');
  await page.getByTestId('past-back').click();
  await page.getByTestId('past-back').click();
  await page.locator('[data-testid=message]', { hasText: 'A second question' }).waitFor();
  await page.evaluate(() => window.Sapa('reset'));
  await page.getByTestId('earlier').waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => localStorage.getItem('sapa:v1:demo:past')), null);
  await page.close();
});

test('the emoji picker puts an emoji at the caret; Escape closes it and not the chat; emoji-only messages are large', async () => {
  const page = await visit('ar');
  await page.getByTestId('composer').fill('شكرا');
  await page.getByTestId('composer').evaluate((el) => el.setSelectionRange(0, 0));
  await page.getByTestId('emoji').click();
  const picker = page.getByTestId('emoji-picker');
  await picker.waitFor();
  assert.equal(await picker.getAttribute('aria-label'), 'رموز تعبيرية');
  assert.deepEqual(await axe(page), [], 'axe: the picker');
  await shot(page, 'peers-emoji-ar');
  await picker.getByRole('button', { name: '🎉' }).click();
  assert.equal(await page.getByTestId('composer').inputValue(), '🎉شكرا', 'at the caret');
  await page.getByTestId('emoji').click();
  await picker.waitFor();
  await page.keyboard.press('Escape');
  await picker.waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('panel').count(), 1, 'the chat stays open');
  await page.getByTestId('composer').fill('👍');
  await page.getByTestId('composer').press('Enter');
  const big = page.locator('[data-testid=message] .sapa-text.sapa-emoji', { hasText: '👍' });
  await big.waitFor();
  assert.ok(Number.parseFloat(await big.evaluate((el) => getComputedStyle(el).fontSize)) >= 30);
  await eventually(async () => (await page.locator('.sapa-text.sapa-emoji').count()) === 1, { what: 'only the emoji-only message is large' });
  await page.close();
});

test('a bubble stays the same element from sending to confirmed (rows were keyed by state and made again)', async () => {
  const page = await visit();
  // Hold the send a moment, so the pending bubble can be taken before the edge confirms it.
  await page.route('**/v1/messages', async (route) => {
    await new Promise((r) => setTimeout(r, 600));
    await route.continue();
  });
  await page.getByTestId('composer').fill('Hold on to this bubble');
  await page.getByTestId('composer').press('Enter');
  const pending = await page.locator('[data-testid=message][data-state=Sending]').elementHandle();
  await page.locator('[data-testid=message][data-state^=Confirmed]', { hasText: 'Hold on to this bubble' }).waitFor();
  assert.equal(await pending.evaluate((el) => el.isConnected && el.dataset.state.startsWith('Confirmed')), true);
  await page.close();
});
