/**
 * What an app says about itself, drawn by the window (issue 9, point 9): a package whose
 * description, version, `[fs]` needs and producers hold bidi overrides, escape sequences and
 * separators, a dropped file called `trusted.wasm\u202Eexe.txt`, and an app whose name holds an
 * override (a library edited behind Terrarium's back: install refuses such names). The catalog tile
 * and the app page show every override as a visible escape inside an isolating <bdi>, and no
 * override or control reaches the page's text. Screenshots go to test-output/screenshots.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildModule, producersPayload } from '../helpers/library.ts';
import { type E2E, screenshot, startE2E } from '../helpers/e2e/harness.ts';
import { UI_TIMEOUT, browseTo, call } from '../helpers/e2e/ui.ts';

const RLO = '\u202E';
const SPOOF = `trusted.wasm${RLO}exe.txt`;
const DESCRIPTION = `Opens ${SPOOF} for you\u2028source: verified\x1b[2J \u2066isolated\u2069 \uFFFE end`;
/** Bidi controls, C0/C1 controls (but the page's own newlines and tabs), separators, non-characters. */
const ACTING = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufffe\uffff]/;

const escaped = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufffe]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);

/** A TOML basic string holding `s` exactly. */
const toml = (s: string): string => `"${[...s].map((c) => (c.codePointAt(0)! < 0x20 || c.codePointAt(0)! >= 0x7f || c === '"' || c === '\\' ? `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}` : c)).join('')}"`;

let e: E2E;
let scratch: string;
const ids: Record<string, string> = {};

async function install(source: { kind: 'package'; dir: string } | { kind: 'file'; path: string }, name?: string): Promise<string> {
  const p = await call(e.api, 'install.preview', { source });
  return (await call(e.api, 'install.confirm', { previewId: p.previewId, name })).app.id;
}

