/**
 * A window that stays in sync (issue 13.5): installs, grants and uninstalls made by the CLI (another
 * process) show without a reload; after a reload, finished terminals and the output of running ones
 * come back from main's scrollback (a closed tab does not); when the web server goes away the
 * window says so at once, goes inert, and reconnects by itself once the server is back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type WebServer, rendererDir, startWebServer } from '../../main/web/server.ts';
import { cli } from '../helpers/cli.ts';
import { type E2E, fixture, screenshot, seed, seriousViolations, startE2E } from '../helpers/e2e/harness.ts';
import { UI_TIMEOUT, call, focusTerminal, paneOf, stopAllRuns, terminalText, tile, waitForRun, waitForText } from '../helpers/e2e/ui.ts';

let e: E2E;
let restarted: WebServer | undefined;
let scratch: string;

/** `terrarium ARGS` on the window's data folder, as another program would change the library. */
async function terrarium(...args: string[]): Promise<void> {
  const r = await cli(e.home, args);
  expect(r.code, r.stderr).toBe(0);
}

beforeAll(async () => {
  e = await startE2E();
  scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-e2e-sync-')));
});

afterAll(async () => {
  if (e) {
    await stopAllRuns(e.api).catch(() => undefined);
    await restarted?.close();
    await e.close();
  }
  fs.rmSync(scratch, { recursive: true, force: true });
});

test('an install, a grant and an uninstall made by the CLI show in the window without a reload', async () => {
  const { page } = e;
  await page.getByTestId('nav-catalog').click();
  await terrarium('install', fixture('e2e_cat.wasm'), '--name', 'from-cli');
  await tile(page, 'from-cli').waitFor({ timeout: UI_TIMEOUT });
  await tile(page, 'from-cli').getByTestId('app-details').click();
  await page.getByTestId('grants-editor').waitFor({ timeout: UI_TIMEOUT });
  await terrarium('grant', 'from-cli', '--dir', `${scratch}:ro`);
  await page.locator(`[data-testid="grant-folder"][data-host="${scratch}"]`).waitFor({ timeout: UI_TIMEOUT });
  await terrarium('uninstall', 'from-cli');
  await page.getByTestId('nav-catalog').click();
  await expect.poll(() => tile(page, 'from-cli').count(), { timeout: UI_TIMEOUT }).toBe(0);
});

test("Details asks for the app's page at the button's pointerdown; a change made before the click is not lost", async () => {
  const { page, api } = e;
  const id = await seed(api, fixture('e2e_cat.wasm'), 'ahead');
  await page.getByTestId('nav-catalog').click();
  const details = tile(page, 'ahead').getByTestId('app-details');
  await details.waitFor({ timeout: UI_TIMEOUT });
  // Every apps.get the page sends from now on, by app id, and those answered.
  await page.evaluate(() => {
    const w = window as unknown as { __asked: string[]; __answered: string[] };
    w.__asked = [];
    w.__answered = [];
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (d) {
      if (typeof d === 'string' && d.includes('"apps.get"')) {
        const r = JSON.parse(d) as { id: number; args: { ref: string } };
        w.__asked.push(r.args.ref);
        const answered = (m: MessageEvent): void => {
          if (typeof m.data !== 'string' || !m.data.startsWith(`{"id":${r.id},`)) return;
          w.__answered.push(r.args.ref);
          this.removeEventListener('message', answered);
        };
        this.addEventListener('message', answered);
      }
      return send.call(this, d);
    };
  });
  const asked = () => page.evaluate(() => (window as unknown as { __asked: string[] }).__asked);
  const answered = () => page.evaluate(() => (window as unknown as { __answered: string[] }).__answered);
  // A press, not yet a click: the page asks for the app already (and has the answer).
  await details.dispatchEvent('pointerdown', { button: 0, isPrimary: true });
  await expect.poll(asked, { timeout: UI_TIMEOUT }).toContain(id);
  await expect.poll(answered, { timeout: UI_TIMEOUT }).toContain(id);
  // The app changes before the click (a grant, from elsewhere): the answer asked for ahead is stale,
  // and the page shows the app as it is now.
  await call(api, 'grants.add', { ref: id, grants: [{ kind: 'args', args: ['--after-the-press'] }] });
  await tile(page, 'ahead').getByTestId('badge-custom-permissions').waitFor({ timeout: UI_TIMEOUT });
  await details.dispatchEvent('click');
  await expect.poll(() => page.getByTestId('grant-args').inputValue(), { timeout: UI_TIMEOUT }).toBe('--after-the-press');
  await page.getByTestId('nav-catalog').click();
});

