/**
 * Grants by gesture, revocation while running, and launches (issue 5 points 4 and 5, issue 6
 * points 2 to 5) in the window: a file opened with an app through the in-app browser is read
 * without a prompt and without a grant (an "allowed" audit entry only); a folder opened "just this
 * run" leaves no grant, "always" adds one; removing a grant of a running app shows a notice whose
 * "Stop it now" stops it; "Never asked again" lists deny-always paths and forgets them;
 * `shell.command` opens a terminal tab (or shows the running one) and the install review; a file
 * dropped on a tile in web mode asks for it in the browser instead of installing it; the
 * integration section says it is unavailable in web mode. axe-core on every new dialog and
 * section; screenshots of the folder dialog and the app page's new sections in both themes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, type Locator, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApi } from '../../main/api/index.ts';
import type { Integration } from '../../main/integration/service.ts';
import { commandNameError } from '../../main/integration/commands.ts';
import { commandNameProblem } from '../../main/integration/names.ts';
import { rendererDir, startWebServer } from '../../main/web/server.ts';
import type { Events, PromptRequest, RunExit } from '../../preload/api.ts';
import { type E2E, browserPath, fixture, screenshot, screenshotDir, seed, seriousViolations, startE2E } from './harness.ts';
import { UI_TIMEOUT, browseTo, call, paneOf, stopAllRuns, terminalText, tile, visiblePane, waitForRun, waitForText } from './ui.ts';

let e: E2E;
let catId: string;
let probeId: string;
/** A folder with two files, neither granted to anyone. */
let dir: string;
let note: string;
let inside: string;
const tmpDirs: string[] = [];
const asked: PromptRequest[] = [];
const exits: RunExit[] = [];

function tmpDir(): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-e2e-gesture-')));
  tmpDirs.push(d);
  return d;
}

