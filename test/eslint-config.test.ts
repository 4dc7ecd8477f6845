/**
 * The house rule beside eslint.config.js: every `eslint-disable` comment names the rules it turns
 * off and says why after `--` (ESLint itself only reports one that disables nothing).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from './helpers/paths.ts';

const root = repoRoot;
const FOLDERS = ['main', 'preload', 'renderer', 'bin', 'scripts', 'bench', 'test'];
const SOURCE = /\.(ts|js|mjs|cjs|svelte)$/;

function* sources(dir: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules' && e.name !== 'fixtures') yield* sources(p);
    else if (e.isFile() && SOURCE.test(e.name)) yield p;
  }
}

/** The `eslint-disable` comments of `text` that lack a rule name or a reason. */
function bareDisables(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/eslint-disable(?:-next-line|-line)?\b([^\n*]*)/g)) {
    if (!/^\s+[@\w/-]+(?:\s*,\s*[@\w/-]+)*\s+--\s*\S/.test(m[1]!)) out.push(m[0].trim());
  }
  return out;
}

test('the check itself: a rule and a reason pass, a bare comment or one without a reason fails', () => {
  expect(bareDisables('// eslint-disable-next-line prefer-spread, prefer-rest-params -- hot path')).toEqual([]);
  expect(bareDisables('// eslint-disable-next-line')).toHaveLength(1);
  expect(bareDisables('/* eslint-disable */')).toHaveLength(1);
  expect(bareDisables('// eslint-disable-line no-console')).toHaveLength(1);
});

test('no eslint-disable comment without its rule and a reason', () => {
  const found: string[] = [];
  for (const folder of FOLDERS) {
    for (const file of sources(path.join(root, folder))) {
      if (file === import.meta.filename) continue;
      for (const bare of bareDisables(fs.readFileSync(file, 'utf8'))) found.push(`${path.relative(root, file)}: ${bare}`);
    }
  }
  expect(found).toEqual([]);
});
