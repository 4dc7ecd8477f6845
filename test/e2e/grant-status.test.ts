/**
 * The app page's grants editor shows what runs will do with each folder grant (issue 9 points 1
 * and 2): a folder the app replaced is marked stale (runs leave it out until it is shared again),
 * and a read-write folder around a read-only one says that read-only wins. axe-core in both themes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type E2E, fixture, seed, seriousViolations, startE2E } from '../helpers/e2e/harness.ts';
import { UI_TIMEOUT, call, tile } from '../helpers/e2e/ui.ts';

let e: E2E;
let root: string;

beforeAll(async () => {
  e = await startE2E();
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-e2e-grants-')));
}, 60_000);

afterAll(async () => {
  await e?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test('a replaced folder shows as stale and an overlap says read-only wins', async () => {
  const { page, api } = e;
  const w = path.join(root, 'w');
  const ro = path.join(w, 'ro');
  const gone = path.join(root, 'gone');
  fs.mkdirSync(ro, { recursive: true });
  fs.mkdirSync(gone);
  const id = await seed(api, fixture('grant_swap.wasm'));
  await call(api, 'grants.add', { ref: id, grants: [
    { kind: 'folder', host: w, guest: '/w', access: 'read-write' },
    { kind: 'folder', host: ro, guest: '/ro', access: 'read' },
    { kind: 'folder', host: gone, guest: '/gone', access: 'read' },
  ] });
  // Replaced after it was granted: the same name, another folder.
  fs.renameSync(gone, `${gone}.old`);
  fs.mkdirSync(gone);

  await page.getByTestId('nav-catalog').click();
  await tile(page, 'grant_swap').getByTestId('app-details').click();
  await page.getByTestId('app-page').waitFor({ timeout: UI_TIMEOUT });
  const row = (host: string) => page.locator(`[data-testid="grant-folder"][data-host="${host}"]`);
  await row(gone).getByTestId('grant-folder-stale').waitFor({ timeout: UI_TIMEOUT });
  expect(await row(gone).getAttribute('data-stale')).toBe('true');
  expect(await row(gone).getByTestId('grant-folder-stale').innerText())
    .toBe(`Stale: ${gone} is another folder than the one granted (it was removed or replaced). Runs leave it out until you share the folder again.`);
  expect(await row(w).getByTestId('grant-folder-overlap').innerText()).toBe(`read-only wins: contains read-only folder ${ro}`);
  expect(await row(ro).getByTestId('grant-folder-stale').count()).toBe(0);
  expect(await row(w).getByTestId('grant-folder-stale').count()).toBe(0);
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.waitForTimeout(300);
    expect(await seriousViolations(page), theme).toEqual([]);
  }
});
