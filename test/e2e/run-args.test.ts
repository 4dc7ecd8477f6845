/**
 * "Run with arguments…" (issue 13, point 1): from the app page, the tile menu and a finished
 * terminal's Re-run; the field is prefilled with the app's last per-run arguments, ↑/↓ walk the
 * earlier ones, the preview shows the words (default ones first) or the parse error, Enter runs.
 * A terminal's first line is the command it ran; a run waiting for input says so.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type E2E, fixture, screenshotBothThemes, seed, startE2E } from '../helpers/e2e/harness.ts';
import { UI_TIMEOUT, call, focusTerminal, tile, visiblePane, waitForRun, waitForText } from '../helpers/e2e/ui.ts';

let e: E2E;
let argsApp: string;

beforeAll(async () => {
  e = await startE2E();
  argsApp = await seed(e.api, fixture('args_env.wasm'));
  await call(e.api, 'grants.add', { ref: argsApp, grants: [{ kind: 'args', args: ['--base'] }] });
  const stdio = await seed(e.api, fixture('stdio.wasm'));
  await call(e.api, 'grants.add', { ref: stdio, grants: [{ kind: 'args', args: ['echo'] }] });
  await e.page.reload();
  await tile(e.page, 'args_env').waitFor({ timeout: UI_TIMEOUT });
});
afterAll(async () => e?.close());

const dialog = (page: Page) => page.getByTestId('run-args-dialog');
const field = (page: Page) => dialog(page).getByTestId('run-args-input');


test('from the app page: the words preview (default ones first), a parse error inline, Enter runs; the terminal starts with the command line', async () => {
  const { page, api } = e;
  await tile(page, 'args_env').getByTestId('app-details').click();
  await page.getByTestId('app-page-run-args').click();
  await expect.poll(() => field(page).evaluate((el) => el === document.activeElement), { timeout: UI_TIMEOUT }).toBe(true);
  expect(await field(page).inputValue()).toBe(''); // never run: nothing to prefill

  await field(page).fill('one "two words');
  await dialog(page).getByTestId('run-args-error').waitFor({ timeout: UI_TIMEOUT });
  expect(await dialog(page).getByTestId('run-args-error').innerText()).toMatch(/unterminated " quote/);
  expect(await dialog(page).getByTestId('run-args-run').isDisabled()).toBe(true);
  await screenshotBothThemes(page, 'run-args-error');
  await page.keyboard.press('Enter'); // refused: still open, nothing started
  expect(await dialog(page).isVisible()).toBe(true);

  await field(page).fill('one "two words"');
  expect(await dialog(page).getByTestId('run-args-default-word').allInnerTexts()).toEqual(['--base']);
  expect(await dialog(page).getByTestId('run-args-word').allInnerTexts()).toEqual(['one', 'two words']);
  expect(await dialog(page).getByTestId('run-args-defaults').isVisible()).toBe(true);
  await screenshotBothThemes(page, 'run-args-dialog');
  await page.keyboard.press('Enter');

  const pane = visiblePane(page);
  await waitForRun(pane, 'exited');
  const text = await waitForText(pane, 'argv[3]=two words');
  expect(text).toContain('argv[1]=--base');
  expect(await pane.getByTestId('terminal-command-line').innerText()).toBe("args_env --base one 'two words'");
  expect(text).not.toContain('args_env --base'); // Terrarium's line is drawn above the terminal, not written into it
  expect((await call(api, 'apps.get', { ref: argsApp })).history[0]!.args).toEqual(['--base', 'one', 'two words']);
});

test('from the tile menu: prefilled with the last arguments, ↑/↓ through the earlier ones', async () => {
  const { page } = e;
  await page.getByTestId('nav-catalog').click();
  await tile(page, 'args_env').getByTestId('app-menu').click();
  await page.getByTestId('tile-run-args').click();
  await expect.poll(() => field(page).inputValue(), { timeout: UI_TIMEOUT }).toBe("one 'two words'");
  await field(page).fill('three');
  await page.keyboard.press('Enter');
  await waitForText(visiblePane(page), 'argv[2]=three');

  await page.getByTestId('nav-catalog').click();
  await tile(page, 'args_env').getByTestId('app-menu').click();
  await page.getByTestId('tile-run-args').click();
  await expect.poll(() => field(page).inputValue(), { timeout: UI_TIMEOUT }).toBe('three');
  await page.keyboard.press('ArrowUp');
  expect(await field(page).inputValue()).toBe("one 'two words'");
  await page.keyboard.press('ArrowUp'); // the oldest stays
  expect(await field(page).inputValue()).toBe("one 'two words'");
  await page.keyboard.press('ArrowDown');
  expect(await field(page).inputValue()).toBe('three');
  await page.keyboard.press('Escape');
  await expect.poll(() => dialog(page).count(), { timeout: UI_TIMEOUT }).toBe(0);
});

test("a finished terminal's Re-run with arguments runs again in the same tab", async () => {
  const { page } = e;
  const tabs = await page.getByTestId('terminal-tab').count();
  await page.getByTestId('terminal-tab').last().click();
  const pane = visiblePane(page);
  await waitForRun(pane, 'exited');
  await pane.getByTestId('run-rerun-args').click();
  await expect.poll(() => field(page).inputValue(), { timeout: UI_TIMEOUT }).toBe('three');
  await field(page).fill("'four five'");
  await page.keyboard.press('Enter');
  const text = await waitForText(pane, 'argv[2]=four five');
  expect(text).not.toContain('argv[2]=three'); // the terminal was cleared for the new run
  expect(await pane.getByTestId('terminal-command-line').innerText()).toBe("args_env --base 'four five'");
  expect(await page.getByTestId('terminal-tab').count()).toBe(tabs);
});

test('a run waiting for input with nothing on screen says so until something shows', async () => {
  const { page } = e;
  await page.getByTestId('nav-catalog').click();
  await tile(page, 'stdio').getByTestId('app-run').click();
  const pane = visiblePane(page);
  await waitForRun(pane, 'running');
  const hint = pane.getByTestId('waiting-hint');
  await hint.waitFor({ timeout: UI_TIMEOUT });
  expect(await hint.innerText()).toBe('waiting for input — Ctrl+D ends input');
  expect(await pane.getByTestId('terminal-command-line').innerText()).toBe('stdio echo');
  // a steady (not blinking) block cursor marks where input goes
  await expect.poll(() => pane.locator('.xterm-rows .xterm-cursor-block').count(), { timeout: UI_TIMEOUT }).toBe(1);
  // (xterm redraws the cursor a frame after the option changes, so this is polled too)
  await expect.poll(() => pane.locator('.xterm-rows .xterm-cursor-blink').count(), { timeout: UI_TIMEOUT }).toBe(0);
  await screenshotBothThemes(page, 'run-waiting-for-input');
  await focusTerminal(pane);
  await page.keyboard.type('hi');
  await expect.poll(() => hint.count(), { timeout: UI_TIMEOUT }).toBe(0);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+d');
  await waitForRun(pane, 'exited');
});
