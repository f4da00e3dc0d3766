// What a visitor and a site owner hit on a first try, in Chromium on desktop and phone: the keyboard path
// to the chat, a left-positioned launcher over the page's own links, contrast on any accent, a page the site
// does not allow, reading while replies arrive, the rating's button, localised system lines, the page API's
// first `open`, touch targets, files refused before they upload, and icons that need no emoji font.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import { after, afterEach, before, test } from 'node:test';
import { eventually, forgetOrigin, freePort, startBrowser, startStack } from './harness.mjs';
import { axeViolations as axe, shot } from './page-checks.mjs';
import { agentSays } from './stream.mjs';

// A site owner's own pages, on their own origin (served by the test, not the edge). The same server is
// also `localhost`: an origin no site allows.
const pages = new Map();
const server = http.createServer((req, res) => {
  // Any other path is a page of the shop without the widget.
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(pages.get(req.url) ?? '<!doctype html><title>Shop</title><p>No chat on this page.</p>');
});
const PORT = await freePort();
const SHOP = `http://127.0.0.1:${PORT}`;
const ELSEWHERE = `http://localhost:${PORT}`;
const ACCENTS = ['#2f6df6', '#f5c400', '#8a4b2a', '#777777', '#00a3a3', '#ff5a5f', '#111111'];
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
let stack;
let desktop;
let phone;

before(async () => {
  await new Promise((resolve) => server.listen(PORT, '127.0.0.1', resolve));
  stack = await startStack({
    sites: (origin) => ({
      demo: { name: 'Kopi Nusantara', origins: [origin, SHOP], color: '#2f6df6' },
      ...Object.fromEntries(ACCENTS.map((color, i) => [`accent${i}`, { name: `Accent ${i}`, origins: [SHOP], color }])),
    }),
  });
  [desktop, phone] = [await startBrowser({ viewport: { width: 1280, height: 800 } }), await startBrowser(PHONE)];
});

afterEach(async () => {
  for (const b of [desktop, phone]) for (const page of b.context.pages()) await page.close();
});

after(async () => {
  await desktop?.close();
  await phone?.close();
  await stack?.stop();
  server.close();
});

let served = 0;
/**
 * A page at `url` (default a new one of the shop's) with the loader's script tag (`attrs` are its data-* attributes) and
 * `body` as its own content. Console lines and requests to the edge are recorded.
 */
