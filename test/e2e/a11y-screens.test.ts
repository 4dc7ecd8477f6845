/**
 * Every screen, in the light and the dark theme (DESIGN §6, issue 4 point 6): axe-core finds no
 * serious or critical violation on any of them, and each is saved as a screenshot
 * (test-output/screenshots/<screen>-<theme>.png). On the catalog, the keyboard: Tab reaches the
 * Install button, every tab stop on the way shows a focus indicator, and every tile has an
 * accessible name.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type E2E, fixture, screenshot, seed, seriousViolations, startE2E } from '../helpers/e2e/harness.ts';
import { UI_TIMEOUT, browseTo, call, dropFile, focusTerminal, stopAllRuns, tile, visiblePane, waitForRun, waitForText } from '../helpers/e2e/ui.ts';

/** What Tab focuses: its name for the report, and how its focus shows. */
interface TabStop {
  label: string;
  testid: string | null;
  focusVisible: boolean;
  outline: string;
  boxShadow: string;
}

async function focused(page: Page): Promise<TabStop> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { label: '(body)', testid: null, focusVisible: false, outline: 'none', boxShadow: 'none' };
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle === 'none' || parseFloat(cs.outlineWidth) === 0 ? 'none' : `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}`;
    const label = el.getAttribute('aria-label') ?? el.textContent?.trim().replace(/\s+/g, ' ').slice(0, 40) ?? '';
    return { label: `${el.tagName.toLowerCase()} "${label}"`, testid: el.dataset.testid ?? null, focusVisible: el.matches(':focus-visible'), outline, boxShadow: cs.boxShadow };
  });
}

const shows = (s: TabStop): boolean => s.outline !== 'none' || (s.boxShadow !== 'none' && s.boxShadow !== '');

