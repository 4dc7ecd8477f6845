/**
 * The whole life of an app through the UI (issue 4, point 6): install stdio.wasm through the
 * in-app file browser, review what it can do (nothing added yet), install, grant a folder read
 * only, set its default arguments, run it, type a line and see the answer, end its input with
 * Ctrl+D and see exit code 0, uninstall.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type E2E, fixture, startE2E } from '../helpers/e2e/harness.ts';
import { UI_TIMEOUT, browseTo, call, focusTerminal, occurrences, terminalText, tile, visiblePane, waitForRun, waitForText } from '../helpers/e2e/ui.ts';

let e: E2E;
let shared: string;

beforeAll(async () => {
  e = await startE2E();
  shared = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-e2e-shared-'));
  fs.writeFileSync(path.join(shared, 'notes.txt'), 'a file in the shared folder\n');
});
afterAll(async () => {
  await e?.close();
  if (shared) fs.rmSync(shared, { recursive: true, force: true });
});

test('install through the file browser, review, grant a folder read only, run, type, exit 0, uninstall', async () => {
  const { page, api } = e;

  // An empty catalog to begin with.
  await page.getByTestId('catalog-empty').waitFor({ timeout: UI_TIMEOUT });

  // Install → the in-app file browser → test/fixtures → stdio.wasm → Review.
  await page.getByTestId('install-button').click();
  await page.getByTestId('install-dialog').waitFor({ timeout: UI_TIMEOUT });
  await browseTo(page, path.dirname(fixture('stdio.wasm')));
  await page.locator('[data-testid="browser-entry"][data-kind="file"][data-name="stdio.wasm"]').click();
  await expect.poll(() => page.getByTestId('install-review-file').isEnabled(), { timeout: UI_TIMEOUT }).toBe(true);
  await page.getByTestId('install-review-file').click();

  // The review shows what the module can do, and nothing is installed yet.
  const review = page.getByTestId('install-review');
  await review.waitFor({ timeout: UI_TIMEOUT });
  const terminalCap = review.locator('[data-testid="capabilities"] li[data-capability="terminal i/o"]');
  await terminalCap.waitFor({ timeout: UI_TIMEOUT });
  expect(await terminalCap.isVisible()).toBe(true);
  expect(await terminalCap.innerText()).toContain('Terminal');
  expect(await page.getByTestId('install-name').inputValue()).toBe('stdio');
  expect(await call(api, 'apps.list', {})).toEqual([]);

  // Install → the app is in the catalog (and the library).
  await page.getByTestId('install-confirm').click();
  await page.getByTestId('install-dialog').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  await page.getByTestId('nav-catalog').click();
  await tile(page, 'stdio').waitFor({ timeout: UI_TIMEOUT });
  const apps = await call(api, 'apps.list', {});
  expect(apps.map((a) => a.name)).toEqual(['stdio']);
  const appId = apps[0]!.id;
  expect(await tile(page, 'stdio').getAttribute('data-app-id')).toBe(appId);

  // The app page: share a folder read only through the folder browser.
  await tile(page, 'stdio').getByTestId('app-details').click();
  await page.getByTestId('app-page').waitFor({ timeout: UI_TIMEOUT });
  await page.getByTestId('grant-add-folder').click();
  await page.getByTestId('folder-picker').waitFor({ timeout: UI_TIMEOUT });
  await browseTo(page, shared);
  await page.getByTestId('choose-folder').click();
  await page.getByTestId('grant-folder-form').waitFor({ timeout: UI_TIMEOUT });
  await page.getByTestId('grant-folder-guest').fill('/shared');
  await page.getByTestId('grant-folder-access-read').click();
  await page.getByTestId('grant-folder-save').click();
  const row = page.locator(`[data-testid="grant-folder"][data-host="${shared}"]`);
  await row.waitFor({ timeout: UI_TIMEOUT });
  expect(await row.getAttribute('data-access')).toBe('read');
  expect(await row.getAttribute('data-guest')).toBe('/shared');
  expect(await row.innerText()).toContain(shared);
  const folders = (await call(api, 'apps.get', { ref: appId })).grants.filter((g) => g.kind === 'folder');
  expect(folders).toMatchObject([{ kind: 'folder', host: shared, guest: '/shared', access: 'read' }]);

  // Default arguments: "echo" (stdio.wasm copies stdin to stdout).
  await page.getByTestId('grant-args').fill('echo');
  await page.getByTestId('grant-args-save').click();
  await expect
    .poll(async () => (await call(api, 'apps.get', { ref: appId })).grants.find((g) => g.kind === 'args'), { timeout: UI_TIMEOUT })
    .toMatchObject({ kind: 'args', args: ['echo'] });

  // Run it from its page, type a line, see it echoed by the host and answered by the app.
  await page.getByTestId('app-page-run').click();
  const pane = visiblePane(page);
  await waitForRun(pane, 'running');
  await focusTerminal(pane);
  await page.keyboard.type('hello e2e');
  await waitForText(pane, 'hello e2e', 1); // the host's echo while the line is being edited
  await page.keyboard.press('Enter');
  // One line is the line discipline's echo, the other the app's answer.
  const text = await waitForText(pane, 'hello e2e', 2);
  expect(text.split('\n').filter((l) => l.trim() === 'hello e2e')).toHaveLength(2);

  // Ctrl+D ends its input: it exits 0 after its summary on stderr.
  await page.keyboard.press('Control+d');
  await waitForRun(pane, 'exited', 'exit', 0);
  expect(await pane.getByTestId('run-status').innerText()).toMatch(/exited with code 0/i);
  await waitForText(pane, 'ok 3 checks');
  expect(occurrences(await terminalText(pane), 'hello e2e')).toBe(2);
  const history = (await call(api, 'apps.get', { ref: appId })).history;
  expect(history[0]).toMatchObject({ args: ['echo'], outcome: 'exit', exitCode: 0 });

  // Uninstall from its page, confirmed.
  await pane.getByRole('button', { name: 'App page' }).click();
  await page.getByTestId('app-page').waitFor({ timeout: UI_TIMEOUT });
  await page.getByTestId('app-uninstall').click();
  const dialog = page.getByTestId('uninstall-dialog');
  await dialog.waitFor({ timeout: UI_TIMEOUT });
  await expect.poll(() => dialog.getByTestId('confirm-action').isEnabled(), { timeout: UI_TIMEOUT }).toBe(true);
  await dialog.getByTestId('confirm-action').click();
  await page.getByTestId('catalog-empty').waitFor({ timeout: UI_TIMEOUT });
  expect(await page.getByTestId('app-tile').count()).toBe(0);
  expect(await call(api, 'apps.list', {})).toEqual([]);
  // Uninstalling touched nothing in the shared folder.
  expect(fs.readdirSync(shared)).toEqual(['notes.txt']);
});
