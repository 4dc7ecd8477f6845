/**
 * The pane a Run reveals was made ahead of time (issue 14.4, `Runs.standby`), and its terminal has
 * learned the widths of printable ASCII while it waited (terminal/create.ts `learnWidths`): the
 * frame that draws a run's first output measures no character. xterm.js's DOM renderer measures a
 * character the first time it draws it, with a forced layout (`offsetWidth` of its measuring
 * span); this test counts those reads, so it fails if an xterm.js upgrade stops keeping what it
 * measured across a reset, and checks it sees measurements at all (the warm-up's, and those of a
 * character outside the sample).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type E2E, fixture, seed, startE2E } from '../helpers/e2e/harness.ts';
import { UI_TIMEOUT, call, focusTerminal, paneOf, stopAllRuns, terminalText, tile, visiblePane, waitForRun, waitForText } from '../helpers/e2e/ui.ts';

let e: E2E;

beforeAll(async () => {
  e = await startE2E();
  await seed(e.api, fixture('args_env.wasm'));
  const echo = await seed(e.api, fixture('stdio.wasm'), 'echoer');
  await call(e.api, 'grants.add', { ref: echo, grants: [{ kind: 'args', args: ['echo'] }] });
  // Every width xterm.js measures: the characters its measuring spans held when read.
  await e.page.addInitScript(() => {
    const w = window as unknown as { __measured: string[]; __by: (Element | null)[] };
    w.__measured = [];
    w.__by = [];
    const width = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetWidth')!;
    Object.defineProperty(HTMLElement.prototype, 'offsetWidth', {
      configurable: true,
      get(this: HTMLElement) {
        if (this.classList.contains('xterm-char-measure-element')) {
          w.__measured.push(this.textContent?.[0] ?? '');
          w.__by.push(this.closest('.xterm'));
        }
        return width.get!.call(this) as number;
      },
    });
  });
  await e.page.reload();
  await tile(e.page, 'args_env').waitFor({ timeout: UI_TIMEOUT });
});
afterAll(async () => {
  await stopAllRuns(e.api).catch(() => undefined);
  await e?.close();
});

const measured = (): Promise<string[]> => e.page.evaluate(() => (window as unknown as { __measured: string[] }).__measured);
/** The characters measured since entry `from` by the terminal of the pane of app `name`. */
const measuredIn = (name: string, from: number): Promise<string[]> =>
  paneOf(e.page, name).locator('.xterm').evaluate((term, from) => {
    const w = window as unknown as { __measured: string[]; __by: (Element | null)[] };
    return w.__measured.filter((_, i) => i >= from && w.__by[i] === term);
  }, from);

test('a Run reveals the pane made ahead, whose terminal draws the run\'s ASCII output without measuring a character', async () => {
  const { page } = e;
  // The standby pane's terminal drew the printable ASCII sample while it waited.
  await page.getByTestId('terminal-standby').locator('.xterm').waitFor({ state: 'attached', timeout: UI_TIMEOUT });
  await expect.poll(async () => new Set(await measured()).size, { timeout: UI_TIMEOUT }).toBeGreaterThanOrEqual(94);
  const before = (await measured()).length;
  await tile(page, 'args_env').getByTestId('app-run').click();
  const pane = paneOf(page, 'args_env');
  await waitForRun(pane, 'exited');
  await expect.poll(() => terminalText(pane), { timeout: UI_TIMEOUT }).toContain('argc=');
  // Drawing the run's output measured nothing (the next standby pane's own warm-up may have, in its own terminal).
  expect(await measuredIn('args_env', before)).toEqual([]);

  // A character outside the sample is measured when first drawn (the count above sees reads).
  await page.getByTestId('nav-catalog').click();
  await tile(page, 'echoer').getByTestId('app-run').click();
  const echoer = paneOf(page, 'echoer');
  await waitForRun(echoer, 'running');
  await focusTerminal(echoer);
  const mark = (await measured()).length;
  await page.keyboard.type('é');
  await expect.poll(() => measuredIn('echoer', mark), { timeout: UI_TIMEOUT }).toContain('é');
});

