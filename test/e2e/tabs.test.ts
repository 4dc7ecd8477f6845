/**
 * Terminal tabs you can tell apart and tidy (issue 13, point 2): a tab shows its arguments, start
 * time and run number (the run history's and activity log's); closing a running tab asks first;
 * "Close finished" closes every exited tab; an app's finished tabs group; a tab of an uninstalled
 * app stays readable, with Re-run off and the reason given by name, never by internal id. And
 * (issue 14.4) a Run reveals a pane made ahead of time, unseen and inert while it waits, one at most.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type E2E, fixture, screenshotBothThemes, seed, startE2E } from '../helpers/e2e/harness.ts';
import { UI_TIMEOUT, call, paneOf, terminalText, tile, visiblePane, waitForRun } from '../helpers/e2e/ui.ts';

let e: E2E;
let argsApp: string;
let spin: string;

beforeAll(async () => {
  e = await startE2E();
  argsApp = await seed(e.api, fixture('args_env.wasm'));
  spin = await seed(e.api, fixture('spin.wasm'));
  await call(e.api, 'grants.add', { ref: spin, grants: [{ kind: 'args', args: ['read'] }] }); // blocks reading stdin
  await e.page.reload();
  await tile(e.page, 'args_env').waitFor({ timeout: UI_TIMEOUT });
});
afterAll(async () => e?.close());

const tabs = (page: Page) => page.getByTestId('terminal-tab');

/** Runs args_env from its tile menu with `text` as arguments and waits for it to end. */
async function runArgsEnv(page: Page, text: string): Promise<void> {
  await page.getByTestId('nav-catalog').click();
  await tile(page, 'args_env').getByTestId('app-menu').click();
  await page.getByTestId('tile-run-args').click();
  const field = page.getByTestId('run-args-input');
  await expect.poll(() => page.getByTestId('run-args-run').isEnabled(), { timeout: UI_TIMEOUT }).toBe(true);
  await field.fill(text);
  await page.keyboard.press('Enter');
  await waitForRun(visiblePane(page), 'exited');
}


test('a pane is made ahead of time: a Run reveals it (its app named, its terminal blank), one more is made after, never more than one waits', async () => {
  const { page } = e;
  await page.getByTestId('nav-catalog').click();
  const standby = page.getByTestId('terminal-standby');
  await expect.poll(() => standby.locator('.xterm').count(), { timeout: UI_TIMEOUT }).toBe(1);
  // Out of reach while it waits: nothing in it can be focused or read out, and it is not a tab.
  expect(await standby.evaluate((el) => (el as HTMLElement).inert && el.getAttribute('aria-hidden'))).toBe('true');
  expect(await standby.evaluate((el) => getComputedStyle(el).opacity)).toBe('0');
  await standby.evaluate((el) => ((el as unknown as { __marked: boolean }).__marked = true));
  // Its row in the sidebar waits too, hidden and out of reach, with no tab's test ids (it is not a tab yet).
  const rows = page.locator('aside li.tab');
  expect(await rows.count()).toBe(1);
  expect(await rows.first().evaluate((el) => (el as HTMLElement).hidden && (el as HTMLElement).inert && el.querySelector('[data-testid]') === null)).toBe(true);
  await rows.first().evaluate((el) => ((el as unknown as { __marked: boolean }).__marked = true));
  await tile(page, 'args_env').getByTestId('app-run').click();
  const pane = visiblePane(page);
  await waitForRun(pane, 'exited');
  // The tab's row is the one that was waiting, shown.
  const row = page.locator('aside li.tab', { has: page.getByTestId('terminal-tab') });
  expect(await row.evaluate((el) => (el as unknown as { __marked?: boolean }).__marked === true && !(el as HTMLElement).hidden && !(el as HTMLElement).inert)).toBe(true);
  // The pane that shows the run is the one that was waiting, claimed: named, reachable, shown.
  expect(await pane.evaluate((el) => (el as unknown as { __marked?: boolean }).__marked)).toBe(true);
  expect(await pane.getAttribute('data-app-name')).toBe('args_env');
  expect(await pane.locator('h1').innerText()).toBe('args_env');
  expect(await pane.evaluate((el) => !(el as HTMLElement).inert && el.getAttribute('aria-hidden') === null && getComputedStyle(el).opacity === '1')).toBe(true);
  // Its terminal has the run's output and nothing else (the characters it drew while waiting are gone).
  await expect.poll(() => terminalText(pane), { timeout: UI_TIMEOUT }).toContain('argc=');
  expect(await terminalText(pane)).not.toContain('0123456789:;<=>?@ABC');
  await expect.poll(() => standby.count(), { timeout: UI_TIMEOUT }).toBe(1);
  expect(await standby.evaluate((el) => (el as unknown as { __marked?: boolean }).__marked)).toBeUndefined();
  await page.waitForTimeout(1500);
  expect(await standby.count()).toBe(1);
  expect(await page.locator('.xterm').count()).toBe(2); // the tab's and the standby pane's
  await page.getByTestId('terminal-tab-close').last().click();
  await expect.poll(() => tabs(page).count(), { timeout: UI_TIMEOUT }).toBe(0);
});

