// The widget's states on a phone (Pixel 7 viewport, touch) and on a desktop, each asserted and kept as a
// screenshot in tests/e2e/.artifacts/screenshots: launcher, open, conversation, a failed message and its
// retry, offline, a picked file, the on-screen keyboard (phone), replies while closed (the unread badge), the
// end of a chat with its rating, and closed again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { devices } from 'playwright-core';
import { eventually, startBrowser, startStack } from './harness.mjs';
import { shot } from './page-checks.mjs';
import { agentSays } from './stream.mjs';

let stack;

before(async () => {
  stack = await startStack({ webhooks: true });
});

after(async () => {
  await stack?.stop();
});

const box = (page, testid) => page.getByTestId(testid).boundingBox();

for (const [label, device] of [['phone', devices['Pixel 7']], ['desktop', { viewport: { width: 1280, height: 800 } }]]) {
  test(`${label}: every state of the widget`, async () => {
    const browser = await startBrowser(device);
    const page = await browser.context.newPage();
    try {
      await page.goto(`${stack.edgeOrigin}/demo/`);
      const bodyOverflow = await page.evaluate(() => [getComputedStyle(document.documentElement).overflow, getComputedStyle(document.body).overflow]);
      await page.getByTestId('launcher').waitFor();
      await shot(page, `${label}-1-launcher`);

      await page.getByTestId('launcher').click();
      await page.getByTestId('composer').waitFor();
      const viewport = page.viewportSize();
      const panel = await box(page, 'panel');
      if (label === 'phone') {
        assert.deepEqual([panel.x, panel.y, panel.width, panel.height], [0, 0, viewport.width, viewport.height], 'full screen');
        assert.equal(await page.getByTestId('composer').evaluate((el) => getComputedStyle(el).fontSize), '16px', 'no zoom on focus');
        assert.equal(await page.getByTestId('launcher').isVisible(), false, 'the launcher steps aside');
      } else {
        assert.equal(Math.round(panel.width), 370);
        assert.ok(panel.y + panel.height < (await box(page, 'launcher')).y, 'the panel sits above the launcher');
      }
      await shot(page, `${label}-2-open`);

      await page.getByTestId('composer').fill('Do you ship to Bandung?');
      await page.getByTestId('composer').press('Enter');
      await page.locator('[data-testid=message][data-state^=Confirmed]').waitFor();
      const { session } = await page.evaluate(() => JSON.parse(localStorage.getItem('sapa:v1:demo')));
      await agentSays(stack, session.conversation_id, 'Yes: two days to Bandung, free above Rp 300.000.');
      await page.locator('[data-testid=message]', { hasText: 'two days' }).waitFor();
      await shot(page, `${label}-3-conversation`);

      // A message the edge refuses for good: marked "Not sent" with a retry, which sends it once allowed.
      await page.route('**/v1/messages', (route) => route.fulfill({
        status: 422, contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'core_rejected', message: 'refused for this test' } }),
      }));
      await page.getByTestId('composer').fill('And to Medan?');
      await page.getByTestId('composer').press('Enter');
      await page.locator('[data-testid=message][data-state=Failed]').waitFor();
      await shot(page, `${label}-4-failed`);
      await page.unroute('**/v1/messages');
      await page.locator('.sapa-retry').click();
      await page.locator('[data-testid=message][data-state^=Confirmed]', { hasText: 'Medan' }).waitFor();

      // A file from the picker (the camera roll, on a phone) becomes an attachment.
      const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
      await page.getByTestId('file-input').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: png });
      await page.getByTestId('attachment').filter({ hasText: 'receipt.png' }).waitFor();

      await browser.context.setOffline(true);
      await page.locator('[data-testid=panel][data-connection=offline]').waitFor();
      await shot(page, `${label}-5-offline`);
      await browser.context.setOffline(false);
      await page.locator('[data-testid=panel][data-connection=live]').waitFor();

      if (label === 'phone') {
        // The keyboard takes the lower part of the screen: the panel shrinks to what is visible, and the
        // composer stays above the keyboard.
        await page.setViewportSize({ width: viewport.width, height: 420 });
        await eventually(async () => Math.round((await box(page, 'panel')).height) === 420, { what: 'the panel follows the visual viewport' });
        const composer = await box(page, 'composer');
        assert.ok(composer.y + composer.height <= 420, `composer visible above the keyboard (${composer.y + composer.height})`);
        await shot(page, `${label}-6-keyboard`);
        await page.setViewportSize(viewport);
      }

      // Closed through the page's API, a reply counts on the launcher; opening clears the count.
      await page.evaluate(() => Sapa('close'));
      await page.getByTestId('panel').waitFor({ state: 'detached' });
      await agentSays(stack, session.conversation_id, 'Your order has shipped.');
      assert.equal(await page.getByTestId('unread').textContent(), '1');
      await shot(page, `${label}-7-unread`);
      await page.evaluate(() => Sapa('open'));
      await page.locator('[data-testid=message]', { hasText: 'has shipped' }).waitFor();
      assert.equal(await page.getByTestId('unread').count(), 0);

      await fetch(`${stack.simOrigin}/inbox/status`, {
        method: 'POST', body: new URLSearchParams({ conversation_id: session.conversation_id, status: 'resolved' }), redirect: 'manual',
      });
      await page.getByTestId('rating').waitFor();
      await page.getByTestId('rate-good').click();
      await shot(page, `${label}-8-rating`);
      await page.getByTestId('rate-send').click();
      await page.locator('[data-testid=rating][data-state=sent]').waitFor();
      await shot(page, `${label}-9-rated`);

      // Focus stayed in the widget when the form gave way to the thanks, so Escape still closes it.
      await page.keyboard.press('Escape');
      await page.getByTestId('panel').waitFor({ state: 'detached' });
      assert.equal(await page.getByTestId('launcher').isVisible(), true);
      // Nothing of the widget's is left on the host page's scrolling.
      assert.deepEqual(await page.evaluate(() => [getComputedStyle(document.documentElement).overflow, getComputedStyle(document.body).overflow]), bodyOverflow);
      await shot(page, `${label}-10-closed`);
    } finally {
      await browser.close();
    }
  });
}
