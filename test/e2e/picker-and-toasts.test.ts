/**
 * The web-mode file picker (issue 13.6) and toasts and tiles (issue 13.7): the picker takes a typed
 * or pasted path, its type-ahead starts afresh in each folder, "Choose" picks the highlighted
 * sub-folder and names it, and it reopens where it was last used for the same purpose. A toast
 * never covers the page it is about nor shows above a modal's backdrop; a long "Ran …" on a tile
 * is never cut.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type E2E, fixture, screenshot, seed, seriousViolations, startE2E } from '../helpers/e2e/harness.ts';
import { UI_TIMEOUT, call, fileBrowser, tile } from '../helpers/e2e/ui.ts';

let e: E2E;
let root: string;
let appId: string;

beforeAll(async () => {
  e = await startE2E({ viewport: { width: 900, height: 700 } });
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-e2e-picker-')));
  for (const d of ['alpha', 'beta', 'bravo/inner', 'bravo/other']) fs.mkdirSync(path.join(root, d), { recursive: true });
  appId = await seed(e.api, fixture('e2e_cat.wasm'), 'picker');
  await e.page.reload();
  await tile(e.page, 'picker').waitFor({ timeout: UI_TIMEOUT });
});

afterAll(async () => {
  await e?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const listLabel = (page: Page) => fileBrowser(page).getByTestId('browser-list').getAttribute('aria-label');
const chooseButton = (page: Page) => page.getByTestId('choose-folder');

test('the picker takes a typed or pasted path, resets type-ahead per folder, chooses the highlighted sub-folder and reopens where it was left', async () => {
  const { page } = e;
  await tile(page, 'picker').getByTestId('app-details').click();
  await page.getByTestId('grant-add-folder').click();
  await page.getByTestId('folder-picker').waitFor({ timeout: UI_TIMEOUT });
  await expect.poll(() => listLabel(page), { timeout: UI_TIMEOUT }).toBe(`Contents of ${os.homedir()}`);
  expect(await chooseButton(page).innerText()).toBe('Choose this folder');

  // A typed path, quoted as a shell would copy it.
  await fileBrowser(page).getByTestId('browser-goto').fill(`'${root}'`);
  await page.keyboard.press('Enter');
  await expect.poll(() => listLabel(page), { timeout: UI_TIMEOUT }).toBe(`Contents of ${root}`);

  // Type-ahead highlights a sub-folder: "Choose" picks it and says which.
  const list = fileBrowser(page).getByTestId('browser-list');
  await list.focus();
  await page.keyboard.type('be');
  await expect.poll(() => chooseButton(page).innerText(), { timeout: UI_TIMEOUT }).toBe('Choose “beta”');
  expect(await chooseButton(page).getAttribute('data-path')).toBe(path.join(root, 'beta'));
  await page.waitForTimeout(100);
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await screenshot(page, `picker-highlighted-${theme}`);
    expect(await seriousViolations(page)).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // Into "bravo" by keyboard, then at once "i": a fresh type-ahead finds "inner" (not "bri…").
  await page.waitForTimeout(800);
  await page.keyboard.type('br');
  await page.keyboard.press('Enter');
  await expect.poll(() => listLabel(page), { timeout: UI_TIMEOUT }).toBe(`Contents of ${path.join(root, 'bravo')}`);
  expect(await chooseButton(page).innerText()).toBe('Choose this folder');
  await page.keyboard.type('i');
  await expect.poll(() => chooseButton(page).innerText(), { timeout: UI_TIMEOUT }).toBe('Choose “inner”');
  await chooseButton(page).click();
  await expect.poll(() => page.getByTestId('grant-folder-form').locator('.draft-host').innerText(), { timeout: UI_TIMEOUT }).toBe(path.join(root, 'bravo', 'inner'));
  await page.getByTestId('grant-folder-form').getByRole('button', { name: 'Cancel' }).click();

  // Reopened: where it was left (for this purpose). A pasted path on the list goes there.
  await page.getByTestId('grant-add-folder').click();
  await expect.poll(() => listLabel(page), { timeout: UI_TIMEOUT }).toBe(`Contents of ${path.join(root, 'bravo')}`);
  await list.focus();
  await list.evaluate((el, p) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', p);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, `${path.join(root, 'alpha')}\n`);
  await expect.poll(() => listLabel(page), { timeout: UI_TIMEOUT }).toBe(`Contents of ${path.join(root, 'alpha')}`);
  await page.keyboard.press('Escape');
  await expect.poll(() => page.getByTestId('folder-picker').count(), { timeout: UI_TIMEOUT }).toBe(0);
});

test('a toast never covers the page it is about, and stays below a modal backdrop', async () => {
  const { page } = e;
  await page.reload(); // on its own, whatever the test before left open
  await tile(page, 'picker').getByTestId('app-details').click();
  await page.getByTestId('grants-editor').waitFor({ timeout: UI_TIMEOUT });
  await call(e.api, 'grants.add', { ref: appId, grants: [{ kind: 'folder', host: path.join(root, 'alpha'), guest: '/a', access: 'read' }] });
  const row = page.locator('[data-testid="grant-folder"][data-guest="/a"]');
  await row.waitFor({ timeout: UI_TIMEOUT });
  await row.getByTestId('grant-access-toggle').getByText('Read & write').click();
  const toast = page.locator('[data-testid="status-message"] .toast');
  await toast.waitFor({ timeout: UI_TIMEOUT });
  expect(await toast.innerText()).toContain('is now read & write');
  const t = (await toast.boundingBox())!;
  const m = (await page.locator('main').boundingBox())!;
  const overlaps = t.x < m.x + m.width && m.x < t.x + t.width && t.y < m.y + m.height && m.y < t.y + t.height;
  expect(overlaps).toBe(false);
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await screenshot(page, `toast-in-sidebar-${theme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // With a modal open, what is at the toast's place is the modal's backdrop, not the toast.
  await page.getByTestId('grant-add-folder').click();
  await page.getByTestId('folder-picker').waitFor({ timeout: UI_TIMEOUT });
  const hit = await page.evaluate(({ x, y }) => {
    const el = document.elementFromPoint(x, y);
    return el?.closest('[data-testid="status-message"]') ? 'toast' : (el?.tagName ?? 'none');
  }, { x: t.x + t.width / 2, y: t.y + t.height / 2 });
  expect(hit).not.toBe('toast');
  await page.keyboard.press('Escape');
});

test('a long "Ran …" on a tile is shown whole at a narrow window', async () => {
  const { page } = e;
  // A run long ago: the tile shows a date, the longest form.
  await call(e.api, 'grants.revoke', { ref: appId, ids: [] });
  const db = new Database(path.join(e.home, 'library.db'));
  db.prepare('UPDATE apps SET last_run_at = ? WHERE id = ?').run(Date.UTC(2026, 0, 23, 22, 58), appId);
  db.close();
  await page.getByTestId('nav-catalog').click();
  await page.reload();
  const meta = tile(page, 'picker').locator('.foot .meta');
  await meta.waitFor({ timeout: UI_TIMEOUT });
  expect(await meta.innerText()).toMatch(/^Ran .*2026/);
  const fits = await meta.evaluate((el) => el.scrollWidth <= el.clientWidth + 0.5 && el.getBoundingClientRect().right <= el.closest('article')!.getBoundingClientRect().right);
  expect(fits).toBe(true);
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await screenshot(page, `tile-long-time-${theme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
});