test('a Run gives its terminal the keyboard, unclicked: an app that prints at once, and one that prints nothing and waits', async () => {
  const { page, api } = e;
  const focused = (name: string) => paneOf(page, name).locator('.xterm-helper-textarea').evaluate((el) => el === document.activeElement);
  await page.getByTestId('nav-catalog').click();
  await tile(page, 'args_env').getByTestId('app-run').click();
  await waitForRun(paneOf(page, 'args_env'), 'exited');
  await expect.poll(() => focused('args_env'), { timeout: UI_TIMEOUT }).toBe(true);
  await expect.poll(() => paneOf(page, 'args_env').locator('.xterm-rows').innerText(), { timeout: UI_TIMEOUT }).toContain('argc=');

  // Nothing printed (it reads stdin): the keyboard still goes to it, and typing shows (the host's echo).
  await page.getByTestId('nav-catalog').click();
  await tile(page, 'spin').getByTestId('app-run').click();
  await waitForRun(paneOf(page, 'spin'), 'running');
  await expect.poll(() => focused('spin'), { timeout: UI_TIMEOUT }).toBe(true);
  // Its one line first (on a busy machine it can come after the pane took the keyboard).
  await expect.poll(() => paneOf(page, 'spin').locator('.xterm-rows').innerText(), { timeout: UI_TIMEOUT }).toContain('spinning read');
  await page.keyboard.type('typed unclicked');
  await expect.poll(() => paneOf(page, 'spin').locator('.xterm-rows').innerText(), { timeout: UI_TIMEOUT }).toContain('typed unclicked');

  for (let n = await page.getByTestId('terminal-tab-close').count(); n > 0; n--) {
    await page.getByTestId('terminal-tab-close').last().click();
    const confirm = page.getByTestId('close-running-dialog').getByTestId('confirm-action');
    if (await confirm.isVisible()) await confirm.click();
  }
  await expect.poll(() => tabs(page).count(), { timeout: UI_TIMEOUT }).toBe(0);
  await expect.poll(async () => (await call(api, 'runs.list', {})).length, { timeout: UI_TIMEOUT }).toBe(0);
});

test("a tab shows its arguments, start time and the run's number from the run history", async () => {
  const { page, api } = e;
  await runArgsEnv(page, 'alpha "beta gamma"');
  const run = (await call(api, 'apps.get', { ref: argsApp })).history[0]!;
  const tab = tabs(page).last();
  expect(await tab.getAttribute('data-run-number')).toBe(String(run.id));
  expect(await tab.innerText()).toContain(`#${run.id}`);
  expect(await tab.getByTestId('tab-args').innerText()).toBe("alpha 'beta gamma'");
  expect(await tab.locator('time').getAttribute('datetime')).toBeTruthy();

  await visiblePane(page).getByRole('button', { name: 'App page' }).click();
  const row = page.getByTestId('run-row').first();
  await row.waitFor({ timeout: UI_TIMEOUT });
  expect(await row.getByTestId('run-number').innerText()).toBe(`#${run.id}`);
});

