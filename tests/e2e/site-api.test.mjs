// The site owner's side of the widget in Chromium: the Sapa(...) command queue and events, identify and
// reset, hiding the launcher, keyboard behaviour, clickable links, and text that never becomes markup.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually, forgetOrigin, useStack, userHash } from './harness.mjs';
import { agentSays } from './stream.mjs';

const IDENTITY_SECRET = 'demo-identity-secret-for-tests';
const env = useStack({
  sites: (origin) => ({ demo: { name: 'Kopi Nusantara', origins: [origin], identity_secret: 'DEMO_IDENTITY_SECRET' } }),
  secrets: { DEMO_IDENTITY_SECRET: IDENTITY_SECRET },
  webhooks: true,
});

/** A fresh visitor on the demo page, recording the widget's events in `window.__events`. */
async function visit() {
  const page = await env.browser.context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await forgetOrigin(page, env.stack.edgeOrigin);
  await page.goto(`${env.stack.edgeOrigin}/demo/`);
  await page.getByTestId('launcher').waitFor();
  await page.evaluate(() => {
    window.__events = [];
    for (const name of ['ready', 'open', 'close', 'message', 'unread']) {
      window.Sapa('on', name, (detail) => window.__events.push([name, detail ?? null]));
    }
  });
  return { page, problems };
}

const events = (page) => page.evaluate(() => window.__events);
const shadow = (page, fn) => page.evaluate(fn);

test('commands queue before the app loads and events reach the page', async () => {
  const { page, problems } = await visit();
  await page.evaluate(() => window.Sapa('open'));
  await page.getByTestId('panel').waitFor();
  await eventually(async () => (await events(page)).some(([n]) => n === 'ready'), { what: 'ready' });
  await page.evaluate(() => window.Sapa('close'));
  await page.getByTestId('panel').waitFor({ state: 'detached' });
  await page.evaluate(() => window.Sapa('toggle'));
  await page.getByTestId('panel').waitFor();
  const names = (await events(page)).map(([n]) => n).filter((n) => n !== 'unread');
  // The first open, made before the app loaded, is an event too.
  assert.deepEqual(names, ['ready', 'open', 'close', 'open']);
  await page.evaluate(() => window.Sapa('hideLauncher'));
  assert.equal(await page.getByTestId('launcher').isVisible(), false);
  await page.evaluate(() => window.Sapa('showLauncher'));
  assert.equal(await page.getByTestId('launcher').isVisible(), true);
  assert.deepEqual(problems, []);
  await page.close();
});

test('hideLauncher before the app loads hides the facade; open still works', async () => {
  const { page } = await visit();
  await page.evaluate(() => window.Sapa('hideLauncher'));
  assert.equal(await page.getByTestId('launcher').isVisible(), false);
  await page.evaluate(() => window.Sapa('open'));
  await page.getByTestId('composer').waitFor();
  assert.equal(await page.getByTestId('launcher').isVisible(), false, 'the app keeps it hidden');
  await page.close();
});

test('Escape closes the panel and focus returns to the launcher', async () => {
  const { page } = await visit();
  await page.getByTestId('launcher').click();
  await page.getByTestId('composer').waitFor();
  await page.keyboard.press('Escape');
  await page.getByTestId('panel').waitFor({ state: 'detached' });
  const focused = await shadow(page, () => document.getElementById('sapa-chat').shadowRoot.activeElement?.dataset.testid);
  assert.equal(focused, 'launcher');
  await page.close();
});

test('identify opens the session as the signed-in user; reset forgets everything', async () => {
  const { page } = await visit();
  const hash = userHash('member-42', IDENTITY_SECRET);
  await page.evaluate((h) => window.Sapa('identify', { user_id: 'member-42', user_hash: h, name: 'Dewi Lestari', email: 'dewi@example.com' }), hash);
  await page.evaluate(() => window.Sapa('open'));
  await page.getByTestId('composer').fill('Order #1042?');
  await page.getByTestId('composer').press('Enter');
  await page.locator('[data-testid=message][data-state^=Confirmed]').waitFor();
  const contacts = (await env.stack.core('GET', '/contacts?search=dewi@example.com')).body.data;
  assert.equal(contacts.length, 1);
  assert.equal(contacts[0].name, 'Dewi Lestari');
  await page.evaluate(() => window.Sapa('reset'));
  await eventually(async () => (await page.getByTestId('message').count()) === 0, { what: 'an empty thread' });
  // No session (nor anything else) is left: an empty state is not stored at all.
  assert.equal(await page.evaluate(() => localStorage.getItem('sapa:v1:demo')), null);
  await page.close();
});

test('agent replies emit message events; links are clickable; markup in either direction stays text', async () => {
  const { page, problems } = await visit();
  await page.getByTestId('launcher').click();
  const payload = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><b>bold</b>';
  await page.getByTestId('composer').fill(payload);
  await page.getByTestId('composer').press('Enter');
  await page.locator('[data-testid=message][data-state^=Confirmed]').waitFor();
  const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('sapa:v1:demo')));
  await agentSays(env.stack, saved.session.conversation_id, `${payload} see https://kopi.example/order?id=1. not javascript:alert(1)`);
  await eventually(async () => (await page.getByTestId('message').count()) === 2, { what: 'the reply' });
  const check = await shadow(page, () => {
    const root = document.getElementById('sapa-chat').shadowRoot;
    const list = root.querySelector('[data-testid=messages]');
    return {
      injected: list.querySelectorAll('img, script, b').length,
      xss: window.__xss ?? null,
      texts: [...list.querySelectorAll('[data-testid=message] .sapa-text')].map((e) => e.textContent),
      links: [...list.querySelectorAll('a[data-testid=link]')].map((a) => [a.getAttribute('href'), a.rel, a.target]),
    };
  });
  assert.equal(check.injected, 0, 'no element was created from message text');
  assert.equal(check.xss, null);
  assert.equal(check.texts[0], payload);
  assert.ok(check.texts[1].startsWith(payload));
  assert.deepEqual(check.links, [['https://kopi.example/order?id=1', 'noopener noreferrer nofollow', '_blank']]);
  const message = (await events(page)).find(([n]) => n === 'message');
  assert.ok(message?.[1].text.includes('https://kopi.example/order?id=1'));
  assert.deepEqual(problems, []);
  await page.close();
});

