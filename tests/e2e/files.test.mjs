// Files from the widget in Chromium: picked or pasted, checked by the edge by their bytes, and shown as
// attachments; a refused file leaves a clear notice and nothing behind.
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { test } from 'node:test';
import { eventually, forgetOrigin, useStack } from './harness.mjs';

// The PNG signature and an IHDR chunk header: enough for the edge's content sniffing.
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const env = useStack();

/** A real, decodable PNG of one colour (for previews; the edge only needs the signature). */
function solidPng(width, height, [r, g, b]) {
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    data.copy(out, 8);
    out.writeUInt32BE(zlib.crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const pixels = zlib.deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([PNG.subarray(0, 8), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

async function chat() {
  const page = await env.browser.context.newPage();
  await forgetOrigin(page, env.stack.edgeOrigin);
  await page.goto(`${env.stack.edgeOrigin}/demo/`);
  await page.getByTestId('launcher').click();
  await page.getByTestId('composer').waitFor();
  return page;
}

const coreMessages = async (page) => {
  const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('sapa:v1:demo')));
  if (!saved?.session) return [];
  return (await env.stack.core('GET', `/messages?conversation_id=${saved.session.conversation_id}`)).body.data;
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

test('a dropped file is sent, with its upload progress shown while it goes', async () => {
  const page = await chat();
  // Upload at about 2 Mbit/s, so a 1.5 MB file takes a few seconds and reports progress on the way.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 250_000 });
  await page.evaluate(() => {
    window.__progress = [];
    const root = document.getElementById('sapa-chat').shadowRoot;
    new MutationObserver(() => root.querySelectorAll('[data-testid=upload-progress]').forEach((p) => window.__progress.push(Number(p.value))))
      .observe(root, { subtree: true, attributes: true, childList: true });
  });
  const bytes = Buffer.concat([PNG, Buffer.alloc(1_500_000, 7)]);
  const panel = page.getByTestId('panel');
  const data = await page.evaluateHandle((b) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(b)], 'roastery.png', { type: 'image/png' }));
    return dt;
  }, [...bytes]);
  await panel.dispatchEvent('dragover', { dataTransfer: data });
  assert.equal(await panel.getAttribute('data-dragging'), 'true', 'the panel shows it takes the drop');
  await panel.dispatchEvent('drop', { dataTransfer: data });
  await page.getByTestId('attachment').filter({ hasText: 'roastery.png' }).waitFor({ timeout: 30_000 });
  const seen = await page.evaluate(() => window.__progress);
  assert.ok(seen.some((p) => p > 0 && p < 100), `progress between 0 and 100 was shown: ${seen.join(',')}`);
  assert.equal(await panel.getAttribute('data-dragging'), null);
  assert.equal(await page.getByTestId('upload-progress').count(), 0, 'the bar goes once the file is sent');
  const stored = await coreMessages(page);
  assert.deepEqual(stored.map((m) => [m.type, m.media?.name, m.media?.size]), [['image', 'roastery.png', bytes.length]]);
  await page.close();
});

test('a sent image is previewed from the file itself, scaled down, with no img-src needed', async () => {
  const page = await chat();
  await page.evaluate(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective));
  });
  await page.getByTestId('file-input').setInputFiles({ name: 'beans.png', mimeType: 'image/png', buffer: solidPng(440, 200, [200, 30, 30]) });
  await page.getByTestId('attachment').filter({ hasText: 'beans.png' }).waitFor();
  const preview = page.getByTestId('preview');
  await eventually(() => preview.isVisible(), { what: 'the preview drawn' });
  assert.deepEqual(await preview.evaluate((c) => [c.width, c.height, c.getAttribute('aria-label')]), [220, 100, 'beans.png'], 'half size: 220 wide at most');
  const pixel = await preview.evaluate((c) => [...c.getContext('2d').getImageData(110, 50, 1, 1).data]);
  assert.deepEqual(pixel, [200, 30, 30, 255], 'the picture itself');
  // The 20-byte PNG header of the other tests cannot be decoded: it gets no preview, and no empty frame.
  await page.getByTestId('file-input').setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: PNG });
  await page.getByTestId('attachment').filter({ hasText: 'broken.png' }).waitFor();
  assert.equal(await page.locator('[data-testid=preview]:visible').count(), 1);
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  await page.close();
});