async function ownerPage(browser, { origin = SHOP, attrs = {}, body = '', before = '' } = {}) {
  const pathname = `/page-${++served}`;
  const page = await browser.context.newPage();
  const console_ = [];
  page.on('console', (m) => console_.push(`${m.type()}: ${m.text()}`));
  const requests = [];
  page.on('request', (r) => { if (r.url().startsWith(stack.edgeOrigin)) requests.push(`${r.method()} ${new URL(r.url()).pathname}`); });
  const data = Object.entries({ site: 'demo', api: stack.edgeOrigin, ...attrs }).map(([k, v]) => `data-${k}="${v}"`).join(' ');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title>
    <style>body { margin: 0; font: 16px sans-serif; } .pin { position: fixed; }</style></head>
    <body>${body}<script>${before}</script><script src="${stack.edgeOrigin}/widget.js" ${data} async></script></body></html>`;
  pages.set(pathname, html);
  await forgetOrigin(page, origin);
  await page.goto(`${origin}${pathname}`);
  await page.getByTestId('launcher').waitFor();
  return { page, console: console_, requests };
}

const shadow = (page, fn, arg) => page.evaluate(([f, a]) => new Function('root', 'arg', `return (${f})(root, arg)`)(
  document.getElementById('sapa-chat').shadowRoot, a), [fn.toString(), arg]);

async function send(page, text) {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
  await page.locator('[data-testid=message][data-state^=Confirmed]', { hasText: text }).waitFor();
}

const conversationOf = async (page) => (await page.evaluate(() => JSON.parse(localStorage.getItem('sapa:v1:demo')))).session.conversation_id;

test('a keyboard visitor tabs to the launcher, the app loads, focus stays on it, and Enter opens the chat', async () => {
  const { page } = await ownerPage(desktop, { body: '<a href="#a">First link</a> <a href="#b">Second link</a>' });
  const focusedTestId = () => page.evaluate(() => document.getElementById('sapa-chat')?.shadowRoot.activeElement?.dataset.testid ?? null);
  for (let i = 0; i < 5 && (await focusedTestId()) !== 'launcher'; i++) await page.keyboard.press('Tab');
  assert.equal(await focusedTestId(), 'launcher', 'Tab reaches the facade');
  // Focus is intent: the app loads and replaces the facade. Focus must move with it.
  await page.getByTestId('sapa-app').waitFor();
  await eventually(async () => (await shadow(page, (root) => root.activeElement?.className)) === 'sapa-launcher', { what: 'focus on the app launcher' });
  await page.keyboard.press('Enter');
  await page.getByTestId('panel').waitFor();
  assert.equal(await shadow(page, (root) => root.activeElement?.dataset.testid), 'composer', 'the composer takes the focus');
  await page.close();
});

for (const [name, browser] of [['desktop', () => desktop], ['phone', () => phone]]) {
  test(`${name}: a left-positioned launcher takes no pixel it does not draw, closed or open, in Arabic too`, async () => {
    // Links where an invisible strip or the gap beside the panel would have been.
    const body = '<a class="pin" id="mid" href="#mid" style="left:45%;bottom:30px">Middle link</a>' +
      '<a class="pin" id="right" href="#right" style="right:10px;bottom:30px">Right link</a>';
    const { page } = await ownerPage(browser(), { attrs: { position: 'left', locale: 'ar' }, body });
    await page.getByTestId('launcher').hover();
    await page.getByTestId('sapa-app').waitFor();
    const launcherX = () => page.getByTestId('launcher').evaluate((el) => Math.round(el.getBoundingClientRect().left));
    assert.equal(await launcherX(), 20, 'bottom-left, 20 px in');
    for (const id of ['mid', 'right']) {
      await page.locator(`#${id}`).click({ timeout: 3000 });
      assert.equal(await page.evaluate(() => location.hash), `#${id}`, `${id} is clickable beside the closed launcher`);
    }
    await page.getByTestId('launcher').click();
    await page.getByTestId('composer').waitFor();
    if (name === 'desktop') {
      assert.equal(await launcherX(), 20, 'the launcher does not jump when the panel opens');
      const panel = await page.getByTestId('panel').evaluate((el) => Math.round(el.getBoundingClientRect().left));
      assert.equal(panel, 20, 'the panel opens on the left too');
      await page.locator('#right').click({ timeout: 3000 });
      assert.equal(await page.evaluate(() => location.hash), '#right', 'a link beside the open panel is clickable');
      // The 12 px between the panel and the launcher, and the space beside the launcher, are the page's.
      const gapHit = await page.evaluate(() => {
        const box = document.getElementById('sapa-chat').shadowRoot.querySelector('.sapa').getBoundingClientRect();
        return document.elementFromPoint(box.right - 4, box.bottom - 4)?.id || document.elementFromPoint(box.right - 4, box.bottom - 4)?.tagName;
      });
      assert.notEqual(gapHit, 'sapa-chat', 'the corner beside the launcher is not the widget\'s');
    }
    await shot(page, `first-try-left-ar-${name}`);
    await page.close();
  });
}

