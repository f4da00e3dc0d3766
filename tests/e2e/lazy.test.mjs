// The first open downloads only what it uses, in Chromium against the release build: a new visitor who asks
// one question fetches the glue, the main module and the split loader, then the conversation part (sending, the
// message rows, the stream: fetched once the composer takes input) and nothing else; each other part comes when
// it is first shown, served as wasm from the same content-hashed directory, and brings its own stylesheet; a
// part whose fetch failed says so and loads on retry; and the launcher shows it is loading in the same task as
// the click.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forgetOrigin, useStack } from './harness.mjs';
import { axeViolations as axe } from './page-checks.mjs';

const FIRST_OPEN = ['__wasm_split.js', 'sapa_widget.js', 'sapa_widget_bg.wasm'];

const env = useStack({}, { viewport: { width: 1280, height: 800 } });

/** A new visitor's page, with every app file it fetches (name, status, content type) recorded in order. */
async function newVisitor() {
  const page = await env.browser.context.newPage();
  await forgetOrigin(page, env.stack.edgeOrigin);
  const fetched = [];
  page.on('response', (r) => {
    const m = new URL(r.url()).pathname.match(/^\/app\/[0-9a-f]+\/(.+)$/);
    if (m) fetched.push({ file: m[1], status: r.status(), type: r.headers()['content-type'] ?? '' });
  });
  await page.goto(`${env.stack.edgeOrigin}/demo/`);
  return { page, fetched };
}

const files = (fetched) => [...new Set(fetched.map((f) => f.file))].sort();

test('a visitor who asks one question fetches the first open, then only the conversation part', async () => {
  const { page, fetched } = await newVisitor();
  await page.getByTestId('launcher').click();
  await page.getByTestId('composer').fill('Is the blue one in stock?');
  await page.getByTestId('composer').press('Enter');
  await page.locator('[data-testid=message][data-state^=Confirmed]').waitFor();
  await page.waitForTimeout(500); // anything fetched after the send would show here
  const later = files(fetched).filter((f) => !FIRST_OPEN.includes(f));
  assert.deepEqual(files(fetched).filter((f) => FIRST_OPEN.includes(f)), FIRST_OPEN);
  // The conversation part, with the chunks it shares with other parts: no other part.
  assert.deepEqual(later.filter((f) => f.startsWith('split_')), ['split_conversation.wasm'], JSON.stringify(later));
  assert.ok(later.every((f) => /^(split_conversation|chunk_\d+)\.wasm$/.test(f)), JSON.stringify(later));
  // It comes after the first open, not as part of it.
  const at = (file) => fetched.findIndex((f) => f.file === file);
  assert.ok(FIRST_OPEN.every((f) => at(f) < at('split_conversation.wasm')), JSON.stringify(fetched.map((f) => f.file)));
  assert.ok(fetched.every((f) => f.status === 200), JSON.stringify(fetched));
});

test('the emoji grid loads when first wanted, as wasm from the app directory, and is then at hand', async () => {
  const { page, fetched } = await newVisitor();
  await page.getByTestId('launcher').click();
  await page.getByTestId('composer').waitFor();
  // What sending takes is fetched as the composer takes focus; no other part is.
  assert.ok(!fetched.some((f) => /^split_/.test(f.file) && f.file !== 'split_conversation.wasm'), 'no part before it is wanted');
  const sheets = () => page.evaluate(() => document.getElementById('sapa-chat').shadowRoot.adoptedStyleSheets.length);
  const before = await sheets();
  await page.getByTestId('emoji').click();
  await page.getByTestId('emoji-picker').waitFor();
  // The grid's stylesheet came with its part, adopted before it drew (it floats above the composer).
  assert.equal(await sheets(), before + 1, 'the part adopts its own sheet');
  assert.equal(await page.getByTestId('emoji-picker').evaluate((el) => getComputedStyle(el).position), 'absolute');
  const parts = fetched.filter((f) => !FIRST_OPEN.includes(f.file));
  assert.ok(parts.some((f) => f.file === 'split_emoji.wasm'), JSON.stringify(parts));
  for (const f of parts) {
    assert.equal(f.status, 200, f.file);
    assert.equal(f.type, 'application/wasm', `${f.file} is served as wasm (instantiateStreaming needs it)`);
  }
  assert.ok(!parts.some((f) => /^split_(ended|earlier|prechat)/.test(f.file)), 'only what the grid needs');
  // Closed and opened again: no second download.
  const count = fetched.length;
  await page.getByTestId('emoji').click();
  await page.getByTestId('emoji').click();
  await page.getByTestId('emoji-picker').waitFor();
  assert.equal(fetched.length, count);
  assert.equal(await sheets(), before + 1, 'once, however often the part is shown');
});

test('a part whose download failed says so, and loads when the visitor tries again', async () => {
  const { page } = await newVisitor();
  let refuse = true;
  await page.route('**/split_emoji.wasm', (route) => (refuse ? route.abort('internetdisconnected') : route.continue()));
  await page.getByTestId('launcher').click();
  await page.getByTestId('composer').waitFor();
  await page.getByTestId('emoji').click();
  const failed = page.getByTestId('part-failed');
  await failed.waitFor();
  assert.match(await failed.textContent(), /didn't load/);
  assert.deepEqual(await axe(page), []);
  refuse = false;
  await failed.getByRole('button').click();
  await page.getByTestId('emoji-picker').waitFor();
  assert.equal(await page.getByTestId('part-failed').count(), 0);
  // The app still works after the failure: a message goes.
  await page.getByTestId('composer').fill('Thanks');
  await page.getByTestId('composer').press('Enter');
  await page.locator('[data-testid=message][data-state^=Confirmed]').waitFor();
});

test('opening before the app has loaded shows the launcher busy in the same task as the click, in the visitor\'s language', async () => {
  const page = await env.browser.context.newPage();
  await page.addInitScript(() => { window.SapaSettings = { locale: 'id' }; });
  await forgetOrigin(page, env.stack.edgeOrigin);
  // The app's module is held back, so the loader alone is on screen.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/sapa_widget_bg.wasm', async (route) => { await held; await route.continue(); });
  await page.goto(`${env.stack.edgeOrigin}/demo/`);
  await page.getByTestId('launcher').waitFor();
  const state = await page.evaluate(() => {
    const button = document.getElementById('sapa-chat').shadowRoot.querySelector('[data-testid=launcher]');
    const before = [button.getAttribute('aria-busy'), button.getAttribute('aria-expanded'), button.getAttribute('aria-label')];
    button.click();
    // Read in the same task as the click: nothing has been fetched or run in between.
    const spinner = getComputedStyle(button, '::after').animationName;
    return { before, after: [button.getAttribute('aria-busy'), button.getAttribute('aria-expanded'), button.getAttribute('aria-label')], spinner };
  });
  assert.deepEqual(state.before, [null, 'false', 'Buka obrolan']);
  assert.deepEqual(state.after, ['true', 'true', 'Memuat obrolan…']);
  assert.equal(state.spinner, 'sapa-r');
  release();
  await page.getByTestId('composer').waitFor();
  assert.equal(await page.getByTestId('panel').count(), 1);
});
