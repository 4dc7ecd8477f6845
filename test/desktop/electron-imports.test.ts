/**
 * STYLE 1 and DESIGN §10: nothing outside main/desktop/ (and the preload) imports Electron, and
 * inside it only the entry and the preload import it at runtime, so everything else loads under
 * plain Node. Everything else uses `import type`, checked by tsc against Electron's typings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.ts';

const repo = repoRoot;
const SOURCE = /\.(?:ts|js|mjs|cjs|svelte)$/;

function files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' ? [] : files(p);
    return SOURCE.test(d.name) ? [p] : [];
  });
}

/** The Electron imports of `text`: `import type` ones, and the rest (which load Electron at runtime). */
function electronImports(text: string): { typeOnly: number; runtime: number } {
  const spec = String.raw`['"]electron(?:/[^'"]*)?['"]`;
  const statements = [...text.matchAll(new RegExp(String.raw`\b(import|export)\s+(type\s+)?[^'";]*?\bfrom\s+${spec}`, 'g'))];
  const typeOnly = statements.filter((m) => m[2] !== undefined).length;
  const dynamic = [...text.matchAll(new RegExp(String.raw`\b(?:require|import)\s*\(\s*${spec}\s*\)|\bimport\s+${spec}`, 'g'))].length;
  return { typeOnly, runtime: statements.length - typeOnly + dynamic };
}

const rel = (p: string) => path.relative(repo, p).split(path.sep).join('/');
const sources = ['main', 'preload', 'renderer', 'bin'].flatMap((d) => files(path.join(repo, d)));

describe('Electron imports', () => {
  it('the scanner tells type imports from runtime ones', () => {
    expect(electronImports("import type { App } from 'electron';")).toEqual({ typeOnly: 1, runtime: 0 });
    expect(electronImports("import { type App } from 'electron';")).toEqual({ typeOnly: 0, runtime: 1 });
    expect(electronImports("import {\n  app,\n  BrowserWindow,\n} from 'electron/main';")).toEqual({ typeOnly: 0, runtime: 1 });
    expect(electronImports("const { app } = require('electron'); await import(\"electron\"); import 'electron';")).toEqual({ typeOnly: 0, runtime: 3 });
    expect(electronImports("import x from 'electron-builder';")).toEqual({ typeOnly: 0, runtime: 0 });
  });

  it('happen only in main/desktop/ and the preload', () => {
    const outside = sources.filter((f) => {
      const r = rel(f);
      const { typeOnly, runtime } = electronImports(fs.readFileSync(f, 'utf8'));
      return typeOnly + runtime > 0 && !r.startsWith('main/desktop/') && r !== 'preload/index.ts';
    });
    expect(outside.map(rel)).toEqual([]);
  });

  it('load Electron at runtime only in main/desktop/main.ts, preload/index.ts and (under Electron only) the CLI mode', () => {
    const runtime = sources.filter((f) => electronImports(fs.readFileSync(f, 'utf8')).runtime > 0).map(rel).sort();
    expect(runtime).toEqual(['main/desktop/cli-mode.ts', 'main/desktop/main.ts', 'preload/index.ts']);
    // The CLI mode runs under plain Node too (npm run check:package): it asks for Electron only inside Electron.
    expect(fs.readFileSync(path.join(repo, 'main/desktop/cli-mode.ts'), 'utf8')).toMatch(/if \(process\.versions\.electron !== undefined[^\n]*\{\n[^\n]*\n\s*\(await import\('electron'\)\)/);
  });

  it('every other desktop module is typed against Electron', () => {
    const typed = files(path.join(repo, 'main', 'desktop'))
      .filter((f) => electronImports(fs.readFileSync(f, 'utf8')).typeOnly > 0)
      .map((f) => path.basename(f))
      .sort();
    expect(typed).toEqual(expect.arrayContaining(['dialogs.ts', 'ipc-router.ts', 'menu.ts', 'protocol.ts', 'security.ts', 'window.ts']));
  });
});