for (const theme of ['light', 'dark'] as const) {
  describe(`every screen in the ${theme} theme`, () => {
    let e: E2E;
    let shared: string;
    const checked: string[] = [];

    /** axe-core on the screen as it is, then its screenshot. */
    async function screen(name: string): Promise<void> {
      const violations = await seriousViolations(e.page);
      expect.soft(violations, `${name} (${theme})`).toEqual([]);
      await screenshot(e.page, `${name}-${theme}`);
      checked.push(name);
    }

    beforeAll(async () => {
      e = await startE2E({ colorScheme: theme });
      shared = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-e2e-a11y-'));
    });
    afterAll(async () => {
      if (e) await stopAllRuns(e.api).catch(() => undefined);
      await e?.close();
      if (shared) fs.rmSync(shared, { recursive: true, force: true });
    });

    test('the empty catalog and the install flow', async () => {
      const { page, api } = e;
      expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(theme === 'dark');
      await page.getByTestId('catalog-empty').waitFor({ timeout: UI_TIMEOUT });
      await screen('catalog-empty');

      // File tab: the in-app browser, in the fixtures folder, a module selected.
      await page.getByTestId('install-button').click();
      await page.getByTestId('install-dialog').waitFor({ timeout: UI_TIMEOUT });
      await browseTo(page, path.dirname(fixture('stdio.wasm')));
      await page.locator('[data-testid="browser-entry"][data-name="stdio.wasm"]').click();
      await expect.poll(() => page.getByTestId('install-review-file').isEnabled(), { timeout: UI_TIMEOUT }).toBe(true);
      await screen('install-file');

      // URL tab, with a URL typed in.
      await page.getByTestId('install-tab-url').click();
      await page.getByTestId('install-url').fill('https://example.com/tools/wc.wasm');
      await expect.poll(() => page.getByTestId('install-fetch').isEnabled(), { timeout: UI_TIMEOUT }).toBe(true);
      await screen('install-url');

      // Review screen.
      await page.getByTestId('install-tab-file').click();
      await browseTo(page, path.dirname(fixture('stdio.wasm')));
      await page.locator('[data-testid="browser-entry"][data-name="stdio.wasm"]').dblclick();
      await page.locator('[data-testid="install-review"] [data-testid="capabilities"]').waitFor({ timeout: UI_TIMEOUT });
      await screen('install-review');
      await page.getByTestId('install-cancel').click();
      await page.getByTestId('install-dialog').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
      expect(await call(api, 'apps.list', {})).toEqual([]);

      // Error state: a dropped file that is not a WebAssembly module.
      await dropFile(page, 'broken.wasm', new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]));
      await page.getByTestId('install-error').waitFor({ timeout: UI_TIMEOUT });
      expect((await page.getByTestId('install-error').innerText()).length).toBeGreaterThan(0);
      await screen('install-error');
      await page.keyboard.press('Escape');
      await page.getByTestId('install-dialog').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
      expect(await call(api, 'apps.list', {})).toEqual([]);
    });

    test('the catalog with apps, by keyboard', async () => {
      const { page, api } = e;
      const stdio = await seed(api, fixture('stdio.wasm'));
      await seed(api, fixture('spin.wasm'));
      await seed(api, fixture('args_env.wasm'));
      await call(api, 'grants.add', { ref: stdio, grants: [{ kind: 'args', args: ['echo'] }] });
      await page.reload();
      await expect.poll(() => page.getByTestId('app-tile').count(), { timeout: UI_TIMEOUT }).toBe(3);
      await screen('catalog');

      // Every tile has an accessible name: its app's name (and its buttons say which app).
      for (const t of await page.getByTestId('app-tile').all()) {
        const name = (await t.getAttribute('data-app-name'))!;
        const byName = page.getByRole('article', { name, exact: true });
        expect(await byName.count(), `tile ${name}`).toBe(1);
        expect(await byName.getAttribute('data-app-id')).toBe(await t.getAttribute('data-app-id'));
        expect(await t.getByRole('button', { name: `Run ${name}`, exact: true }).count()).toBe(1);
        expect(await t.getByRole('button', { name: `Details of ${name}`, exact: true }).count()).toBe(1);
      }

      // Tab from the top of the page reaches the Install button, then a tile; each stop shows focus.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      const stops: TabStop[] = [];
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press('Tab');
        const s = await focused(page);
        stops.push(s);
        if (s.testid === 'app-tile') break;
      }
      const labels = stops.map((s) => `${s.label}${s.testid ? ` [${s.testid}]` : ''}`);
      expect(stops.some((s) => s.testid === 'install-button'), `tab stops: ${labels.join(' → ')}`).toBe(true);
      expect(stops.findIndex((s) => s.testid === 'install-button')).toBeLessThan(stops.length - 1);
      const tileStop = stops.at(-1)!;
      expect(tileStop.testid, `tab stops: ${labels.join(' → ')}`).toBe('app-tile');
      expect(tileStop.focusVisible).toBe(true);
      expect(shows(tileStop), `tile focus: outline ${tileStop.outline}, box-shadow ${tileStop.boxShadow}`).toBe(true);
      const invisible = stops.filter((s) => !s.focusVisible || !shows(s)).map((s) => s.label);
      expect(invisible, 'tab stops without a visible focus indicator').toEqual([]);
      await screen('catalog-keyboard');
    });

    test('the app page, its folder browser and uninstall confirmation', async () => {
      const { page } = e;
      await tile(page, 'stdio').getByTestId('app-details').click();
      await page.getByTestId('app-page').waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('grants-editor').waitFor({ timeout: UI_TIMEOUT });
      await screen('app-page');

      await page.getByTestId('grant-add-folder').click();
      await page.getByTestId('folder-picker').waitFor({ timeout: UI_TIMEOUT });
      await browseTo(page, path.dirname(shared));
      await screen('folder-browser');
      await page.keyboard.press('Escape');
      await page.getByTestId('folder-picker').waitFor({ state: 'detached', timeout: UI_TIMEOUT });

      await page.getByTestId('app-uninstall').click();
      await page.getByTestId('uninstall-dialog').waitFor({ timeout: UI_TIMEOUT });
      await screen('uninstall-confirm');
      await page.keyboard.press('Escape');
      await page.getByTestId('uninstall-dialog').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    });

    test('the terminal, running and exited', async () => {
      const { page } = e;
      await page.getByTestId('app-page-run').click();
      const pane = visiblePane(page);
      await waitForRun(pane, 'running');
      await focusTerminal(pane);
      await page.keyboard.type('hello from the accessibility test');
      await page.keyboard.press('Enter');
      await waitForText(pane, 'hello from the accessibility test', 2);
      await screen('terminal-running');

      await page.keyboard.press('Control+d');
      await waitForRun(pane, 'exited', 'exit', 0);
      await screen('terminal-exited');
      expect(checked).toEqual([
        'catalog-empty', 'install-file', 'install-url', 'install-review', 'install-error',
        'catalog', 'catalog-keyboard', 'app-page', 'folder-browser', 'uninstall-confirm',
        'terminal-running', 'terminal-exited',
      ]);
    });
  });
}
