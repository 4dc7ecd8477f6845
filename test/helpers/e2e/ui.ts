/**
 * Shared steps of the end-to-end tests: typed API calls, the in-app file browser, terminal panes.
 * Everything waits on a condition (never on a fixed delay); the timeouts are generous because CI
 * has two cores shared by Chromium, the core and the guests.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Api } from '../../../main/api/index.ts';
import type { RequestArgs, RequestName, RequestResult } from '../../../preload/api.ts';

/** How long a UI condition may take to come true. */
export const UI_TIMEOUT = 20_000;

/** A request straight to the core (what the page would get), failing the test on an error. */
export async function call<K extends RequestName>(api: Api, name: K, args: RequestArgs<K>): Promise<RequestResult<K>> {
  const r = await api.handle(name, args);
  if (!r.ok) throw new Error(`${name} failed: ${r.code}: ${r.message}`);
  return r.value as RequestResult<K>;
}

/** The open modal's file browser (install dialog or folder picker). */
export function fileBrowser(page: Page): Locator {
  return page.locator('dialog[open] [data-testid="file-browser"]');
}

/** Walks the in-app file browser of the open dialog to the absolute folder `dir`, one folder at a time. */
export async function browseTo(page: Page, dir: string): Promise<void> {
  const browser = fileBrowser(page);
  const current = browser.locator('[aria-current="location"]');
  await current.waitFor({ timeout: UI_TIMEOUT }); // the first listing (the home folder) is in
  const root = browser.getByRole('button', { name: '/', exact: true });
  if ((await current.innerText()) !== '/') await root.click();
  await expect.poll(() => current.innerText(), { timeout: UI_TIMEOUT }).toBe('/');
  for (const part of dir.split('/').filter(Boolean)) {
    await browser.locator(`[data-testid="browser-entry"][data-kind="dir"][data-name="${part}"]`).dblclick();
    await expect.poll(() => current.innerText(), { timeout: UI_TIMEOUT }).toBe(part);
  }
  await expect.poll(() => browser.getByTestId('browser-list').getAttribute('aria-label'), { timeout: UI_TIMEOUT }).toBe(`Contents of ${dir}`);
}

/** The terminal pane on show (panes of other tabs stay mounted but hidden). */
export function visiblePane(page: Page): Locator {
  return page.locator('[data-testid="terminal-pane"]:visible');
}

/** The pane of the tab of app `name` (shown or not). */
export function paneOf(page: Page, name: string): Locator {
  return page.locator(`[data-testid="terminal-pane"][data-app-name="${name}"]`);
}

/** The text xterm.js draws in `pane` (its visible rows), with non-breaking spaces made plain. */
export async function terminalText(pane: Locator): Promise<string> {
  return (await pane.locator('.xterm-rows').innerText()).replace(/\u00a0/g, ' ');
}

/** How many times `needle` occurs in `hay`. */
export function occurrences(hay: string, needle: string): number {
  return hay.split(needle).length - 1;
}

/** The status line of `pane`. */
export function runStatus(pane: Locator): Locator {
  return pane.getByTestId('run-status');
}

/** Waits until `pane`'s run is in `state` (and, if given, ended with `outcome` / `exitCode`). */
export async function waitForRun(pane: Locator, state: 'starting' | 'running' | 'exited' | 'failed', outcome?: string, exitCode?: number): Promise<void> {
  let sel = `[data-testid="run-status"][data-state="${state}"]`;
  if (outcome) sel += `[data-outcome="${outcome}"]`;
  if (exitCode !== undefined) sel += `[data-exit-code="${exitCode}"]`;
  await pane.locator(sel).waitFor({ timeout: UI_TIMEOUT });
}

/** Puts keyboard focus in `pane`'s terminal (xterm.js listens on its hidden textarea). */
export async function focusTerminal(pane: Locator): Promise<void> {
  await pane.locator('.xterm-screen').click();
  await expect.poll(() => pane.locator('.xterm-helper-textarea').evaluate((el) => el === document.activeElement), { timeout: UI_TIMEOUT }).toBe(true);
}

/** Waits until `pane`'s terminal shows `text` (at least `times` times). */
export async function waitForText(pane: Locator, text: string, times = 1): Promise<string> {
  let last = '';
  await expect
    .poll(async () => {
      last = await terminalText(pane);
      return occurrences(last, text);
    }, { timeout: UI_TIMEOUT, message: `terminal never showed ${JSON.stringify(text)} ${times}×` })
    .toBeGreaterThanOrEqual(times);
  return last;
}

/** The catalog tile of app `name`. */
export function tile(page: Page, name: string): Locator {
  return page.locator(`[data-testid="app-tile"][data-app-name="${name}"]`);
}

/** Dispatches a drop of one file with `bytes` on the window, as a person dragging it from a file manager. */
export async function dropFile(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  await page.evaluate(({ name, bytes }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], name, { type: 'application/wasm' }));
    window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
    window.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { name, bytes: [...bytes] });
}

/**
 * Stops every run the core still supervises and waits until they have ended (and been recorded),
 * so closing the library after a failed test does not race a run's last write.
 */
export async function stopAllRuns(api: Api): Promise<void> {
  for (const s of await call(api, 'runs.list', {})) await api.handle('runs.stop', { runId: s.runId });
  await expect.poll(async () => (await call(api, 'runs.list', {})).length, { timeout: UI_TIMEOUT }).toBe(0);
}

/** The `data-answer` of the focused element (a permission prompt's buttons carry one). */
export function focusedAnswer(page: Page): Promise<string | null> {
  return page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.answer ?? null);
}
