// The site's pre-chat form in Chromium: shown before the first message, checked like the edge checks, and
// its answers become the contact's name and email.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useStack } from './harness.mjs';

const env = useStack({
  sites: (origin) => ({
    demo: {
      name: 'Kopi Nusantara', origins: [origin], reply_time: 'hours',
      prechat: [{ field: 'name', required: true }, { field: 'email', required: false }],
    },
  }),
});

test('the pre-chat form comes first, refuses bad input, and names the contact', async () => {
  const page = await env.browser.context.newPage();
  await page.goto(`${env.stack.edgeOrigin}/demo/`);
  await page.getByTestId('launcher').click();
  await page.getByTestId('prechat').waitFor();
  assert.equal(await page.getByTestId('composer').count(), 0, 'no composer before the form');
  assert.equal(await page.getByTestId('presence').textContent(), 'We usually reply within an hour or two', "the site's promise");
  const coreCalls = (await env.stack.coreLog()).length;

  await page.getByTestId('prechat-start').click();
  assert.equal(await page.getByTestId('prechat-name').getAttribute('aria-invalid'), 'true', 'the name is required');
  assert.equal(await page.getByTestId('prechat-email').getAttribute('aria-invalid'), 'false', 'the email is optional');
  await page.getByTestId('prechat-name').fill('Siti Rahma');
  await page.getByTestId('prechat-email').fill('not-an-address');
  await page.getByTestId('prechat-start').click();
  assert.equal(await page.getByTestId('prechat-email').getAttribute('aria-invalid'), 'true');
  assert.equal((await env.stack.coreLog()).length, coreCalls, 'nothing reached the core');

  await page.getByTestId('prechat-email').fill('siti@example.com');
  await page.getByTestId('prechat-start').click();
  await page.getByTestId('composer').fill('Is the Toraja in stock?');
  await page.getByTestId('composer').press('Enter');
  await page.locator('[data-testid=message][data-state^=Confirmed]').waitFor();
  const contacts = (await env.stack.core('GET', '/contacts?search=siti@example.com')).body.data;
  assert.deepEqual(contacts.map((c) => c.name), ['Siti Rahma']);

  // A reload keeps the conversation, not the form.
  await page.reload();
  await page.getByTestId('launcher').click();
  await page.getByTestId('composer').waitFor();
  assert.equal(await page.getByTestId('prechat').count(), 0);
  await page.close();
});