test('keys typed in the moment after Run reach the run, never a button of the catalog the Run hid', async () => {
  const { page, api } = e;
  await page.getByTestId('nav-catalog').click();
  await tile(page, 'echoer').getByTestId('app-run').waitFor({ timeout: UI_TIMEOUT });
  const before = (await call(api, 'runs.list', {})).length;
  // A busy page: frames (and what waits for them) come late, so the keys below all arrive before
  // the next one. The clicked Run button keeps the keyboard until something moves it: pressed
  // there, Enter would start the app a second time from a catalog no longer on screen.
  await page.evaluate(() => {
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) => raf((t) => setTimeout(() => cb(t), 400)) ;
  });
  await tile(page, 'echoer').getByTestId('app-run').click();
  await page.keyboard.type('hi');
  await page.keyboard.press('Enter');
  const echoer = visiblePane(page);
  expect(await echoer.getAttribute('data-app-name')).toBe('echoer');
  // "hi" twice: the line discipline's echo, then the app's copy of the line.
  await waitForText(echoer, 'hi', 2);
  await page.waitForTimeout(500);
  expect((await call(api, 'runs.list', {})).length).toBe(before + 1);
  expect(await page.getByTestId('terminal-pane').count()).toBe(before + 2); // args_env's and this one
});

test('a key pressed at a button just hidden, before the browser moves focus off it, does nothing (util/hidden-focus.ts)', async () => {
  const { page, api } = e;
  await page.getByTestId('nav-catalog').click();
  const run = tile(page, 'echoer').getByTestId('app-run');
  const before = (await call(api, 'runs.list', {})).length;
  // The screen is hidden, then the page is kept busy (a task queued right after) while Enter is sent:
  // the key is handled before the style update that would take the focus off the hidden button
  // (Chromium's focus fix-up). Where a frame slipped in between (focus already moved), again.
  let hadFocus: string | null = null;
  for (let attempt = 0; attempt < 5 && hadFocus !== 'app-run'; attempt++) {
    await run.focus();
    await page.evaluate(() => {
      (document.querySelector('[data-testid="catalog-screen"]') as HTMLElement).hidden = true;
      setTimeout(() => {
        const t = performance.now();
        while (performance.now() - t < 200);
        (window as unknown as { __hadFocus: string | null }).__hadFocus = document.activeElement?.getAttribute('data-testid') ?? null;
      }, 0);
    });
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    hadFocus = await page.evaluate(() => (window as unknown as { __hadFocus: string | null }).__hadFocus);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null)).not.toBe('app-run');
    await page.evaluate(() => {
      (document.querySelector('[data-testid="catalog-screen"]') as HTMLElement).hidden = false;
    });
  }
  expect(hadFocus).toBe('app-run'); // the hidden button did still have the keyboard when Enter came
  await page.waitForTimeout(300);
  expect((await call(api, 'runs.list', {})).length).toBe(before);
});

test('the pointer on a Run button asks main to compile the app ahead, once in a while, not at every move', async () => {
  const { page } = e;
  await page.getByTestId('nav-catalog').click();
  const sent: string[] = [];
  const onSocket = (ws: import('playwright-core').WebSocket): void => {
    ws.on('framesent', (f) => sent.push(typeof f.payload === 'string' ? f.payload : Buffer.from(f.payload).toString('latin1')));
  };
  page.on('websocket', onSocket);
  await page.reload(); // the page's socket, opened again while listened to
  const run = tile(page, 'args_env').getByTestId('app-run');
  await run.waitFor({ timeout: UI_TIMEOUT });
  const warms = (): number => sent.filter((s) => s.includes('runs.warm')).length;
  expect(warms()).toBe(0);
  await run.hover();
  await expect.poll(warms, { timeout: UI_TIMEOUT }).toBe(1);
  await page.mouse.move(0, 0);
  await run.hover();
  await page.waitForTimeout(300);
  expect(warms()).toBe(1); // within 2 s of the last: not asked again
  page.off('websocket', onSocket);
});
