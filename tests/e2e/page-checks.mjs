// Checks run on a page with the widget: axe-core over its shadow tree, and screenshots for people to look at.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, SCREENSHOTS } from './harness.mjs';

const AXE = fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** Runs axe (WCAG 2.2 A and AA) over the widget's shadow tree; answers each violation as `rule: targets`. */
export async function axeViolations(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document.getElementById('sapa-chat'), {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary}`).join(' ')}`);
  });
}

/** Keeps what the test saw (tests/e2e/.artifacts/screenshots, a CI artifact git ignores). */
export async function shot(page, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}