test('after a reload, finished terminals and the output of running ones come back; a closed tab does not', async () => {
  const { page, api } = e;
  const cat = await seed(api, fixture('e2e_cat.wasm'), 'lister');
  const echo = await seed(api, fixture('stdio.wasm'), 'echoer');
  await call(api, 'grants.add', { ref: echo, grants: [{ kind: 'args', args: ['echo'] }] });
  void cat;
  await page.reload();
  await tile(page, 'lister').getByTestId('app-run').click();
  await waitForRun(paneOf(page, 'lister'), 'exited', 'exit', 0);
  await waitForText(paneOf(page, 'lister'), 'no files');
  await page.getByTestId('nav-catalog').click();
  await tile(page, 'echoer').getByTestId('app-run').click();
  const echoer = paneOf(page, 'echoer');
  await waitForRun(echoer, 'running');
  await focusTerminal(echoer);
  await page.keyboard.type('said before the reload');
  await page.keyboard.press('Enter');
  await waitForText(echoer, 'said before the reload', 2);

  await page.reload();
  const tabs = page.getByTestId('terminal-tab');
  await expect.poll(() => tabs.evaluateAll((ts) => ts.map((t) => `${(t as HTMLElement).dataset.appName} ${(t as HTMLElement).dataset.state}`)), { timeout: UI_TIMEOUT })
    .toEqual(['lister exited', 'echoer running']);
  await tabs.nth(0).click();
  await waitForRun(paneOf(page, 'lister'), 'exited', 'exit', 0);
  expect(await terminalText(paneOf(page, 'lister'))).toContain('no files');
  await tabs.nth(1).click();
  await waitForText(echoer, 'said before the reload', 2);
  await page.waitForTimeout(100);
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await screenshot(page, `sync-restored-terminal-${theme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  // Still live: what is typed now reaches the same run.
  await focusTerminal(echoer);
  await page.keyboard.type('and after it');
  await page.keyboard.press('Enter');
  await waitForText(echoer, 'and after it', 2);

  await page.locator('[data-testid="terminal-tab"][data-app-name="lister"] ~ [data-testid="terminal-tab-close"]').click();
  await expect.poll(() => tabs.count(), { timeout: UI_TIMEOUT }).toBe(1);
  await page.waitForTimeout(200); // the forget request goes out
  await page.reload();
  await expect.poll(() => tabs.evaluateAll((ts) => ts.map((t) => (t as HTMLElement).dataset.appName)), { timeout: UI_TIMEOUT }).toEqual(['echoer']);
  await stopAllRuns(api);
});

test('when the web server goes away the window says so at once and goes inert; it reconnects by itself when the server is back', async () => {
  const { page, server, api } = e;
  await page.getByTestId('nav-catalog').click();
  await tile(page, 'lister').waitFor({ timeout: UI_TIMEOUT });
  const { port, token } = server;
  const lostAt = Date.now();
  await server.close();
  const banner = page.getByTestId('connection-lost');
  await banner.waitFor({ timeout: UI_TIMEOUT });
  expect(Date.now() - lostAt).toBeLessThan(2000);
  expect(await banner.innerText()).toContain('Lost the connection to Terrarium');
  expect(await page.locator('.root').evaluate((el) => (el as HTMLElement).inert)).toBe(true);
  // Nothing can be clicked: the Run button does not take the click.
  await expect(tile(page, 'lister').getByTestId('app-run').click({ timeout: 500 })).rejects.toThrow();
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await screenshot(page, `sync-connection-lost-${theme}`);
    expect(await seriousViolations(page)).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  restarted = await startWebServer(api, rendererDir(), port, token);
  await expect.poll(() => banner.count(), { timeout: UI_TIMEOUT }).toBe(0);
  await tile(page, 'lister').getByTestId('app-run').click();
  await waitForText(paneOf(page, 'lister'), 'no files');
});