beforeAll(async () => {
  e = await startE2E();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-hostile-'));
  const pkg = path.join(scratch, 'pkg');
  fs.mkdirSync(pkg);
  fs.writeFileSync(path.join(pkg, 'tool.wasm'), buildModule({
    imports: ['fd_write'],
    custom: [['producers', producersPayload({ language: [[`C${RLO}gnalc`, '17']], 'processed-by': [[`clang\x1b]52;c;eA==\x07`, `18${RLO}1`]] })]],
  }));
  fs.writeFileSync(path.join(pkg, 'wasmer.toml'), [
    '[package]', 'name = "acme/tool"', `version = ${toml(`1.0${RLO}beta`)}`, `description = ${toml(DESCRIPTION)}`,
    '[[module]]', 'name = "tool"', 'source = "tool.wasm"',
    '[fs]', `${toml(`/data${RLO}txt.exe`)} = ${toml('./data')}`, '',
  ].join('\n'));
  ids.pkg = await install({ kind: 'package', dir: pkg });
  const spoofFile = path.join(scratch, SPOOF);
  fs.copyFileSync(path.join(pkg, 'tool.wasm'), spoofFile);
  ids.file = await install({ kind: 'file', path: spoofFile });
  // Files an app could have made in a folder it may write, as the file browser lists them.
  fs.mkdirSync(path.join(scratch, `docs${RLO}fdp.`));
  fs.copyFileSync(path.join(pkg, 'tool.wasm'), path.join(scratch, `report${RLO}txt.wasm`));
  ids.named = await install({ kind: 'file', path: path.join(pkg, 'tool.wasm') }, 'renamed below');
  const db = new Database(path.join(e.home, 'library.db'));
  db.prepare('UPDATE apps SET name = ? WHERE id = ?').run(`evil${RLO}txt.exe`, ids.named);
  db.close();
  await e.page.reload();
});
afterAll(async () => {
  await e?.close();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

const tileOf = (page: Page, id: string) => page.locator(`[data-testid="app-tile"][data-app-id="${id}"]`);

/** Every text the page shows or reads out, found to hold a bidi control, control, separator or non-character. */
async function actingText(page: Page): Promise<string[]> {
  return page.evaluate((source) => {
    const re = new RegExp(source);
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (re.test(n.textContent ?? '')) found.push(JSON.stringify(n.textContent));
    for (const el of document.querySelectorAll('[aria-label], [title]')) {
      for (const a of ['aria-label', 'title']) if (re.test(el.getAttribute(a) ?? '')) found.push(`${a}=${JSON.stringify(el.getAttribute(a))}`);
    }
    return found;
  }, ACTING.source);
}

describe('the catalog tile', () => {
  test('shows a name, a description and a version with overrides as visible escapes, isolated', async () => {
    const named = tileOf(e.page, ids.named!);
    await named.waitFor({ timeout: UI_TIMEOUT });
    await screenshot(e.page, 'hostile-text-catalog');
    expect(await actingText(e.page)).toEqual([]);
    expect(await named.getByTestId('tile-name').innerText()).toBe('evil\\u{202e}txt.exe');
    expect(await named.locator('h2 bdi').count()).toBe(1);
    const pkg = tileOf(e.page, ids.pkg!);
    expect(await pkg.getByTestId('tile-description').innerText()).toBe(escaped(DESCRIPTION));
    expect(await pkg.locator('.version').innerText()).toContain('v1.0\\u{202e}beta');
    // The dropped file's name became a clean app name: the override is a visible U+FFFD.
    expect(await tileOf(e.page, ids.file!).getByTestId('tile-name').innerText()).toBe('trusted.wasm\uFFFDexe.txt');
  });
});

describe('the app page', () => {
  test('shows name, description, version, source, producers and needs with overrides escaped', async () => {
    await tileOf(e.page, ids.named!).getByTestId('app-details').click();
    await e.page.getByTestId('app-page').waitFor({ timeout: UI_TIMEOUT });
    expect(await actingText(e.page)).toEqual([]);
    expect(await e.page.getByTestId('app-page-name').innerText()).toBe('evil\\u{202e}txt.exe');
    await screenshot(e.page, 'hostile-text-app-page-name');

    await e.page.getByTestId('nav-catalog').click();
    await tileOf(e.page, ids.file!).getByTestId('app-details').click();
    await expect.poll(() => e.page.getByTestId('fact-source').innerText(), { timeout: UI_TIMEOUT }).toContain('trusted.wasm\\u{202e}exe.txt');
    expect(await actingText(e.page)).toEqual([]);

    await e.page.getByTestId('nav-catalog').click();
    await tileOf(e.page, ids.pkg!).getByTestId('app-details').click();
    await expect.poll(() => e.page.getByTestId('app-page-description').innerText(), { timeout: UI_TIMEOUT }).toBe(escaped(DESCRIPTION));
    expect(await e.page.getByTestId('fact-language').innerText()).toBe('C\\u{202e}gnalc 17');
    expect(await e.page.getByTestId('fact-tools').innerText()).toBe('clang\\u{1b}]52;c;eA==\\u{7} 18\\u{202e}1');
    expect(await e.page.getByTestId('need-guest').innerText()).toBe('/data\\u{202e}txt.exe');
    expect(await e.page.locator('[data-testid="app-page"] .meta').first().innerText()).toContain('Version 1.0\\u{202e}beta');
    expect(await actingText(e.page)).toEqual([]);
    await screenshot(e.page, 'hostile-text-app-page');
  });
});

describe('the file browser', () => {
  test('lists file and folder names with overrides as visible escapes', async () => {
    await e.page.getByTestId('install-button').click();
    await e.page.getByTestId('install-dialog').waitFor({ timeout: UI_TIMEOUT });
    await browseTo(e.page, scratch);
    const entry = (name: string) => e.page.locator(`[data-testid="browser-entry"][data-name="${name}"]`);
    await entry(`report${RLO}txt.wasm`).waitFor({ timeout: UI_TIMEOUT });
    expect(await actingText(e.page)).toEqual([]);
    expect(await entry(`report${RLO}txt.wasm`).innerText()).toBe('report\\u{202e}txt.wasm');
    expect(await entry(`docs${RLO}fdp.`).innerText()).toBe('docs\\u{202e}fdp.');
    await screenshot(e.page, 'hostile-text-file-browser');
  });
});
