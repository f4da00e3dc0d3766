// Accessibility and isolation in Chromium: axe-core finds no violation in the widget's states (English and
// Arabic), and on a page whose CSS attacks everything the widget looks and works the same, with no CSP
// violation on the demo's strict policy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forgetOrigin, useStack } from './harness.mjs';
import { axeViolations as violations, shot } from './page-checks.mjs';

const env = useStack({
  sites: (origin) => ({
    demo: { name: 'Kopi Nusantara', origins: [origin], color: '#f5c400', prechat: [{ field: 'name', required: false }] },
  }),
});

/** Opens the demo (or another page) in a locale and theme, watching for CSP violations. */
async function open(locale, page_ = '/demo/', theme = 'light') {
  const page = await env.browser.context.newPage();
  await page.addInitScript(([l, t]) => {
    window.SapaSettings = { locale: l, theme: t };
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  }, [locale, theme]);
  await forgetOrigin(page, env.stack.edgeOrigin);
  await page.goto(`${env.stack.edgeOrigin}${page_}`);
  await page.getByTestId('launcher').waitFor();
  return page;
}

for (const [locale, theme] of [['en', 'light'], ['en', 'dark'], ['ar', 'light'], ['ar', 'dark']]) {
  test(`no axe violations in ${locale}, ${theme}: launcher, pre-chat form, conversation, rating`, async () => {
    const page = await open(locale, '/demo/', theme);
    // Control: axe does see inside the shadow root (an image without alt text there is reported).
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.id = 'axe-control';
      document.getElementById('sapa-chat').shadowRoot.appendChild(img);
    });
    assert.ok((await violations(page)).some((v) => v.startsWith('image-alt')), 'axe reaches the shadow tree');
    await page.evaluate(() => document.getElementById('sapa-chat').shadowRoot.getElementById('axe-control').remove());
    assert.deepEqual(await violations(page), [], 'launcher (facade)');
    const name = `a11y-${locale}-${theme}`;
    await shot(page, `${name}-1-launcher`);
    await page.getByTestId('launcher').click();
    await page.getByTestId('prechat').waitFor();
    assert.deepEqual(await violations(page), [], 'pre-chat form');
    await shot(page, `${name}-2-prechat`);
    await page.getByTestId('prechat-start').click();
    await page.getByTestId('composer').fill('Halo');
    await page.getByTestId('composer').press('Enter');
    await page.locator('[data-testid=message][data-state^=Confirmed]').waitFor();
    assert.deepEqual(await violations(page), [], 'conversation');
    await shot(page, `${name}-3-conversation`);
    // The agent resolves: the end-of-chat block with the rating, before and after a choice, and once sent.
    const { session } = await page.evaluate(() => JSON.parse(localStorage.getItem('sapa:v1:demo')));
    await fetch(`${env.stack.simOrigin}/inbox/status`, {
      method: 'POST', body: new URLSearchParams({ conversation_id: session.conversation_id, status: 'resolved' }), redirect: 'manual',
    });
    await page.getByTestId('rating').waitFor();
    assert.deepEqual(await violations(page), [], 'rating');
    await page.getByTestId('rate-good').click();
    await page.getByTestId('rate-comment').waitFor();
    assert.deepEqual(await violations(page), [], 'rating with a comment box');
    await shot(page, `${name}-4-rating`);
    await page.getByTestId('rate-send').click();
    await page.locator('[data-testid=rating][data-state=sent]').waitFor();
    assert.deepEqual(await violations(page), [], 'rating sent');
    await shot(page, `${name}-5-rated`);
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    await page.close();
  });
}

test('a page with hostile CSS changes nothing in the widget', async () => {
  const measure = async (page) => page.evaluate(() => {
    const root = document.getElementById('sapa-chat').shadowRoot;
    const box = (sel) => {
      const el = root.querySelector(sel);
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return [Math.round(r.width), Math.round(r.height), s.fontSize, s.color, s.visibility, s.opacity];
    };
    return { launcher: box('[data-testid=launcher]'), panel: box('[data-testid=panel]'), composer: box('[data-testid=composer]') };
  });
  const normal = await open('en');
  await normal.getByTestId('launcher').click();
  await normal.getByTestId('prechat-start').click();
  await normal.getByTestId('composer').waitFor();
  const expected = await measure(normal);
  await normal.close();

  const hostile = await open('en', '/demo/hostile.html');
  await hostile.getByTestId('launcher').click();
  await hostile.getByTestId('prechat-start').click();
  await hostile.getByTestId('composer').fill('Still works?');
  assert.deepEqual(await measure(hostile), expected);
  await hostile.getByTestId('composer').press('Enter');
  await hostile.locator('[data-testid=message][data-state^=Confirmed]').waitFor();
  assert.deepEqual(await hostile.evaluate(() => window.__csp), []);
  await hostile.close();
});
