/**
 * Uninstall and updates that make sense (issue 13, point 4): uninstalling a running app offers
 * "Stop and uninstall" and leaves its finished tab readable, marked; a module already in the
 * catalog (same SHA-256) is named and offered instead of a second copy; an update's review says
 * its permissions stay (and not that it grants nothing); Enter in the name field installs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type E2E, fixture, screenshotBothThemes, seed, startE2E } from '../helpers/e2e/harness.ts';
import { UI_TIMEOUT, browseTo, call, tile, visiblePane, waitForRun } from '../helpers/e2e/ui.ts';

let e: E2E;
let dir: string;

beforeAll(async () => {
  e = await startE2E();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-e2e-mods-'));
  await e.page.reload();
});
afterAll(async () => {
  await e?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});


/** Opens the install dialog on `file` and waits for its review. */
async function review(page: Page, file: string): Promise<void> {
  await page.getByTestId('nav-catalog').click();
  await page.getByTestId('install-button').click();
  await page.getByTestId('install-dialog').waitFor({ timeout: UI_TIMEOUT });
  await browseTo(page, path.dirname(file));
  await page.locator(`[data-testid="browser-entry"][data-kind="file"][data-name="${path.basename(file)}"]`).click();
  await expect.poll(() => page.getByTestId('install-review-file').isEnabled(), { timeout: UI_TIMEOUT }).toBe(true);
  await page.getByTestId('install-review-file').click();
  await page.getByTestId('install-review').waitFor({ timeout: UI_TIMEOUT });
}

test('uninstalling a running app offers "Stop and uninstall"; its finished tab stays, marked', async () => {
  const { page, api } = e;
  const spin = await seed(api, fixture('spin.wasm'));
  await call(api, 'grants.add', { ref: spin, grants: [{ kind: 'args', args: ['read'] }] });
  await page.reload();
  await tile(page, 'spin').getByTestId('app-run').click();
  const pane = visiblePane(page);
  await waitForRun(pane, 'running');
  await pane.getByRole('button', { name: 'App page' }).click();
  await page.getByTestId('app-uninstall').click();
  const dialog = page.getByTestId('uninstall-dialog');
  await dialog.getByTestId('uninstall-running').waitFor({ timeout: UI_TIMEOUT });
  expect(await dialog.getByTestId('confirm-action').innerText()).toBe('Stop and uninstall');
  expect(await dialog.getByTestId('confirm-action').isEnabled()).toBe(true);
  await screenshotBothThemes(page, 'uninstall-running');
  await dialog.getByTestId('confirm-action').click();
  await expect.poll(async () => (await call(api, 'apps.list', {})).length, { timeout: UI_TIMEOUT }).toBe(0);
  expect(await call(api, 'runs.list', {})).toEqual([]);

  const tab = page.locator('[data-testid="terminal-tab"][data-app-name="spin"]');
  await tab.getByTestId('tab-uninstalled').waitFor({ timeout: UI_TIMEOUT });
  await tab.click();
  await waitForRun(visiblePane(page), 'exited', 'cancelled');
  expect(await visiblePane(page).innerText()).toContain('spinning read');
  expect(await visiblePane(page).getByTestId('run-rerun').isDisabled()).toBe(true);
});

test('a module already in the catalog is named, and opening that app adds no second one', async () => {
  const { page, api } = e;
  const stdio = await seed(api, fixture('stdio.wasm'));
  const copy = path.join(dir, 'other.wasm');
  fs.copyFileSync(fixture('stdio.wasm'), copy);
  await review(page, copy);
  const dup = page.getByTestId('install-duplicate');
  await dup.waitFor({ timeout: UI_TIMEOUT });
  expect(await dup.innerText()).toContain('already in your catalog as stdio');
  await screenshotBothThemes(page, 'install-duplicate');
  await dup.getByTestId('install-open-existing').click();
  await page.getByTestId('install-dialog').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  await expect.poll(() => page.getByTestId('app-page-name').innerText(), { timeout: UI_TIMEOUT }).toBe('stdio');
  expect((await call(api, 'apps.list', {})).map((a) => a.id)).toEqual([stdio]);
});

test("an update's review says its permissions stay; Enter in the name field installs it", async () => {
  const { page, api } = e;
  const file = path.join(dir, 'tool.wasm');
  fs.copyFileSync(fixture('spin.wasm'), file);
  const tool = await seed(api, file);
  await call(api, 'grants.add', { ref: tool, grants: [{ kind: 'args', args: ['kept'] }] });
  fs.copyFileSync(fixture('args_env.wasm'), file); // a new build at the same place
  await review(page, file);
  const note = page.getByTestId('install-note');
  expect(await note.innerText()).toMatch(/Its permissions stay/);
  expect(await note.innerText()).not.toMatch(/grants nothing/);
  expect(await page.getByTestId('install-duplicate').count()).toBe(0);
  await screenshotBothThemes(page, 'install-update-review');
  await page.getByTestId('install-name').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('install-dialog').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  const d = await call(api, 'apps.get', { ref: tool });
  expect(d.app.sha256).not.toBe((await call(api, 'apps.get', { ref: 'stdio' })).app.sha256);
  expect(d.builds.length).toBe(2);
  expect(d.grants.some((g) => g.kind === 'args')).toBe(true);
});
