// A visitor's chat page driven by Playwright, shared by the live tests and the benchmarks.
import { eventually, forgetOrigin } from './harness.mjs';
import { agentSays } from './stream.mjs';

/** Opens the demo page, starts a chat, and answers the page, its conversation id and what it requested. */
export async function startChat(stack, browser, first = 'Hello from the widget') {
  const page = await browser.context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  const requests = [];
  page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
  const sockets = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  // Each test is a new visitor (the browser profile is shared).
  await forgetOrigin(page, stack.edgeOrigin);
  await page.goto(`${stack.edgeOrigin}/demo/`);
  await page.getByTestId('launcher').click();
  await page.getByTestId('composer').fill(first);
  await page.getByTestId('composer').press('Enter');
  await page.locator('[data-testid=message][data-state^=Confirmed]', { hasText: first }).waitFor();
  await page.locator('[data-testid=panel][data-connection=live]').waitFor();
  const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('sapa:v1:demo')));
  // Records when each bubble's text first appears in the shadow DOM (same clock as the test).
  await page.evaluate(() => {
    window.__seen = {};
    const root = document.getElementById('sapa-chat').shadowRoot;
    const note = () => root.querySelectorAll('[data-testid=message] .sapa-text').forEach((el) => {
      window.__seen[el.textContent] ??= Date.now();
    });
    new MutationObserver(note).observe(root, { childList: true, subtree: true, characterData: true });
  });
  return { page, conversation: saved.session.conversation_id, requests, sockets, problems };
}

export const texts = async (page) => page.locator('[data-testid=message] .sapa-text').allTextContents();

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Posts `n` agent replies one after another, each once the previous one rendered; answers ms per reply. */
export async function replyLatencies(stack, chat, n) {
  const latencies = [];
  for (let i = 0; i < n; i++) {
    const text = `latency probe ${i} ${Math.random().toString(36).slice(2)}`;
    // Replies come at random moments, not in step with the poller's ticks.
    await new Promise((r) => setTimeout(r, Math.random() * 1000));
    const sent = Date.now();
    await agentSays(stack, chat.conversation, text);
    const seen = await eventually(() => chat.page.evaluate((t) => window.__seen[t], text), { interval: 10, what: text });
    latencies.push(seen - sent);
  }
  return latencies;
}
