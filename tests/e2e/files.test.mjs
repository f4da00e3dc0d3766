// Files from the widget in Chromium: picked or pasted, checked by the edge by their bytes, and shown as
// attachments; a refused file leaves a clear notice and nothing behind.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, startBrowser, startStack } from './harness.mjs';

// The PNG signature and an IHDR chunk header: enough for the edge's content sniffing.
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
let stack;
let browser;

before(async () => {
  stack = await startStack();
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

async function chat() {
  const page = await browser.context.newPage();
  await page.goto(`${stack.edgeOrigin}/demo/`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.getByTestId('launcher').click();
  await page.getByTestId('composer').waitFor();
  return page;
}

const coreMessages = async (page) => {
  const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('sapa:v1:demo')));
  if (!saved?.session) return [];
  return (await stack.core('GET', `/messages?conversation_id=${saved.session.conversation_id}`)).body.data;
};

test('a picked image becomes an attachment the agent receives', async () => {
  const page = await chat();
  await page.getByTestId('file-input').setInputFiles({ name: 'beans.png', mimeType: 'image/png', buffer: PNG });
  const link = page.getByTestId('attachment').filter({ hasText: 'beans.png' });
  await link.waitFor();
  assert.match(await link.getAttribute('href'), /^http/);
  const stored = await coreMessages(page);
  assert.deepEqual(stored.map((m) => [m.type, m.direction, m.media?.name]), [['image', 'in', 'beans.png']]);
  await page.close();
});

test('a pasted screenshot is sent as a file', async () => {
  const page = await chat();
  await page.getByTestId('composer').evaluate((el, bytes) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(bytes)], 'screenshot.png', { type: 'image/png' }));
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, [...PNG]);
  await page.getByTestId('attachment').filter({ hasText: 'screenshot.png' }).waitFor();
  assert.equal(await page.getByTestId('composer').inputValue(), '', 'nothing pasted as text');
  await page.close();
});

test('a file that is not what its name says is refused with a notice, and leaves nothing', async () => {
  const page = await chat();
  await page.getByTestId('file-input').setInputFiles({ name: 'invoice.png', mimeType: 'image/png', buffer: Buffer.from('just some text') });
  await page.getByRole('status').filter({ hasText: "can't be sent" }).waitFor();
  await eventually(async () => (await page.getByTestId('message').count()) === 0, { what: 'the bubble removed' });
  assert.deepEqual(await coreMessages(page), []);
  await page.close();
});