test('the widget speaks the page\'s language: Indonesian, and Arabic right to left', async () => {
  for (const [locale, placeholder, dir] of [['id-ID', 'Tulis pesan…', 'ltr'], ['ar', 'اكتب رسالة…', 'rtl']]) {
    const page = await env.browser.context.newPage();
    await page.addInitScript((l) => { window.SapaSettings = { locale: l }; }, locale);
    await page.goto(`${env.stack.edgeOrigin}/demo/`);
    await page.getByTestId('launcher').click();
    const composer = page.getByTestId('composer');
    await composer.waitFor();
    assert.equal(await composer.getAttribute('placeholder'), placeholder);
    const root = page.getByTestId('sapa-app');
    assert.equal(await root.getAttribute('dir'), dir);
    assert.equal(await root.getAttribute('lang'), locale.slice(0, 2));
    await page.close();
  }
});

test('replies while the chat is closed count in the page title until it is opened', async () => {
  const { page } = await visit();
  const title = await page.title();
  await page.getByTestId('launcher').click();
  await page.getByTestId('composer').fill('Ping me when you know');
  await page.getByTestId('composer').press('Enter');
  await page.locator('[data-testid=message][data-state^=Confirmed]').waitFor();
  await page.evaluate(() => window.Sapa('close'));
  const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('sapa:v1:demo')));
  await agentSays(env.stack, saved.session.conversation_id, 'Known now.');
  await eventually(async () => (await page.title()) === `(1) ${title}`, { what: 'the title alert' });
  await agentSays(env.stack, saved.session.conversation_id, 'And more.');
  await eventually(async () => (await page.title()) === `(2) ${title}`, { what: 'the second alert' });
  assert.equal(await page.getByTestId('unread').textContent(), '2');
  await page.evaluate(() => window.Sapa('open'));
  await eventually(async () => (await page.title()) === title, { what: 'the title restored' });
  await page.close();
});

test('position, offsets and stacking order from the settings, before and after the app loads', async () => {
  const page = await env.browser.context.newPage();
  await page.addInitScript(() => { window.SapaSettings = { position: 'left', offset_x: 32, offset_y: 40, z_index: 1000 }; });
  await page.setViewportSize({ width: 1000, height: 700 });
  await page.goto(`${env.stack.edgeOrigin}/demo/`);
  const place = () => page.evaluate(() => {
    const el = document.getElementById('sapa-chat').shadowRoot.querySelector('[data-testid=launcher]');
    const r = el.getBoundingClientRect();
    return [Math.round(r.left), Math.round(window.innerHeight - r.bottom)];
  });
  assert.deepEqual(await place(), [32, 40], 'the facade');
  await page.getByTestId('launcher').click();
  await page.getByTestId('composer').waitFor();
  assert.deepEqual(await place(), [32, 40], 'the app');
  assert.equal(await page.getByTestId('sapa-app').evaluate((el) => getComputedStyle(el).zIndex), '1000');
  await page.close();
});

test('the first message of a day has the date above it, in the visitor\'s language', async () => {
  const { page } = await visit();
  await page.getByTestId('launcher').click();
  for (const text of ['one', 'two']) {
    await page.getByTestId('composer').fill(text);
    await page.getByTestId('composer').press('Enter');
  }
  await page.locator('[data-testid=message][data-state^=Confirmed]', { hasText: 'two' }).waitFor();
  const days = await page.getByTestId('day').allTextContents();
  const today = await page.evaluate(() => new Date().toLocaleDateString('en', { weekday: 'long', day: 'numeric', month: 'long' }));
  assert.deepEqual(days, [today], 'one separator for today');
  await page.close();
});

test('a single-page site: each message carries the page it was written on, for the agent', async () => {
  const { page, problems } = await visit();
  await page.getByTestId('launcher').click();
  await page.getByTestId('composer').fill('Looking at the beans');
  await page.getByTestId('composer').press('Enter');
  // The site moves on without a reload (History API), and the visitor writes again.
  await page.evaluate(() => history.pushState({}, '', '/demo/pricing?plan=pro'));
  await page.getByTestId('composer').fill('Now at the pricing');
  await page.getByTestId('composer').press('Enter');
  await eventually(async () => (await page.locator('[data-testid=message][data-state^=Confirmed]').count()) === 2, { what: 'both sent' });
  const { session } = await page.evaluate(() => JSON.parse(localStorage.getItem('sapa:v1:demo')));
  const stored = (await env.stack.core('GET', `/messages?conversation_id=${session.conversation_id}`)).body.data
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
  assert.deepEqual(stored.map((m) => [m.text, m.page_url]), [
    ['Looking at the beans', `${env.stack.edgeOrigin}/demo/`],
    ['Now at the pricing', `${env.stack.edgeOrigin}/demo/pricing?plan=pro`],
  ]);
  const inbox = await (await fetch(`${env.stack.simOrigin}/inbox?c=${session.conversation_id}`)).text();
  assert.match(inbox, /on <a class="page" href="[^"]+\/demo\/pricing\?plan=pro"/);
  assert.deepEqual(problems, []);
  await page.close();
});
