/**
 * End-to-end harness (DESIGN §9): the real core and the real built renderer in web mode, driven
 * by playwright-core in a real Chromium (Debian's, or CHROME_PATH). A missing browser fails
 * loudly: these tests are never skipped.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { type Api, createApi } from '../../../main/api/index.ts';
import { repoRoot } from '../paths.ts';
import { type WebServer, rendererDir, startWebServer } from '../../../main/web/server.ts';

export { fixture } from '../paths.ts';
/** The checkout's root folder. */
export const repo = repoRoot;
export const screenshotDir = path.join(repo, 'test-output', 'screenshots');

/** The Chromium to drive; throws with instructions when there is none. */
export function browserPath(): string {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  const found = candidates.find((p) => p && fs.existsSync(p));
  if (!found) {
    throw new Error('The end-to-end tests need Chromium: apt-get install chromium (Debian) or set CHROME_PATH.');
  }
  return found;
}

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A running web-mode Terrarium with its own data folder, and a browser page on it. */
export interface E2E {
  home: string;
  api: Api;
  server: WebServer;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Starts the core on a fresh data folder and opens the UI in Chromium. */
export async function startE2E(opts: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {}): Promise<E2E> {
  const dir = rendererDir();
  if (!fs.existsSync(path.join(dir, 'index.html'))) throw new Error(`the renderer is not built (${dir}): run npm run build`);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-e2e-'));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-chromium-'));
  const api = createApi({ transport: 'web', home });
  const server = await startWebServer(api, dir);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: browserPath(),
    args: FLAGS,
    colorScheme: opts.colorScheme ?? 'light',
    viewport: opts.viewport ?? { width: 1280, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(server.url);
  return {
    home, api, server, context, page,
    async close() {
      await context.close();
      await server.close();
      await api.close();
      fs.rmSync(home, { recursive: true, force: true });
      // Chromium's helper processes can still be writing the profile as the browser exits.
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    },
  };
}

/** Installs a module straight through the API (for tests whose subject is not the install flow). */
export async function seed(api: Api, file: string, name?: string): Promise<string> {
  const p = await api.handle('install.preview', { source: { kind: 'file', path: file } });
  if (!p.ok) throw new Error(p.message);
  const c = await api.handle('install.confirm', { previewId: (p.value as { previewId: string }).previewId, name });
  if (!c.ok) throw new Error(c.message);
  return (c.value as { app: { id: string } }).app.id;
}

const axeSource = fs.readFileSync(path.join(repo, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now (id: targets). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (no eval needed).
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    // Colours still on their way (a theme switch, a hover or focus just moved: CSS transitions) are
    // measured once they arrive, however slow a frame is on a busy machine.
    await Promise.all(document.getAnimations().filter((a) => a instanceof CSSTransition).map((a) => a.finished.catch(() => undefined)));
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.targets.join(', ')}`);
}

/** Saves a screenshot under test-output/screenshots (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/**
 * Saves the page as `name`-light.png and `name`-dark.png, checking each theme has no serious
 * axe-core violation; leaves the page light.
 */
export async function screenshotBothThemes(page: Page, name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.waitForTimeout(500); // colour transitions (buttons 0.12 s, the terminal's repaint) finish first
    const violations = await seriousViolations(page);
    if (violations.length > 0) throw new Error(`${name} (${theme}): ${violations.join('; ')}`);
    await screenshot(page, `${name}-${theme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
