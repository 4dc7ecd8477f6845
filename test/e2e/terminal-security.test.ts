/**
 * Terminal output is untrusted (DESIGN §6, §8). e2e_escapes.wasm prints an OSC 52 clipboard
 * write, an OSC 8 link to file:///etc/passwd (and, as the control, one to https), an OSC 0 title
 * change, a cursor position request (CSI 6n) and red text, then echoes one line of its stdin with
 * control bytes spelled out. In the real renderer: the title stays, the clipboard is never written,
 * the file: link is inert while the https one works, colours render, and xterm's reply to the
 * position request reaches neither the app's stdin nor the echoed line.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type E2E, fixture, seed, startE2E } from '../helpers/e2e/harness.ts';
import { UI_TIMEOUT, call, focusTerminal, terminalText, tile, visiblePane, waitForRun, waitForText } from '../helpers/e2e/ui.ts';

let e: E2E;
let appId: string;

/** Records every way a page script could write the clipboard or open a window. */
const SPY = `(() => {
  const calls = [];
  Object.defineProperty(window, '__spied', { value: calls });
  const c = navigator.clipboard;
  if (c) {
    for (const name of ['writeText', 'write']) {
      const orig = c[name];
      if (typeof orig !== 'function') continue;
      c[name] = function (...args) { calls.push('clipboard.' + name); return orig.apply(this, args); };
    }
  }
  const exec = document.execCommand;
  document.execCommand = function (cmd, ...rest) {
    if (/^(copy|cut)$/i.test(String(cmd))) calls.push('execCommand.' + cmd);
    return exec.call(this, cmd, ...rest);
  };
  document.addEventListener('copy', () => calls.push('copy-event'), true);
  window.open = function (...args) { calls.push('window.open ' + String(args[0])); return null; };
  // What the page sends as terminal input (web mode: JSON requests on the WebSocket).
  const inputs = [];
  Object.defineProperty(window, '__inputs', { value: inputs });
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    try {
      const m = JSON.parse(String(data));
      if (m && m.name === 'runs.input') inputs.push(m.args.data);
    } catch {}
    return send.call(this, data);
  };
})();`;

const spied = (): Promise<string[]> => e.page.evaluate(() => [...(window as unknown as { __spied: string[] }).__spied]);
const inputs = (): Promise<string[]> => e.page.evaluate(() => [...(window as unknown as { __inputs: string[] }).__inputs]);

beforeAll(async () => {
  e = await startE2E();
  appId = await seed(e.api, fixture('e2e_escapes.wasm'));
  await e.context.addInitScript(SPY);
  await e.page.reload();
  await tile(e.page, 'e2e_escapes').waitFor({ timeout: UI_TIMEOUT });
});
afterAll(async () => e?.close());

/** The on-screen box of the first occurrence of `text` in `pane`'s rows. */
async function boxOf(pane: ReturnType<typeof visiblePane>, text: string): Promise<{ x: number; y: number }> {
  const box = await pane.locator('.xterm-rows').evaluate((rows, text) => {
    const walker = document.createTreeWalker(rows, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.textContent!.indexOf(text);
      if (i < 0) continue;
      const r = document.createRange();
      r.setStart(n, i);
      r.setEnd(n, i + text.length);
      const b = r.getBoundingClientRect();
      return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
    }
    return null;
  }, text);
  if (!box) throw new Error(`"${text}" is not on screen`);
  return box;
}