test('text on the accent is at least 4.5:1 for any accent, computed from the rendered colours', async () => {
  const parse = (c) => c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
  const luminance = ([r, g, b]) => [r, g, b].map((v) => v / 255).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => { const [x, y] = [luminance(parse(a)), luminance(parse(b))]; return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  for (const [i, accent] of ACCENTS.entries()) {
    const { page } = await ownerPage(desktop, { attrs: { site: `accent${i}` } });
    await page.getByTestId('launcher').click();
    await page.getByTestId('composer').waitFor();
    const rgb = `rgb(${accent.slice(1).match(/../g).map((h) => parseInt(h, 16)).join(', ')})`;
    await eventually(async () => (await page.locator('.sapa-header').evaluate((el) => getComputedStyle(el).backgroundColor)) === rgb, { what: `the header in ${accent}` });
    await page.getByTestId('composer').fill(`Colour ${accent}`);
    await page.getByTestId('composer').press('Enter');
    await page.locator('.sapa-mine').waitFor();
    await page.getByTestId('composer').fill('x'); // an enabled send button
    const pairs = await shadow(page, (root) => ['.sapa-header h2', '.sapa-mine .sapa-text', '.sapa-send svg', '.sapa-launcher svg'].map((sel) => {
      const el = root.querySelector(sel);
      let bg = el;
      while (getComputedStyle(bg).backgroundColor === 'rgba(0, 0, 0, 0)') bg = bg.parentElement;
      return [sel, getComputedStyle(el).color, getComputedStyle(bg).backgroundColor];
    }));
    for (const [sel, fg, bg] of pairs) {
      assert.ok(ratio(fg, bg) >= 4.5, `${accent} ${sel}: ${fg} on ${bg} is ${ratio(fg, bg).toFixed(2)}:1`);
    }
    if (i === 0) assert.deepEqual(await axe(page), [], `axe with the accent ${accent}`);
    await page.close();
  }
});

test('the launcher keeps its colours from the facade to the app: no flash, no flip on hover', async () => {
  const { page } = await ownerPage(desktop, { attrs: { site: 'accent1', color: '#f5c400' } });
  const colours = () => page.getByTestId('launcher').evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]);
  const facade = await colours();
  assert.deepEqual(facade, ['rgb(245, 196, 0)', 'rgb(29, 35, 48)'], 'data-color, with dark text on yellow');
  await page.getByTestId('launcher').hover();
  await page.getByTestId('sapa-app').waitFor();
  assert.deepEqual(await colours(), facade, 'the app draws the same launcher');
  // A returning visitor needs no data-color: the site's colour was kept from the last visit.
  const { page: again } = await ownerPage(desktop, { attrs: { site: 'accent1' } });
  await again.getByTestId('launcher').hover();
  await again.getByTestId('sapa-app').waitFor();
  await again.reload();
  await again.getByTestId('launcher').waitFor();
  assert.deepEqual(await again.getByTestId('launcher').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(245, 196, 0)');
  await page.close();
  await again.close();
});

