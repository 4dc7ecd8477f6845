/**
 * Runs in terminal tabs (issue 4, point 6): Ctrl+C stops a long run and its history says so; two
 * apps run at once in two tabs whose input stays apart; Stop and Re-run.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type E2E, fixture, seed, startE2E } from '../helpers/e2e/harness.ts';
import { UI_TIMEOUT, call, focusTerminal, occurrences, paneOf, terminalText, tile, visiblePane, waitForRun, waitForText } from '../helpers/e2e/ui.ts';

let e: E2E;
let spin: string;
let stdio: string;

/** Sets the default arguments of `appId` (what the Run control starts it with). */
async function defaultArgs(appId: string, args: string[]): Promise<void> {
  await call(e.api, 'grants.add', { ref: appId, grants: [{ kind: 'args', args }] });
}

beforeAll(async () => {
  e = await startE2E();
  spin = await seed(e.api, fixture('spin.wasm'));
  stdio = await seed(e.api, fixture('stdio.wasm'));
  await defaultArgs(stdio, ['echo']);
  await e.page.reload();
  await tile(e.page, 'spin').waitFor({ timeout: UI_TIMEOUT });
});
afterAll(async () => e?.close());

test('Ctrl+C stops a long run; the status line and the run history say it was stopped', async () => {
  const { page, api } = e;
  await defaultArgs(spin, ['busy']); // a loop that never calls the host: only the host can end it
  await tile(page, 'spin').getByTestId('app-run').click();
  const pane = visiblePane(page);
  await waitForRun(pane, 'running');
  await waitForText(pane, 'spinning busy');
  await focusTerminal(pane);
  await page.keyboard.press('Control+c');
  await waitForRun(pane, 'exited', 'cancelled');
  expect(await pane.getByTestId('run-status').innerText()).toMatch(/stopped/i);
  expect(await page.locator('[data-testid="terminal-tab"][data-app-name="spin"]').getAttribute('data-state')).toBe('exited');
  // xterm.js draws on the next animation frame: wait for the echo rather than read at once.
  await waitForText(pane, '^C');
  expect(await terminalText(pane)).toContain('^C');
  expect(await call(api, 'runs.list', {})).toEqual([]);

  await pane.getByRole('button', { name: 'App page' }).click();
  const rowCancelled = page.locator('[data-testid="run-history"] [data-testid="run-row"][data-outcome="cancelled"]');
  await rowCancelled.waitFor({ timeout: UI_TIMEOUT });
  expect(await page.getByTestId('run-row').count()).toBe(1);
  expect(await rowCancelled.innerText()).toContain('stopped');
  expect((await call(api, 'apps.get', { ref: spin })).history[0]).toMatchObject({ outcome: 'cancelled', exitCode: null, args: ['busy'] });

  await page.getByTestId('terminal-tab-close').click();
  await expect.poll(() => page.getByTestId('terminal-tab').count(), { timeout: UI_TIMEOUT }).toBe(0);
});

test('two apps at once: two tabs, both running, input to one never reaches the other; Stop and Re-run', async () => {
  const { page, api } = e;
  await defaultArgs(spin, ['read']); // blocks reading stdin: alive, cheap, and it never echoes
  await page.getByTestId('nav-catalog').click();
  await tile(page, 'spin').getByTestId('app-run').click();
  const spinPane = paneOf(page, 'spin');
  await waitForRun(spinPane, 'running');
  await waitForText(spinPane, 'spinning read');

  await page.getByTestId('nav-catalog').click();
  await tile(page, 'stdio').getByTestId('app-run').click();
  const stdioPane = paneOf(page, 'stdio');
  await waitForRun(stdioPane, 'running');
  expect(await stdioPane.isVisible()).toBe(true);
  expect(await spinPane.isVisible()).toBe(false);

  // Two tabs, both running, and the core supervises two sessions.
  const tabs = page.getByTestId('terminal-tab');
  expect(await tabs.count()).toBe(2);
  expect(await page.locator('[data-testid="terminal-tab"][data-state="running"]').count()).toBe(2);
  const sessions = await call(api, 'runs.list', {});
  expect(sessions.map((s) => s.appName).sort()).toEqual(['spin', 'stdio']);
  const firstSpinRun = sessions.find((s) => s.appName === 'spin')!.runId;
  await page.getByTestId('nav-catalog').click();
  await expect.poll(() => tile(page, 'spin').getByTestId('badge-running').count(), { timeout: UI_TIMEOUT }).toBe(1);
  await expect.poll(() => tile(page, 'stdio').getByTestId('badge-running').count(), { timeout: UI_TIMEOUT }).toBe(1);

  // A line typed into stdio comes back there (echo + answer) and nowhere else.
  await page.locator('[data-testid="terminal-tab"][data-app-name="stdio"]').click();
  await focusTerminal(stdioPane);
  await page.keyboard.type('only for stdio');
  await page.keyboard.press('Enter');
  await waitForText(stdioPane, 'only for stdio', 2);

  // A line typed into spin shows only there (the host's echo; spin never answers).
  await page.locator('[data-testid="terminal-tab"][data-app-name="spin"]').click();
  await focusTerminal(spinPane);
  await page.keyboard.type('only for spin');
  await page.keyboard.press('Enter');
  await waitForText(spinPane, 'only for spin', 1);

  expect(occurrences(await terminalText(spinPane), 'only for stdio')).toBe(0);
  await page.locator('[data-testid="terminal-tab"][data-app-name="stdio"]').click();
  await waitForText(stdioPane, 'only for stdio', 2);
  expect(occurrences(await terminalText(stdioPane), 'only for spin')).toBe(0);
  expect(occurrences(await terminalText(stdioPane), 'only for stdio')).toBe(2);
  await page.locator('[data-testid="terminal-tab"][data-app-name="spin"]').click();
  expect(occurrences(await terminalText(spinPane), 'only for spin')).toBe(1);

  // Stop: spin ends as stopped, stdio keeps running.
  await spinPane.getByTestId('run-stop').click();
  await waitForRun(spinPane, 'exited', 'cancelled');
  expect(await page.locator('[data-testid="terminal-tab"][data-app-name="stdio"]').getAttribute('data-state')).toBe('running');
  await expect.poll(async () => (await call(api, 'runs.list', {})).map((s) => s.appName), { timeout: UI_TIMEOUT }).toEqual(['stdio']);

  // Re-run: the terminal is cleared and a new run starts in the same tab.
  await spinPane.getByTestId('run-rerun').click();
  await waitForRun(spinPane, 'running');
  await waitForText(spinPane, 'spinning read');
  const after = await terminalText(spinPane);
  expect(occurrences(after, 'only for spin')).toBe(0);
  expect(occurrences(after, 'spinning read')).toBe(1);
  expect(await tabs.count()).toBe(2);
  const now = await call(api, 'runs.list', {});
  const secondSpinRun = now.find((s) => s.appName === 'spin')?.runId;
  expect(secondSpinRun).toBeDefined();
  expect(secondSpinRun).not.toBe(firstSpinRun);

  // Clean up: stop spin again, end stdio's input.
  await spinPane.getByTestId('run-stop').click();
  await waitForRun(spinPane, 'exited', 'cancelled');
  await page.locator('[data-testid="terminal-tab"][data-app-name="stdio"]').click();
  await focusTerminal(stdioPane);
  await page.keyboard.press('Control+d');
  await waitForRun(stdioPane, 'exited', 'exit', 0);
  const spinHistory = (await call(api, 'apps.get', { ref: spin })).history;
  expect(spinHistory.filter((r) => r.outcome === 'cancelled')).toHaveLength(3);
});
