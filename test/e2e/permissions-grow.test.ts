/**
 * Permissions that grow, in the window (issue 13.3): an app with a read-only folder that tries to
 * change something there is asked "allow changes too?" in Terrarium's prompt; "Allow always"
 * widens the folder's grant (the app page's switch shows Read & write, chosen unmistakably in both
 * themes) and the activity log has the attempt; the person narrows it again from the app page.
 * With no folder, the page never says "the app sees no files at all" while the app may ask.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type E2E, fixture, screenshot, screenshotDir, seed, seriousViolations, startE2E } from '../helpers/e2e/harness.ts';
import { UI_TIMEOUT, call, stopAllRuns, tile, visiblePane, waitForRun, waitForText } from '../helpers/e2e/ui.ts';

let e: E2E;
let appId: string;
let root: string;
let ro: string;

/** Saves a picture of `el` alone under test-output/screenshots. */
async function shot(el: Locator, name: string): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await el.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}

async function bothThemes(page: Page, take: (theme: string) => Promise<void>): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await take(theme);
    expect(await seriousViolations(page)).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

beforeAll(async () => {
  e = await startE2E();
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-e2e-grow-')));
  ro = path.join(root, 'photos');
  fs.mkdirSync(ro);
  fs.mkdirSync(path.join(root, 'outside'));
  fs.writeFileSync(path.join(ro, 'file.txt'), 'readonly');
  appId = await seed(e.api, fixture('upgrade_probe.wasm'));
  await call(e.api, 'grants.add', { ref: appId, grants: [{ kind: 'folder', host: ro, guest: ro, access: 'read' }, { kind: 'args', args: [ro, path.join(root, 'outside')] }] });
  await e.page.reload();
  await tile(e.page, 'upgrade_probe').waitFor({ timeout: UI_TIMEOUT });
});

afterAll(async () => {
  if (e) {
    await stopAllRuns(e.api).catch(() => undefined);
    await e.close();
  }
  fs.rmSync(root, { recursive: true, force: true });
});

test('a change in a read-only folder asks "allow changes too?"; Allow always widens the grant, the app page can narrow it again', async () => {
  const { page } = e;
  await tile(page, 'upgrade_probe').getByTestId('app-run').click();
  const dialog = page.getByRole('alertdialog');
  await dialog.waitFor({ timeout: UI_TIMEOUT });
  expect(await dialog.innerText()).toContain('Allow changes too?');
  expect(await dialog.getByTestId('prompt-upgrade').innerText()).toContain(`upgrade_probe may only read ${ro}.`);
  expect(await dialog.locator('#prompt-always').innerText()).toBe(`makes ${ro} read & write for upgrade_probe in every run from now on`);
  await page.locator('[data-testid="prompt-dialog"][data-armed="true"]').waitFor({ timeout: UI_TIMEOUT });
  await page.waitForTimeout(150);
  await bothThemes(page, (t) => screenshot(page, `grow-prompt-${t}`).then(() => undefined));
  await dialog.getByTestId('prompt-allow-always').click();

  const pane = visiblePane(page);
  await waitForText(pane, 'mkdir ok');
  await waitForRun(pane, 'exited', 'exit', 0);
  expect(fs.readFileSync(path.join(ro, 'new.txt'), 'utf8')).toBe('new');

  await page.getByTestId('nav-catalog').click();
  await tile(page, 'upgrade_probe').getByTestId('app-details').click();
  const row = page.getByTestId('grant-folder');
  await expect.poll(() => row.getAttribute('data-access'), { timeout: UI_TIMEOUT }).toBe('read-write');
  const toggle = row.getByTestId('grant-access-toggle');
  expect(await toggle.getByTestId('grant-access-toggle-read-write').isChecked()).toBe(true);
  // The chosen option is filled and checked; the other is neither.
  const looks = await toggle.locator('label').evaluateAll((ls) => ls.map((l) => ({ on: l.classList.contains('on'), bg: getComputedStyle(l).backgroundColor, mark: l.querySelector('svg') !== null })));
  expect(looks.map((l) => [l.on, l.mark])).toEqual([[false, false], [true, true]]);
  expect(looks[1]!.bg).not.toBe(looks[0]!.bg);
  await page.getByTestId('grants-editor').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await bothThemes(page, (t) => shot(page.getByTestId('grants-editor').locator('.g-block').first(), `grow-grants-read-write-${t}`));

  const audit = await call(e.api, 'apps.audit', { ref: appId });
  expect(audit.map((a) => `${a.decision} ${a.operation} ${a.path}`)).toContain(`prompted-allowed create ${path.join(ro, 'new.txt')}`);

  // Narrowing, from the app page.
  await toggle.getByText('Read only').click();
  await expect.poll(() => row.getAttribute('data-access'), { timeout: UI_TIMEOUT }).toBe('read');
  const grants = await call(e.api, 'apps.get', { ref: appId });
  expect(grants.grants.filter((g) => g.kind === 'folder')).toMatchObject([{ host: ro, access: 'read' }]);
  await bothThemes(page, (t) => shot(page.getByTestId('grants-editor').locator('.g-block').first(), `grow-grants-read-only-${t}`));
});

test('with no folders, the page says the app may ask (ask mode), and that it sees no files only in deny mode', async () => {
  const { page } = e;
  const details = await call(e.api, 'apps.get', { ref: appId });
  await call(e.api, 'grants.revoke', { ref: appId, ids: details.grants.filter((g) => g.kind === 'folder').map((g) => g.id) });
  const none = page.getByTestId('grant-folders-none');
  await expect.poll(() => none.innerText(), { timeout: UI_TIMEOUT }).toBe('No folders shared yet. When the app reaches for a file, you are asked.');
  expect(await page.getByText('The app sees no files at all.').count()).toBe(0);
  await bothThemes(page, (t) => shot(page.getByTestId('grants-editor').locator('.g-block').first(), `grow-no-folders-ask-${t}`));
  await call(e.api, 'apps.setUnknownAccess', { ref: appId, mode: 'deny' });
  await expect.poll(() => none.innerText(), { timeout: UI_TIMEOUT }).toBe('No folders. The app sees no files at all.');
});