test('a page on an origin the site does not allow: chat is unavailable, one console line says what to change, nothing retries', async () => {
  const { page, console: lines, requests } = await ownerPage(desktop, { origin: ELSEWHERE });
  await page.getByTestId('launcher').click();
  await page.getByTestId('unavailable').waitFor();
  assert.match(await page.getByTestId('unavailable').textContent(), /isn't available on this page/);
  assert.equal(await page.getByTestId('composer').count(), 0, 'no composer that would only queue forever');
  await new Promise((r) => setTimeout(r, 4000));
  const sapa = lines.filter((l) => l.includes('Sapa:'));
  assert.equal(sapa.length, 1, sapa.join('\n'));
  assert.match(sapa[0], /^error: Sapa: this page's origin http:\/\/localhost:\d+ is not allowed for site "demo"\. Add "http:\/\/localhost:\d+" to the site's "origins"/);
  assert.deepEqual(requests.filter((r) => !r.startsWith('GET /app/') && r !== 'GET /widget.js'), ['GET /v1/sites/demo'], 'one request, no retries');
  assert.deepEqual(await axe(page), [], 'axe: unavailable');
  await shot(page, 'first-try-unavailable');
  await page.close();
});

test('identify with a user_hash on a site without an identity secret: a stable code, no retries, the message kept', async () => {
  const before = "window.Sapa = function () { (Sapa.q = Sapa.q || []).push(arguments) }; Sapa('identify', { user_id: 'member-7', user_hash: 'abababababababababababababababababababababababababababababababab' });";
  const { page, console: lines, requests } = await ownerPage(desktop, { before });
  await page.getByTestId('launcher').click();
  await page.getByTestId('composer').fill('Where is my order?');
  await page.getByTestId('composer').press('Enter');
  await page.getByTestId('unavailable').waitFor();
  await new Promise((r) => setTimeout(r, 4000));
  assert.equal(requests.filter((r) => r === 'POST /v1/sessions').length, 1, 'one attempt');
  const sapa = lines.filter((l) => l.includes('Sapa:'));
  assert.equal(sapa.length, 1, sapa.join('\n'));
  assert.match(sapa[0], /has no identity secret\. Set "identity_secret" for it in SITES/);
  assert.equal(await page.locator('[data-testid=message][data-state=Sending]', { hasText: 'Where is my order?' }).count(), 1, 'kept in the outbox');
  await page.close();
});

test('reading further up keeps its place when a reply arrives; a button goes to the new messages', async () => {
  const { page } = await ownerPage(desktop);
  await page.getByTestId('launcher').click();
  await send(page, 'Tell me about your beans');
  const conversation = await conversationOf(page);
  for (let i = 0; i < 14; i++) await agentSays(stack, conversation, `Bean fact number ${i}: ${'Gayo is grown in the highlands of Aceh. '.repeat(2)}`);
  await page.locator('[data-testid=message]', { hasText: 'Bean fact number 13' }).waitFor();
  const list = page.getByTestId('messages');
  await eventually(async () => list.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 2), { what: 'following the newest' });
  await list.evaluate((el) => { el.scrollTop = 200; el.dispatchEvent(new Event('scroll')); });
  await agentSays(stack, conversation, 'One more thing about shipping');
  await page.locator('[data-testid=message]', { hasText: 'One more thing' }).waitFor();
  await page.getByTestId('new-messages').waitFor();
  assert.equal(await list.evaluate((el) => el.scrollTop), 200, 'the place is kept');
  assert.deepEqual(await axe(page), [], 'axe: the new messages button');
  await shot(page, 'first-try-new-messages');
  await page.getByTestId('new-messages').click();
  await eventually(async () => list.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 2), { what: 'at the newest' });
  await page.getByTestId('new-messages').waitFor({ state: 'detached' });
  // Back later: the rows are a part that comes after the panel, and the list still opens at the newest.
  await page.reload();
  if (!(await page.getByTestId('panel').isVisible())) await page.getByTestId('launcher').click();
  await page.locator('[data-testid=message]', { hasText: 'One more thing' }).waitFor();
  await eventually(async () => list.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 2), { what: 'opened at the newest' });
  await page.close();
});

for (const [name, browser] of [['desktop', () => desktop], ['phone', () => phone]]) {
  test(`${name}: the rating's send button comes into view; the visitor's rating and the transcript are in their language`, async () => {
    const { page } = await ownerPage(browser(), { attrs: { locale: 'id' } });
    await page.getByTestId('launcher').click();
    await send(page, 'Terima kasih');
    const conversation = await conversationOf(page);
    for (let i = 0; i < 6; i++) await agentSays(stack, conversation, `Balasan ${i}: ${'kopi '.repeat(30)}`);
    await page.locator('[data-testid=message]', { hasText: 'Balasan 5' }).waitFor();
    await fetch(`${stack.simOrigin}/inbox/status`, { method: 'POST', body: new URLSearchParams({ conversation_id: conversation, status: 'resolved' }), redirect: 'manual' });
    await page.getByTestId('rate-good').click();
    await page.getByTestId('rate-send').waitFor();
    const inView = await shadow(page, (root) => {
      const [button, list] = [root.querySelector('[data-testid=rate-send]'), root.querySelector('[data-testid=messages]')];
      const [b, l] = [button.getBoundingClientRect(), list.getBoundingClientRect()];
      return b.top >= l.top && b.bottom <= l.bottom;
    });
    assert.ok(inView, 'the send button is inside the visible conversation');
    const thumbs = await shadow(page, (root) => [...root.querySelectorAll('.sapa-verdict')].map((b) => [b.querySelectorAll('svg').length, /\p{Extended_Pictographic}/u.test(b.textContent)]));
    assert.deepEqual(thumbs, [[1, false], [1, false]], 'thumbs drawn as SVG, not emoji');
    await page.getByTestId('rate-send').click();
    const mine = page.locator('.sapa-note', { hasText: 'Anda menilai percakapan ini: Bagus' });
    await mine.waitFor();
    assert.doesNotMatch(await page.getByTestId('messages').textContent(), /Visitor rated/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
    const text = fs.readFileSync(await download.path(), 'utf8');
    assert.match(text, /\] Anda: Anda menilai percakapan ini: Bagus\n/);
    assert.doesNotMatch(text, /Tim dukungan: Anda menilai|Visitor rated/);
    await shot(page, `first-try-rating-id-${name}`);
    await page.close();
  });
}

