/**
 * WASI 0.2 components in the window (issue 15.5): a natively-0.2 component dropped on the window
 * says it is being prepared for the WASI 0.2 host, then opens its review, which says what it is and the path it takes (the WASI 0.2 host); installed,
 * given a read-only and a read-write folder, it runs in a terminal: what is typed reaches its
 * stdin, it reads the read-only folder and writes the read-write one, and exits 0; a file outside
 * its grants is asked about in Terrarium's own prompt ("Allow once" reads it, "Deny" refuses it).
 * An adapter-built component picked in the file browser says it takes the fast path. A component
 * opened from the desktop (double-click: shell.command "open-file") opens its review, and "Run
 * once" runs it on the WASI 0.2 host without installing it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type E2E, repo, startE2E } from '../helpers/e2e/harness.ts';
import { UI_TIMEOUT, browseTo, call, dropFile, focusTerminal, stopAllRuns, terminalText, tile, visiblePane, waitForRun, waitForText } from '../helpers/e2e/ui.ts';

const components = path.join(repo, 'test', 'fixtures', 'components');
let e: E2E;
let data: string;

beforeAll(async () => {
  e = await startE2E();
  data = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-e2e-component-')));
  fs.mkdirSync(path.join(data, 'ro'));
  fs.mkdirSync(path.join(data, 'rw'));
  fs.writeFileSync(path.join(data, 'ro', 'in.txt'), 'granted text');
});
afterAll(async () => {
  if (e) {
    await stopAllRuns(e.api).catch(() => undefined);
    await e.close();
  }
  if (data) fs.rmSync(data, { recursive: true, force: true });
});

test('a dropped natively-0.2 component: review says WASI 0.2 host; installed with grants, it runs in a terminal', async () => {
  const { page, api } = e;
  await page.getByTestId('catalog-empty').waitFor({ timeout: UI_TIMEOUT });
  await dropFile(page, 'notes.wasm', fs.readFileSync(path.join(components, 'notes.component.wasm')));
  // Transpiling it (in a worker, issue 15.1) is a step the dialog shows before the review.
  await page.getByTestId('install-progress').getByText('Preparing for the WASI 0.2 host…').waitFor({ timeout: UI_TIMEOUT });
  const review = page.getByTestId('install-review');
  await review.waitFor({ timeout: UI_TIMEOUT });
  const kind = review.getByTestId('fact-kind');
  await kind.waitFor({ timeout: UI_TIMEOUT });
  expect(await kind.innerText()).toMatch(/WASI 0\.2.*\(component\) · runs on the WASI 0\.2 host/);
  await review.locator('[data-testid="capabilities"] li[data-capability="files"]').waitFor({ timeout: UI_TIMEOUT });
  expect(await call(api, 'apps.list', {})).toEqual([]);
  await page.getByTestId('install-confirm').click();
  await page.getByTestId('install-dialog').waitFor({ state: 'detached', timeout: UI_TIMEOUT });

  const [app] = await call(api, 'apps.list', {});
  expect(app).toMatchObject({ name: 'notes' });
  await call(api, 'grants.add', {
    ref: app!.id,
    grants: [
      { kind: 'folder', host: path.join(data, 'ro'), guest: '/in', access: 'read' },
      { kind: 'folder', host: path.join(data, 'rw'), guest: '/out', access: 'read-write' },
      { kind: 'args', args: ['stdin', 'read:/in/in.txt', 'write:/out/up.txt', 'list:/out'] },
    ],
  });
  await page.getByTestId('nav-catalog').click();
  await tile(page, 'notes').waitFor({ timeout: UI_TIMEOUT });
  await tile(page, 'notes').getByRole('button', { name: 'Run notes', exact: true }).click();
  const pane = visiblePane(page);
  await waitForRun(pane, 'running');
  await focusTerminal(pane);
  await page.keyboard.type('typed line');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+d');
  await waitForRun(pane, 'exited', 'exit', 0);
  const text = await waitForText(pane, 'list /out: up.txt');
  expect(text).toContain('stdin 11 bytes');
  expect(text).toContain('read /in/in.txt: granted text');
  expect(text).toContain('write /out/up.txt 11 bytes');
  expect(fs.readFileSync(path.join(data, 'rw', 'up.txt'), 'utf8')).toBe('TYPED LINE\n');
  expect(fs.readdirSync(path.join(data, 'ro'))).toEqual(['in.txt']);
});

test('a component outside its grants asks in the window: "Allow once" reads the file, "Deny" refuses it', async () => {
  const { page, api } = e;
  const secret = path.join(data, 'secret.txt');
  fs.writeFileSync(secret, 'outside text');
  await call(api, 'grants.add', { ref: 'notes', grants: [{ kind: 'args', args: ['read:/in/in.txt', `read:${secret}`] }] });
  for (const [answer, line, code] of [['allow-once', `read ${secret}: outside text`, 0], ['deny', `read ${secret} error=access`, 1]] as const) {
    await page.getByTestId('nav-catalog').click();
    await tile(page, 'notes').getByRole('button', { name: 'Run notes', exact: true }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor({ timeout: UI_TIMEOUT });
    expect(await dialog.getByTestId('prompt-path').innerText()).toBe(secret);
    expect(await dialog.getByTestId('prompt-operation').getAttribute('data-operation')).toBe('read');
    await page.locator('[data-testid="prompt-dialog"][data-armed="true"]').waitFor({ timeout: UI_TIMEOUT });
    await page.waitForTimeout(700); // the prompt's grace period: a click before it does not count
    await dialog.locator(`[data-answer="${answer}"]`).click();
    await expect.poll(() => dialog.count(), { timeout: UI_TIMEOUT }).toBe(0);
    const pane = visiblePane(page);
    await waitForText(pane, line);
    await waitForRun(pane, 'exited', 'exit', code);
    expect(await terminalText(pane)).toContain('read /in/in.txt: granted text');
  }
  const audit = await call(api, 'apps.audit', { ref: 'notes' });
  expect(audit.map((a) => `${a.decision} ${a.operation} ${a.path}`).slice(0, 2).reverse()).toEqual([`prompted-allowed read ${secret}`, `denied read ${secret}`]);
});

test('an adapter-built component picked in the file browser: the review says it takes the fast path', async () => {
  const { page, api } = e;
  await page.getByTestId('install-button').click();
  await page.getByTestId('install-dialog').waitFor({ timeout: UI_TIMEOUT });
  await browseTo(page, components);
  await page.locator('[data-testid="browser-entry"][data-kind="file"][data-name="stdio.component.wasm"]').click();
  await expect.poll(() => page.getByTestId('install-review-file').isEnabled(), { timeout: UI_TIMEOUT }).toBe(true);
  await page.getByTestId('install-review-file').click();
  const kind = page.getByTestId('install-review').getByTestId('fact-kind');
  await kind.waitFor({ timeout: UI_TIMEOUT });
  expect(await kind.innerText()).toMatch(/\(component\) · runs its preview1 core module directly/);
  await page.getByTestId('install-cancel').click();
  await page.getByTestId('install-dialog').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  expect((await call(api, 'apps.list', {})).map((a) => a.name)).toEqual(['notes']);
});

test('a component opened from the desktop opens its review; "Run once" runs it on the 0.2 host without installing it', async () => {
  const { page, api } = e;
  const once = path.join(data, 'notes_once.wasm');
  fs.copyFileSync(path.join(components, 'notes.component.wasm'), once);
  api.shellCommand({ kind: 'open-file', path: once });
  const review = page.getByTestId('install-review');
  await review.waitFor({ timeout: UI_TIMEOUT });
  expect(await page.getByTestId('install-name').inputValue()).toBe('notes_once');
  await review.getByTestId('fact-kind').waitFor({ timeout: UI_TIMEOUT });
  expect(await review.getByTestId('fact-kind').innerText()).toContain('runs on the WASI 0.2 host');
  await page.getByTestId('install-run-once').click();
  await page.getByTestId('install-dialog').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  const pane = visiblePane(page);
  expect(await pane.getAttribute('data-app-name')).toBe('notes_once');
  await waitForRun(pane, 'exited', 'exit', 0);
  expect(await pane.getByTestId('run-once-note').innerText()).toContain('not installed');
  expect((await call(api, 'apps.list', {})).map((a) => a.name)).toEqual(['notes']);
});
