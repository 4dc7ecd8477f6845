/**
 * Screenshots of every screen of the renderer, in the light and the dark theme, at 1280×800 (and
 * the main screens at 900×700), against the real core in web mode with a fresh data folder.
 *
 *   node test/e2e/screenshot-screens.ts [light|dark] [filter]
 *
 * Needs a built renderer (npx vite build) and Chromium (/usr/bin/chromium or CHROME_PATH).
 * PNGs go to test-output/screenshots/ (git-ignored).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { CLI, FIXTURES, FLITE, repoRoot } from '../helpers/paths.ts';

const root = repoRoot;
const outDir = path.join(root, 'test-output', 'screenshots');
const cli = CLI;
const fixtures = FIXTURES;
const flite = FLITE;
const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const CHROME_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const themes = (process.argv[2] === 'light' || process.argv[2] === 'dark' ? [process.argv[2]] : ['light', 'dark']) as ('light' | 'dark')[];
const filter = process.argv[3] ?? '';

function terrarium(home: string, ...args: string[]): string {
  return execFileSync(process.execPath, [cli, ...args], { env: { ...process.env, TERRARIUM_HOME: home }, cwd: root, encoding: 'utf8' });
}

function startUi(home: string): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [cli, 'ui', '--web', '--port', '0'], { env: { ...process.env, TERRARIUM_HOME: home }, cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let text = '';
    proc.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\/#token=\S+/.exec(text);
      if (m) resolve({ url: m[0], proc });
    });
    proc.on('exit', (code) => reject(new Error(`terrarium ui exited with ${code}`)));
  });
}

/** Serves flite.wasm slowly, so the install progress bar can be photographed mid-download. */
function slowServer(): Promise<{ url: string; close: () => void }> {
  const bytes = fs.readFileSync(flite);
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/wasm', 'Content-Length': bytes.length });
    let at = 0;
    const step = (): void => {
      if (res.destroyed) return;
      const next = Math.min(bytes.length, at + 256 * 1024);
      res.write(bytes.subarray(at, next));
      at = next;
      if (at < bytes.length) setTimeout(step, 100);
      else res.end();
    };
    step();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const port = (server.address() as { port: number }).port;
    resolve({ url: `http://127.0.0.1:${port}/voices/flite.wasm`, close: () => server.closeAllConnections() ?? server.close() });
  }));
}

/** A package folder with a wasmer.toml declaring a folder it would like. */
function makePackage(dir: string): string {
  const pkg = path.join(dir, 'wordcount');
  fs.mkdirSync(pkg, { recursive: true });
  fs.copyFileSync(path.join(fixtures, 'fd_readdir.wasm'), path.join(pkg, 'wc.wasm'));
  fs.writeFileSync(path.join(pkg, 'wasmer.toml'), [
    '[package]', 'name = "terrarium/wordcount"', 'version = "1.2.0"',
    'description = "Counts the lines, words and bytes of files in a folder you share with it."', '',
    '[[module]]', 'name = "wc"', 'source = "wc.wasm"', '',
    '[[command]]', 'name = "wc"', 'module = "wc"', '',
    '[fs]', '"/data" = "~/Documents"', '',
  ].join('\n'));
  return pkg;
}

const axeSource = fs.readFileSync(path.join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
let axeProblems = 0;

/** Runs axe-core on the page as it is; prints serious and critical violations. */
async function axe(page: Page, name: string): Promise<void> {
  // Evaluated over the DevTools protocol, so the page's CSP (script-src 'self') does not apply.
  await page.evaluate(axeSource);
  const found = await page.evaluate(async (all) => {
    const w = window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } };
    const r = await w.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => all || v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
  }, process.env.AXE_ALL === '1');
  for (const f of found) console.warn(`! axe on ${name}: ${f}`);
  axeProblems += found.length;
}

let shotCount = 0;
async function shot(page: Page, name: string, theme: string, keepToast = false): Promise<void> {
  const vp = page.viewportSize()!;
  if (!keepToast) await page.locator('[data-testid="status-message"] button').click({ timeout: 200 }).catch(() => undefined);
  const file = path.join(outDir, `${name}-${theme}-${vp.width}x${vp.height}.png`);
  await page.waitForTimeout(250);
  await page.screenshot({ path: file });
  // Horizontal overflow of the page is a layout bug at any size.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
  if (overflow) console.warn(`! horizontal overflow on ${name} (${theme} ${vp.width}x${vp.height})`);
  await axe(page, `${name}-${theme}-${vp.width}x${vp.height}`);
  shotCount++;
  console.log(`  ${path.relative(root, file)}`);
}