test('hostile escape sequences are neutralised; colours and safe links still work', async () => {
  const { page } = e;
  // The spy is in place and sees what it should (else "no calls" below would prove nothing).
  expect(await page.evaluate(() => typeof navigator.clipboard?.writeText)).toBe('function');
  await page.evaluate(() => navigator.clipboard.writeText('probe').catch(() => undefined));
  expect(await spied()).toEqual(['clipboard.writeText']);
  await page.evaluate(() => (window as unknown as { __spied: string[] }).__spied.splice(0));

  await tile(page, 'e2e_escapes').getByTestId('app-run').click();
  const pane = visiblePane(page);
  await waitForRun(pane, 'running');
  await waitForText(pane, 'ready');

  // OSC 0: the window title stays Terrarium.
  expect(await page.title()).toBe('Terrarium');
  expect(await page.evaluate(() => document.title)).not.toContain('pwned');
  expect(await terminalText(pane)).not.toContain('pwned');

  // Colours work: "red" is drawn with a foreground colour of its own, "plain" is not.
  const red = await pane.locator('.xterm-rows span', { hasText: /^red$/ }).first().evaluate((el) => ({ cls: el.className, color: getComputedStyle(el).color }));
  expect(red.cls).toMatch(/xterm-fg-1\b/);
  const plain = await pane.locator('.xterm-rows span', { hasText: 'plain' }).first().evaluate((el) => getComputedStyle(el).color);
  expect(red.color).not.toBe(plain);

  // OSC 8: nothing in the document links to file:, and the file: link is inert under the mouse.
  // xterm.js marks the cell under the pointer as a link with a pointer cursor on its screen
  // element and a solid underline on the text; the https link is the control that this works.
  expect(await page.locator('a[href^="file:"]').count()).toBe(0);
  const screen = pane.locator('.xterm-screen');
  const pointer = (): Promise<boolean> => screen.evaluate((el) => el.classList.contains('xterm-cursor-pointer'));
  const hovered = (text: string): Promise<boolean> =>
    pane.locator('.xterm-rows span', { hasText: text }).first().evaluate((el) => (el as HTMLElement).style.textDecoration.includes('underline'));
  const https = await boxOf(pane, 'https-link');
  await page.mouse.move(https.x - 4, https.y);
  await page.mouse.move(https.x, https.y);
  await expect.poll(pointer, { timeout: UI_TIMEOUT }).toBe(true);
  expect(await hovered('https-link')).toBe(true);
  await page.mouse.click(https.x, https.y);
  const ask = page.getByRole('alertdialog', { name: 'Open this link?' });
  await ask.waitFor({ timeout: UI_TIMEOUT });
  expect(await ask.innerText()).toContain('https://example.com/');
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await ask.waitFor({ state: 'detached', timeout: UI_TIMEOUT });

  const file = await boxOf(pane, 'passwd-link');
  await page.mouse.move(file.x - 4, file.y);
  await page.mouse.move(file.x, file.y);
  // Leaving the https link takes its decoration away; none comes for the file: link.
  await expect.poll(pointer, { timeout: UI_TIMEOUT }).toBe(false);
  expect(await hovered('https-link')).toBe(false);
  expect(await hovered('passwd-link')).toBe(false);
  await page.mouse.click(file.x, file.y);
  expect(await pointer()).toBe(false);
  expect(await hovered('passwd-link')).toBe(false);
  expect(await page.getByRole('alertdialog').count()).toBe(0);
  expect(page.url()).toMatch(/^http:\/\/127\.0\.0\.1:/);

  // OSC 52: nothing wrote the clipboard; no window was opened.
  expect(await spied()).toEqual([]);

  // CSI 6n: xterm answers it (the reply travels as terminal input, as in any terminal) ...
  await expect.poll(async () => (await inputs()).some((d) => /^\x1b\[\d+;\d+R$/.test(d)), { timeout: UI_TIMEOUT }).toBe(true);
  // ... but the host's line discipline takes it for what it is, not typing: it is neither echoed
  // nor delivered. Type a line: the app prints exactly what reached its stdin.
  await focusTerminal(pane);
  await page.keyboard.type('typed');
  await page.keyboard.press('Enter');
  const text = await waitForText(pane, 'stdin=[');
  await waitForRun(pane, 'exited', 'exit', 0);
  expect(text).toContain('stdin=[typed\\x0a]');
  expect(text).not.toMatch(/\[\d+;\d+R|\^\[|\\x1b/);
  const lines = text.split('\n').map((l) => l.trimEnd());
  expect(lines).toContain('typed');

  // After all of it: still Terrarium, still no clipboard write, the app ended normally.
  expect(await page.title()).toBe('Terrarium');
  expect(await spied()).toEqual([]);
  expect((await call(e.api, 'apps.get', { ref: appId })).history[0]).toMatchObject({ outcome: 'exit', exitCode: 0 });
});