/** axe-core finds nothing serious on the page as it is, in the light and the dark theme; `shots` saves both. */
async function checkBothThemes(page: Page, what: string, shots?: { name: string; target?: Locator }): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.waitForTimeout(300); // buttons' colour transitions (0.12 s) finish before contrast is measured
    expect(await seriousViolations(page), `${what} (${theme})`).toEqual([]);
    if (shots?.target) {
      fs.mkdirSync(screenshotDir, { recursive: true });
      await shots.target.screenshot({ path: path.join(screenshotDir, `${shots.name}-${theme}.png`) });
    } else if (shots) {
      await screenshot(page, `${shots.name}-${theme}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function openAppPage(page: Page, name: string): Promise<void> {
  await page.getByTestId('nav-catalog').click();
  await tile(page, name).getByTestId('app-details').click();
  await page.getByTestId('app-page').waitFor({ timeout: UI_TIMEOUT });
  await page.locator('[data-testid="app-page"] h1', { hasText: name }).waitFor({ timeout: UI_TIMEOUT });
}

async function folderGrants(ref: string): Promise<{ host: string; access: string }[]> {
  return (await call(e.api, 'apps.get', { ref })).grants.flatMap((g) => (g.kind === 'folder' ? [{ host: g.host, access: g.access }] : []));
}

beforeAll(async () => {
  e = await startE2E();
  e.api.onEvent(<K extends keyof Events>(name: K, payload: Events[K]) => {
    if (name === 'prompt.request') asked.push(payload as PromptRequest);
    if (name === 'run.exit') exits.push(payload as RunExit);
  });
  catId = await seed(e.api, fixture('e2e_cat.wasm'));
  probeId = await seed(e.api, fixture('ask_probe.wasm'));
  dir = tmpDir();
  note = path.join(dir, 'note.txt');
  inside = path.join(dir, 'inside.txt');
  fs.writeFileSync(note, 'hello from a chosen file');
  fs.writeFileSync(inside, 'inside the folder');
  await e.page.reload();
  await tile(e.page, 'e2e_cat').waitFor({ timeout: UI_TIMEOUT });
});

afterAll(async () => {
  if (e) {
    await stopAllRuns(e.api).catch(() => undefined);
    await e.close();
  }
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

test('"Open a file with this app…" from the tile menu: the app reads that file, with no prompt, no grant, and an "allowed" audit entry', async () => {
  const { page, api } = e;
  // The tile's menu, by keyboard: ArrowDown opens it on its first item, Esc closes it again.
  const menuButton = tile(page, 'e2e_cat').getByTestId('app-menu');
  await menuButton.focus();
  await page.keyboard.press('ArrowDown');
  const first = page.getByRole('menuitem', { name: 'Open a file with this app…' });
  await expect.poll(() => first.evaluate((el) => el === document.activeElement), { timeout: UI_TIMEOUT }).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('ArrowDown');
  expect(await page.getByRole('menuitem', { name: 'Open a folder with this app…' }).evaluate((el) => el === document.activeElement)).toBe(true);
  await page.keyboard.press('Escape');
  expect(await page.getByRole('menu').count()).toBe(0);
  expect(await menuButton.evaluate((el) => el === document.activeElement)).toBe(true);

  await menuButton.click();
  await page.getByRole('menu').waitFor({ timeout: UI_TIMEOUT });
  await checkBothThemes(page, 'tile menu', { name: 'gesture-tile-menu' });
  await page.getByTestId('tile-open-file').click();
  const dialog = page.getByTestId('open-file-dialog');
  await dialog.waitFor({ timeout: UI_TIMEOUT });
  expect(await dialog.innerText()).toContain('e2e_cat gets this one file, for this run only');
  await browseTo(page, dir);
  // Every file is offered, not just modules.
  await page.locator('[data-testid="browser-entry"][data-kind="file"][data-name="note.txt"]').click();
  await expect.poll(() => page.getByTestId('open-file-confirm').isEnabled(), { timeout: UI_TIMEOUT }).toBe(true);
  await checkBothThemes(page, 'open-file dialog', { name: 'gesture-open-file' });
  await page.getByTestId('open-file-confirm').click();
  await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT });

  const pane = visiblePane(page);
  expect(await pane.getAttribute('data-app-name')).toBe('e2e_cat');
  expect(await pane.getByTestId('run-gesture').innerText()).toBe(`with file ${note} (this run)`);
  await waitForText(pane, `cat ${note} hello from a chosen file`);
  await waitForRun(pane, 'exited', 'exit', 0);
  expect(asked).toEqual([]);
  expect(await page.getByTestId('prompt-dialog').count()).toBe(0);

  const d = await call(api, 'apps.get', { ref: catId });
  expect(d.grants).toEqual([]);
  expect(d.audit.filter((a) => a.path === note).map((a) => a.decision)).toContain('allowed');
  expect(d.audit.filter((a) => a.path === note && a.decision !== 'allowed')).toEqual([]);
  // Nothing else in the folder was usable: the file only.
  expect(d.audit.filter((a) => a.path === inside)).toEqual([]);
  expect(d.history[0]).toMatchObject({ outcome: 'exit', exitCode: 0 });

  // The app page's Activity shows the use of the one-time file.
  await pane.getByRole('button', { name: 'App page' }).click();
  const row = page.locator(`[data-testid="audit-row"][data-path="${note}"][data-decision="allowed"]`);
  await row.first().waitFor({ timeout: UI_TIMEOUT });
});

test('"Open a folder with this app…": "Just this run" leaves no grant, "Always" adds one', async () => {
  const { page, api } = e;
  await call(api, 'grants.add', { ref: probeId, grants: [{ kind: 'args', args: [`read:${inside}`, `list:${dir}`] }] });
  await openAppPage(page, 'ask_probe');
  const openWith = page.getByTestId('open-with');
  await openWith.waitFor({ timeout: UI_TIMEOUT });

  // Just this run.
  await page.getByTestId('open-folder').click();
  await page.getByTestId('folder-picker').waitFor({ timeout: UI_TIMEOUT });
  await browseTo(page, dir);
  await page.getByTestId('choose-folder').click();
  const question = page.getByTestId('folder-gesture-dialog');
  await question.waitFor({ timeout: UI_TIMEOUT });
  expect(await question.getByTestId('folder-gesture-path').innerText()).toBe(dir);
  // Focus starts on the narrower choice.
  expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid)).toBe('folder-gesture-once');
  await checkBothThemes(page, 'folder question', { name: 'gesture-folder-dialog' });
  await question.getByTestId('folder-gesture-once').click();
  await question.waitFor({ state: 'detached', timeout: UI_TIMEOUT });

  let pane = visiblePane(page);
  expect(await pane.getByTestId('run-gesture').innerText()).toBe(`with folder ${dir} (this run)`);
  await waitForText(pane, `content ${inside} inside the folder`);
  await waitForText(pane, `entries ${dir} `);
  await waitForRun(pane, 'exited', 'exit', 0);
  expect(asked).toEqual([]);
  expect(await folderGrants(probeId)).toEqual([]);

  // Always.
  await pane.getByRole('button', { name: 'App page' }).click();
  await page.getByTestId('open-folder').click();
  await page.getByTestId('folder-picker').waitFor({ timeout: UI_TIMEOUT });
  await browseTo(page, dir);
  await page.getByTestId('choose-folder').click();
  await question.waitFor({ timeout: UI_TIMEOUT });
  await question.getByTestId('folder-gesture-always').click();
  pane = visiblePane(page);
  expect(await pane.getByTestId('run-gesture').innerText()).toBe(`with folder ${dir} (kept as a permission)`);
  await waitForText(pane, `content ${inside} inside the folder`);
  await waitForRun(pane, 'exited', 'exit', 0);
  expect(asked).toEqual([]);
  expect(await folderGrants(probeId)).toEqual([{ host: dir, access: 'read-write' }]);
  await pane.getByRole('button', { name: 'App page' }).click();
  await page.locator(`[data-testid="grant-folder"][data-host="${dir}"][data-access="read-write"]`).waitFor({ timeout: UI_TIMEOUT });
});

test('removing the folder of a running app: a notice says it loses access at its next attempt; "Stop it now" stops it', async () => {
  const { page, api } = e;
  expect(await folderGrants(probeId)).toEqual([{ host: dir, access: 'read-write' }]);
  await call(api, 'grants.add', { ref: probeId, grants: [{ kind: 'args', args: ['wait:', `read:${inside}`] }] });
  await openAppPage(page, 'ask_probe');
  await page.getByTestId('app-page-run').click();
  const pane = visiblePane(page);
  await waitForText(pane, 'waiting');
  const [session] = await call(api, 'runs.list', {});
  expect(session?.appName).toBe('ask_probe');

  await pane.getByRole('button', { name: 'App page' }).click();
  await page.locator('[data-testid="app-page"] [data-testid="badge-running"]').waitFor({ timeout: UI_TIMEOUT });
  await page.locator(`[data-testid="grant-folder"][data-host="${dir}"]`).getByTestId('grant-folder-remove').click();
  const notice = page.getByTestId('revoke-notice');
  await notice.waitFor({ timeout: UI_TIMEOUT });
  expect(await notice.innerText()).toContain('Removed. ask_probe is still running: it loses access at its next attempt.');
  expect(await notice.evaluate((el) => el === document.activeElement)).toBe(true);
  // Not modal: the rest of the page still works.
  expect(await page.locator('dialog[open]').count()).toBe(0);
  expect(await folderGrants(probeId)).toEqual([]);
  // Read out for screen readers, not shown twice.
  const spoken = page.locator('[data-testid="status-message"] .toast.visually-hidden');
  expect(await spoken.textContent()).toContain('Removed. ask_probe is still running');
  await page.getByTestId('grants-editor').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await checkBothThemes(page, 'revocation notice', { name: 'gesture-revoke-notice' });

  await notice.getByTestId('revoke-stop').click();
  await expect.poll(() => exits.find((x) => x.runId === session!.runId)?.outcome, { timeout: UI_TIMEOUT }).toBe('cancelled');
  await notice.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  expect(await call(api, 'runs.list', {})).toEqual([]);
  // Its tab (not on screen) says so too; the app never got to read: it was stopped while waiting.
  const status = paneOf(page, 'ask_probe').last().getByTestId('run-status');
  await expect.poll(() => status.getAttribute('data-outcome'), { timeout: UI_TIMEOUT }).toBe('cancelled');
  expect(await terminalText(paneOf(page, 'ask_probe').last())).not.toContain('content ');
});

test('"Never asked again" lists what was answered "Deny always", and Forget asks again', async () => {
  const { page, api } = e;
  const other = tmpDir();
  const secret = path.join(other, 'secret.txt');
  fs.writeFileSync(secret, 'no');
  await stopAllRuns(api);
  await call(api, 'grants.add', { ref: probeId, grants: [{ kind: 'args', args: [`read:${secret}`] }] });
  const before = asked.length;
  await call(api, 'runs.start', { ref: probeId, cols: 80, rows: 24 });
  await expect.poll(() => asked.length, { timeout: UI_TIMEOUT }).toBe(before + 1);
  await call(api, 'prompt.answer', { promptId: asked.at(-1)!.promptId, answer: 'deny-always' });
  await expect.poll(async () => (await call(api, 'runs.list', {})).length, { timeout: UI_TIMEOUT }).toBe(0);

  await openAppPage(page, 'ask_probe');
  const denials = page.getByTestId('denials');
  const row = denials.getByTestId('denial');
  await row.waitFor({ timeout: UI_TIMEOUT });
  const denied = (await call(api, 'apps.get', { ref: probeId })).denials;
  expect(denied.length).toBe(1);
  expect(await row.getAttribute('data-path')).toBe(denied[0]);
  expect(await row.innerText()).toContain(denied[0]!);

  // The app page's new sections, in both themes.
  await checkBothThemes(page, 'app page with denials');
  await checkBothThemes(page, 'never asked again', { name: 'gesture-denials', target: denials });
  await checkBothThemes(page, 'open with', { name: 'gesture-open-with', target: page.getByTestId('open-with') });
  await checkBothThemes(page, 'shortcuts and command', { name: 'gesture-integration', target: page.getByTestId('integration') });
  await denials.scrollIntoViewIfNeeded();
  await checkBothThemes(page, 'app page', { name: 'gesture-app-page' });

  await row.getByTestId('denial-forget').click();
  await denials.getByText('Nothing. When you answer “Deny always”').waitFor({ timeout: UI_TIMEOUT });
  expect((await call(api, 'apps.get', { ref: probeId })).denials).toEqual([]);
});

test('in web mode the shortcuts and command section says it is unavailable', async () => {
  const { page, api } = e;
  expect((await call(api, 'integration.get', { ref: probeId })).available).toBe(false);
  await openAppPage(page, 'ask_probe');
  const section = page.getByTestId('integration');
  await section.getByTestId('integration-unavailable').waitFor({ timeout: UI_TIMEOUT });
  expect(await section.innerText()).toContain('Not available in web mode');
  expect(await section.getByRole('button').count()).toBe(0);
  expect(await section.getByRole('textbox').count()).toBe(0);
});

test('shell.command "run" opens a terminal tab for the app, or shows the one already running it', async () => {
  const { page, api } = e;
  await stopAllRuns(api);
  await page.getByTestId('nav-catalog').click();
  const tabs = page.locator('[data-testid="terminal-tab"][data-app-name="e2e_cat"]');
  const n = await tabs.count();
  api.shellCommand({ kind: 'run', app: 'e2e_cat' });
  await expect.poll(() => tabs.count(), { timeout: UI_TIMEOUT }).toBe(n + 1);
  const pane = visiblePane(page);
  expect(await pane.getAttribute('data-app-name')).toBe('e2e_cat');
  await waitForText(pane, 'no files');
  await waitForRun(pane, 'exited', 'exit', 0);

  // A running app's tab is shown again rather than a second run started (by id, as shortcuts do).
  await call(api, 'grants.add', { ref: probeId, grants: [{ kind: 'args', args: ['wait:'] }] });
  const probeTabs = page.locator('[data-testid="terminal-tab"][data-app-name="ask_probe"]');
  const m = await probeTabs.count();
  api.shellCommand({ kind: 'run', app: probeId });
  await expect.poll(() => probeTabs.count(), { timeout: UI_TIMEOUT }).toBe(m + 1);
  await waitForText(visiblePane(page), 'waiting');
  await page.getByTestId('nav-catalog').click();
  api.shellCommand({ kind: 'run', app: 'ask_probe' });
  await expect.poll(async () => (await visiblePane(page).count()) === 1 && (await visiblePane(page).getAttribute('data-app-name')), { timeout: UI_TIMEOUT }).toBe('ask_probe');
  expect(await probeTabs.count()).toBe(m + 1);
  expect((await call(api, 'runs.list', {})).length).toBe(1);
  await stopAllRuns(api);

  // An app that is not installed: said so, nothing opened.
  api.shellCommand({ kind: 'run', app: 'no-such-app' });
  await expect.poll(() => page.getByTestId('status-message').innerText(), { timeout: UI_TIMEOUT }).toContain('Cannot run no-such-app');
});

test('shell.command "install-url" (File ▸ Install from URL…) opens the install dialog on its URL tab', async () => {
  const { page, api } = e;
  api.shellCommand({ kind: 'install-url' });
  const url = page.getByTestId('install-dialog').getByTestId('install-url');
  await url.waitFor({ timeout: UI_TIMEOUT });
  expect(await page.locator('[data-testid="install-dialog"] [role="tab"][aria-selected="true"]').innerText()).toMatch(/URL/i);
  await page.keyboard.press('Escape');
  await page.getByTestId('install-dialog').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
});

test('shell.command "open-file" opens the install review for that module', async () => {
  const { page, api } = e;
  api.shellCommand({ kind: 'open-file', path: fixture('stdio.wasm') });
  const review = page.getByTestId('install-review');
  await review.waitFor({ timeout: UI_TIMEOUT });
  expect(await page.getByTestId('install-name').inputValue()).toBe('stdio');
  await review.locator('[data-testid="capabilities"] li').first().waitFor({ timeout: UI_TIMEOUT });
  expect((await call(api, 'apps.list', {})).map((a) => a.name)).not.toContain('stdio');
  await checkBothThemes(page, 'review from a launch', { name: 'gesture-launch-review' });
  await page.getByTestId('install-cancel').click();
  await page.getByTestId('install-dialog').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  expect((await call(api, 'apps.list', {})).map((a) => a.name)).not.toContain('stdio');

  // "Run once": a terminal tab runs it without installing it; no app page, no re-run.
  const other = path.join(tmpDir(), 'cat_once.wasm');
  fs.copyFileSync(fixture('e2e_cat.wasm'), other);
  api.shellCommand({ kind: 'open-file', path: other });
  await review.waitFor({ timeout: UI_TIMEOUT });
  expect(await page.getByTestId('install-name').inputValue()).toBe('cat_once');
  await page.getByTestId('install-run-once').click();
  await page.getByTestId('install-dialog').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  const pane = visiblePane(page);
  expect(await pane.getAttribute('data-app-name')).toBe('cat_once');
  await waitForText(pane, 'no files');
  await waitForRun(pane, 'exited', 'exit', 0);
  expect(await pane.getByTestId('run-once-note').innerText()).toContain('not installed');
  expect(await pane.getByTestId('run-rerun').count()).toBe(0);
  expect(await pane.getByRole('button', { name: 'App page' }).count()).toBe(0);
  expect((await call(api, 'apps.list', {})).map((a) => a.name).sort()).toEqual(['ask_probe', 'e2e_cat']);
});

test('a file dropped on a tile is opened with that app, not installed; in web mode it is chosen again in the browser', async () => {
  const { page, api } = e;
  await page.getByTestId('nav-catalog').click();
  const t = tile(page, 'e2e_cat');
  await t.waitFor({ timeout: UI_TIMEOUT });
  const dismiss = page.getByRole('button', { name: 'Dismiss message' });
  if (await dismiss.count()) await dismiss.click();
  const handle = await t.elementHandle();
  // Drag over the tile: the overlay says the drop opens the file with the app.
  await page.evaluate((el) => {
    const dt = new DataTransfer();
    dt.items.add(new File(['x'], 'note.txt', { type: 'text/plain' }));
    (window as unknown as { __dt: DataTransfer }).__dt = dt;
    el!.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
    el!.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, handle);
  const overlay = page.getByTestId('drop-overlay');
  await overlay.waitFor({ timeout: UI_TIMEOUT });
  expect(await overlay.getAttribute('data-target')).toBe('app');
  expect(await overlay.innerText()).toContain('Open with e2e_cat');
  expect(await t.getAttribute('data-drop-over')).toBe('');
  await checkBothThemes(page, 'drag over a tile', { name: 'gesture-drop-on-tile' });
  await page.evaluate((el) => {
    const dt = (window as unknown as { __dt: DataTransfer }).__dt;
    el!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, handle);
  await overlay.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  expect(await t.getAttribute('data-drop-over')).toBeNull();

  const dialog = page.getByTestId('open-file-dialog');
  await dialog.waitFor({ timeout: UI_TIMEOUT });
  expect(await dialog.getByTestId('open-file-note').innerText()).toContain('does not tell Terrarium where “note.txt” is');
  expect(await page.getByTestId('install-dialog').count()).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  await browseTo(page, dir);
  await page.locator('[data-testid="browser-entry"][data-name="note.txt"]').dblclick();
  await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  const pane = visiblePane(page);
  await waitForText(pane, `cat ${note} hello from a chosen file`);
  await waitForRun(pane, 'exited', 'exit', 0);
  expect((await call(api, 'apps.list', {})).map((a) => a.name).sort()).toEqual(['ask_probe', 'e2e_cat']);
});

/**
 * The section with the desktop app's integration present: the core gets an in-memory stand-in for
 * it (the real one writes into the home folder; its files are tested per platform elsewhere).
 */
describe('shortcuts and command, where the integration is available', () => {
  const made = new Map<string, { kind: 'menu' | 'desktop' | 'command'; path: string }[]>();
  const fake: Integration = {
    list: async (appId) => made.get(appId) ?? [],
    async addShortcuts(app, places) {
      const have = (made.get(app.id) ?? []).filter((x) => !(places.menu && x.kind === 'menu') && !(places.desktop && x.kind === 'desktop'));
      if (places.menu) have.push({ kind: 'menu', path: `/home/me/.local/share/applications/terrarium-${app.id}.desktop` });
      if (places.desktop) have.push({ kind: 'desktop', path: `/home/me/Desktop/${app.name}.desktop` });
      made.set(app.id, have);
      return have;
    },
    async addCommand(app, name) {
      const problem = commandNameProblem(name);
      if (problem) throw commandNameError(problem); // as the real integration does
      const have = [...(made.get(app.id) ?? []), { kind: 'command' as const, path: `/home/me/.local/bin/${name}` }];
      made.set(app.id, have);
      return have;
    },
    async removeAll(appId) {
      made.delete(appId);
    },
    rename: async (app) => made.get(app.id) ?? [],
  };
  let home: string;
  let profile: string;
  let api: ReturnType<typeof createApi>;
  let server: Awaited<ReturnType<typeof startWebServer>>;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    home = tmpDir();
    profile = tmpDir();
    api = createApi({ transport: 'web', home, integration: fake });
    server = await startWebServer(api, rendererDir());
    context = await chromium.launchPersistentContext(profile, {
      executablePath: browserPath(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 800 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    await seed(api, fixture('e2e_cat.wasm'), 'Word Count');
    await page.goto(server.url);
  });
  afterAll(async () => {
    await context?.close();
    await server?.close();
    await api?.close();
  });

  test('add to the application menu and the desktop, add a command (a bad name is explained inline), remove all', async () => {
    await tile(page, 'Word Count').getByTestId('app-details').click();
    const section = page.getByTestId('integration');
    await section.getByTestId('integration-add-menu').waitFor({ timeout: UI_TIMEOUT });
    expect(await section.getByTestId('integration-unavailable').count()).toBe(0);
    // The suggested command: the name in lower case, spaces as dashes.
    const name = section.getByTestId('integration-command-name');
    expect(await name.inputValue()).toBe('word-count');

    await section.getByTestId('integration-add-menu').click();
    await section.locator('[data-testid="integration-item"][data-kind="menu"]').waitFor({ timeout: UI_TIMEOUT });
    await section.getByTestId('integration-add-desktop').click();
    await section.locator('[data-testid="integration-item"][data-kind="desktop"]').waitFor({ timeout: UI_TIMEOUT });

    await name.fill('-rf');
    await section.getByTestId('integration-add-command').click();
    const error = section.getByTestId('integration-error');
    await error.waitFor({ timeout: UI_TIMEOUT });
    expect(await error.innerText()).toBe('A command name cannot start with a dash.');
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    await section.scrollIntoViewIfNeeded();
    await page.getByRole('button', { name: 'Dismiss message' }).click(); // the toast would cover the section
    await checkBothThemes(page, 'shortcuts and command, with a bad name', { name: 'gesture-integration-desktop', target: section });

    await name.fill('wc2');
    expect(await error.count()).toBe(0);
    await section.getByTestId('integration-add-command').click();
    const command = section.locator('[data-testid="integration-item"][data-kind="command"]');
    await command.waitFor({ timeout: UI_TIMEOUT });
    expect(await command.getAttribute('data-path')).toBe('/home/me/.local/bin/wc2');
    expect(await command.innerText()).toContain('Command: wc2');
    const appId = (await call(api, 'apps.list', {}))[0]!.id;
    expect((await call(api, 'integration.get', { ref: appId })).items.map((x) => x.kind).sort()).toEqual(['command', 'desktop', 'menu']);

    await section.getByTestId('integration-remove-all').click();
    await expect.poll(() => section.getByTestId('integration-item').count(), { timeout: UI_TIMEOUT }).toBe(0);
    expect((await call(api, 'integration.get', { ref: appId })).items).toEqual([]);
  });
});