test('closing a running tab asks first; Cancel keeps it running', async () => {
  const { page, api } = e;
  await page.getByTestId('nav-catalog').click();
  await tile(page, 'spin').getByTestId('app-run').click();
  await waitForRun(paneOf(page, 'spin'), 'running');
  const spinTab = page.locator('[data-testid="terminal-tab"][data-app-name="spin"]');
  const close = page.locator('li.tab', { has: spinTab }).getByTestId('terminal-tab-close');
  await close.click();
  const dialog = page.getByTestId('close-running-dialog');
  await dialog.waitFor({ timeout: UI_TIMEOUT });
  expect(await dialog.innerText()).toMatch(/spin \(run #\d+\) is still running/);
  await screenshotBothThemes(page, 'tabs-close-running');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect(await spinTab.count()).toBe(1);
  expect((await call(api, 'runs.list', {})).length).toBe(1);

  await close.click();
  await page.getByTestId('close-running-dialog').getByTestId('confirm-action').click();
  await expect.poll(() => spinTab.count(), { timeout: UI_TIMEOUT }).toBe(0);
  await expect.poll(async () => (await call(api, 'runs.list', {})).length, { timeout: UI_TIMEOUT }).toBe(0);
});

test("an app's finished tabs group; Close finished closes every exited tab and keeps the running one", async () => {
  const { page } = e;
  await runArgsEnv(page, 'second');
  await runArgsEnv(page, 'third');
  await page.getByTestId('nav-catalog').click();
  await tile(page, 'spin').getByTestId('app-run').click();
  await waitForRun(paneOf(page, 'spin'), 'running');
  expect(await tabs(page).count()).toBe(4);

  await page.getByTestId('group-finished').click();
  const group = page.locator('[data-testid="tab-group"][data-app-name="args_env"]');
  await group.waitFor({ timeout: UI_TIMEOUT });
  expect(await group.getByTestId('terminal-tab').count()).toBe(3);
  expect(await group.locator('summary').innerText()).toContain('3 finished');
  await screenshotBothThemes(page, 'tabs-grouped');

  await page.getByTestId('close-finished').click();
  await expect.poll(() => tabs(page).count(), { timeout: UI_TIMEOUT }).toBe(1);
  expect(await tabs(page).first().getAttribute('data-app-name')).toBe('spin');
  await page.getByTestId('terminal-tab-close').click();
  await page.getByTestId('close-running-dialog').getByTestId('confirm-action').click();
  await expect.poll(() => tabs(page).count(), { timeout: UI_TIMEOUT }).toBe(0);
});

test('a tab of an uninstalled app stays readable; Re-run is off with the reason, never an internal id', async () => {
  const { page, api } = e;
  await runArgsEnv(page, 'last');
  const pane = visiblePane(page);
  await call(api, 'apps.uninstall', { ref: argsApp });
  await pane.getByTestId('run-gone-note').waitFor({ timeout: UI_TIMEOUT });
  expect(await pane.getByTestId('run-rerun').isDisabled()).toBe(true);
  expect(await pane.getByTestId('run-rerun-args').isDisabled()).toBe(true);
  expect(await pane.getByTestId('run-rerun').getAttribute('title')).toBe('args_env is no longer installed');
  expect(await pane.innerText()).toContain('argv[1]=last');
  expect(await tabs(page).last().getByTestId('tab-uninstalled').count()).toBe(1);
  expect(await page.locator('body').innerText()).not.toContain(argsApp);
  await screenshotBothThemes(page, 'tabs-uninstalled-app');
});