test('the page API: the first open before the app loads is an event; the facade is named in the page\'s language', async () => {
  const before = "window.__events = []; window.Sapa = function () { (Sapa.q = Sapa.q || []).push(arguments) }; Sapa('on', 'open', function () { __events.push('open') });";
  const { page } = await ownerPage(desktop, { attrs: { locale: 'ar' }, before });
  assert.equal(await page.getByTestId('launcher').getAttribute('aria-label'), 'افتح المحادثة');
  await page.getByTestId('launcher').click();
  await page.getByTestId('composer').waitFor();
  await eventually(async () => (await page.evaluate(() => window.__events)).length === 1, { what: 'one open event' });
  await page.close();
});

test('phone: every control is a 44 × 44 px target; a file too large is refused before it uploads; the notice goes with its cause', async () => {
  const { page, requests } = await ownerPage(phone);
  await page.getByTestId('launcher').tap();
  await send(page, 'Hi from my phone');
  const small = await shadow(page, (root) => [...root.querySelectorAll('button, a, input:not([type=file]), textarea')]
    .filter((el) => el.getClientRects().length)
    .map((el) => [el.dataset.testid || el.className || el.tagName, Math.round(el.getBoundingClientRect().width), Math.round(el.getBoundingClientRect().height)])
    .filter(([, w, h]) => w < 44 || h < 44));
  assert.deepEqual(small, [], 'targets under 44 × 44 px');
  await page.getByTestId('file-input').setInputFiles({ name: 'video.png', mimeType: 'image/png', buffer: Buffer.alloc(11 * 1024 * 1024) });
  await page.getByTestId('notice').filter({ hasText: 'too large' }).waitFor();
  assert.ok(!requests.includes('POST /v1/attachments'), 'nothing uploaded');
  await page.getByTestId('file-input').setInputFiles({ name: 'old.doc', mimeType: 'application/msword', buffer: Buffer.from('doc') });
  await page.getByTestId('notice').filter({ hasText: "can't be sent" }).waitFor();
  assert.ok(!requests.includes('POST /v1/attachments'), 'nothing uploaded');
  assert.deepEqual(await axe(page), [], 'axe: a notice');
  await shot(page, 'first-try-phone-notice');
  await send(page, 'Never mind the file');
  await page.getByTestId('notice').waitFor({ state: 'detached' });
  await page.close();
});

test('a file bubble has an SVG paperclip, not an emoji', async () => {
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const { page } = await ownerPage(desktop);
  await page.getByTestId('launcher').click();
  await page.getByTestId('file-input').setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: PNG });
  const link = page.getByTestId('attachment').filter({ hasText: 'dot.png' });
  await link.waitFor();
  assert.equal(await link.locator('svg').count(), 1);
  assert.equal(await link.evaluate((a) => getComputedStyle(a, '::before').content), 'none');
  assert.doesNotMatch(await link.textContent(), /\p{Extended_Pictographic}/u);
  await page.close();
});