const want = (name: string): boolean => filter === '' || name.includes(filter);

async function browse(page: Page, dir: string): Promise<void> {
  // Walk the in-app browser to `dir` from the root breadcrumb, one folder at a time.
  const parts = dir.split('/').filter(Boolean);
  await page.getByTestId('file-browser').getByRole('button', { name: '/', exact: true }).first().click().catch(() => undefined);
  for (const part of parts) {
    await page.locator(`[data-testid="browser-entry"][data-name="${part}"]`).dblclick();
    // The current folder's crumb (its name is in a <bdi>, which `:text-is()` alone would match).
    await page.locator('[aria-current="location"]').filter({ has: page.getByText(part, { exact: true }) }).waitFor();
  }
}

async function dropFile(page: Page, name: string, bytes: number[] | null, kind: 'enter' | 'drop'): Promise<void> {
  await page.evaluate(({ name, bytes, kind }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes ?? [0, 97, 115, 109, 9, 9, 9, 9])], name, { type: 'application/wasm' }));
    window.dispatchEvent(new DragEvent(kind === 'enter' ? 'dragenter' : 'drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { name, bytes, kind });
}

async function runTheme(theme: 'light' | 'dark'): Promise<void> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-shots-'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-shots-work-'));
  const { url, proc } = await startUi(home);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-chrome-'));
  let ctx: BrowserContext | undefined;
  const slow = await slowServer();
  try {
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: chromePath,
      args: CHROME_ARGS,
      colorScheme: theme,
      viewport: { width: 1280, height: 800 },
      reducedMotion: 'reduce',
    });
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.on('pageerror', (e) => console.error(`! page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && console.error(`! console: ${m.text()}`));
    await page.goto(url);
    await page.getByRole('heading', { name: 'Catalog', exact: true }).waitFor();

    if (want('catalog-empty')) await shot(page, 'catalog-empty', theme);
    if (want('drop-overlay')) {
      await dropFile(page, 'tool.wasm', null, 'enter');
      await shot(page, 'drop-overlay', theme);
      await page.evaluate(() => window.dispatchEvent(new DragEvent('dragleave', { dataTransfer: (() => { const d = new DataTransfer(); d.items.add(new File([], 'x')); return d; })() })));
    }

    // Seed the library through the CLI (same data folder), with grants and history on flite.
    const shared = path.join(work, 'Speech');
    fs.mkdirSync(shared);
    for (const m of [flite, path.join(fixtures, 'stdio.wasm'), path.join(fixtures, 'spin.wasm'), path.join(fixtures, 'args_env.wasm')]) terrarium(home, 'install', m);
    terrarium(home, 'grant', 'flite', '--dir', `${shared}::/out`, '--env', 'LANG=en_US.UTF-8', '--env', 'HOME', '--args', '-o /out/hello.wav', '--timeout', '60');
    terrarium(home, 'grant', 'stdio', '--args', 'echo');
    terrarium(home, 'run', 'flite', '--', '-t', 'Hello from Terrarium');
    terrarium(home, 'run', 'flite', '--', '-t', 'A second sentence, spoken slowly');
    try {
      terrarium(home, 'run', 'args_env', '--', 'one', 'two'); // exits 1 (it wants argv[0] = its file name): history shows a failure
    } catch {
      // expected
    }
    await page.reload();
    await page.getByTestId('app-tile').first().waitFor();

    if (want('catalog')) {
      await shot(page, 'catalog', theme);
      await page.setViewportSize({ width: 900, height: 700 });
      await shot(page, 'catalog', theme);
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    if (want('catalog-focus')) {
      await page.getByTestId('app-tile').first().focus();
      await page.keyboard.press('ArrowRight');
      await shot(page, 'catalog-keyboard', theme);
    }
    if (want('catalog-nomatch')) {
      await page.getByTestId('search').fill('zzz');
      await page.getByText('No apps match').waitFor();
      await shot(page, 'catalog-nomatch', theme);
      await page.getByTestId('search').fill('');
      await page.getByTestId('app-tile').first().waitFor();
    }

    if (want('install')) {
      await page.getByTestId('install-button').click();
      await page.getByTestId('file-browser').waitFor();
      await browse(page, fixtures);
      await page.locator('[data-testid="browser-entry"][data-name="clock_random.wasm"]').click();
      await shot(page, 'install-file', theme);
      await page.setViewportSize({ width: 900, height: 700 });
      await shot(page, 'install-file', theme);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByTestId('install-tab-url').click();
      await page.getByTestId('install-url').fill(slow.url);
      await shot(page, 'install-url', theme);
      await page.getByTestId('install-fetch').click();
      await page.waitForFunction(() => Number(document.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow') ?? 0) >= 20);
      await shot(page, 'install-progress', theme);
      await page.getByTestId('install-cancel').click();

      const pkg = makePackage(work);
      await page.getByTestId('install-button').click();
      await page.getByTestId('install-tab-file').click();
      await browse(page, pkg);
      await page.getByTestId('install-package').click();
      await page.getByTestId('install-review').waitFor();
      await shot(page, 'install-review', theme);
      await page.setViewportSize({ width: 900, height: 700 });
      await shot(page, 'install-review', theme);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByTestId('install-confirm').click();
      await page.getByTestId('app-page').waitFor();
      await shot(page, 'app-page-package', theme, true);

      await dropFile(page, 'broken.wasm', [0, 97, 115, 109, 1, 0, 0, 0, 99], 'drop');
      await page.getByTestId('install-error').waitFor();
      await shot(page, 'install-error', theme);
      await page.keyboard.press('Escape');
    }

    if (want('app')) {
      await page.getByTestId('nav-catalog').click();
      await page.locator('[data-testid="app-tile"][data-app-name="flite"]').getByTestId('app-details').click();
      await page.getByTestId('run-row').first().waitFor();
      await shot(page, 'app-page', theme);
      await page.getByTestId('grants-editor').scrollIntoViewIfNeeded();
      await shot(page, 'app-page-grants', theme);
      await page.setViewportSize({ width: 900, height: 700 });
      await page.getByTestId('app-page').evaluate((el) => el.scrollTo(0, 0));
      await shot(page, 'app-page', theme);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByTestId('grant-add-folder').click();
      await page.getByTestId('folder-picker').waitFor();
      await browse(page, work);
      await shot(page, 'folder-picker', theme);
      await page.getByTestId('choose-folder').click();
      await page.getByTestId('grant-folder-form').waitFor();
      await page.getByTestId('grant-folder-guest').fill('/work');
      await shot(page, 'app-page-add-folder', theme);
      await page.getByTestId('grant-folder-save').click();
      await page.getByTestId('app-uninstall').click();
      await page.getByTestId('uninstall-dialog').waitFor();
      await shot(page, 'uninstall-confirm', theme);
      await page.keyboard.press('Escape');
    }

    if (want('terminal')) {
      await page.getByTestId('nav-catalog').click();
      await page.locator('[data-testid="app-tile"][data-app-name="stdio"]').getByTestId('app-run').click();
      await page.locator('[data-testid="run-status"][data-state="running"]').first().waitFor();
      await page.keyboard.type('hello, sandbox\n');
      await page.keyboard.type('every line comes back\n');
      await page.keyboard.type('typed lines are edited by the host');
      await page.getByTestId('nav-catalog').click();
      await page.locator('[data-testid="app-tile"][data-app-name="spin"]').getByTestId('app-run').click();
      await page.waitForTimeout(300);
      await page.locator('[data-testid="terminal-tab"][data-app-name="stdio"]').click();
      await shot(page, 'terminal-running', theme);
      await page.setViewportSize({ width: 900, height: 700 });
      await shot(page, 'terminal-running', theme);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.locator('[data-testid="terminal-pane"]:visible .xterm').click();
      await page.keyboard.press('Control+u');
      await page.keyboard.press('Control+d');
      await page.locator('[data-testid="terminal-pane"]:visible [data-testid="run-status"][data-state="exited"]').waitFor();
      await shot(page, 'terminal-exited', theme);
      await page.locator('[data-testid="terminal-tab"][data-app-name="spin"]').click();
      await page.locator('[data-testid="terminal-pane"]:visible').getByTestId('run-stop').click();
      await page.locator('[data-testid="terminal-pane"]:visible [data-testid="run-status"][data-state="exited"]').waitFor();
      await shot(page, 'terminal-stopped', theme);
      await page.getByTestId('nav-catalog').click();
      await shot(page, 'catalog-after-runs', theme);
    }
  } finally {
    await ctx?.close();
    slow.close();
    proc.kill();
    for (const d of [home, work, profile]) fs.rmSync(d, { recursive: true, force: true });
  }
}

fs.mkdirSync(outDir, { recursive: true });
for (const theme of themes) {
  console.log(`${theme}:`);
  await runTheme(theme);
}
console.log(`${shotCount} screenshots in ${path.relative(root, outDir)}; ${axeProblems} serious or critical axe violations`);
