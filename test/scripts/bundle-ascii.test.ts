/**
 * scripts/bundle-cli.ts `asciiOnly` (issue 14.2): the bundle's chunks hold no character above
 * U+007F, so Node keeps each as a one-byte string (a two-byte chunk is turned into UTF-8 for the
 * compile cache's hash at every start). What the code means is unchanged: strings, templates,
 * regular expressions and names read the escapes as the characters; a String.raw template, which
 * would not, fails the build.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { expect, test } from 'vitest';
import { asciiOnly } from '../../scripts/bundle-cli.ts';
import { repoRoot } from '../helpers/paths.ts';

test('characters above U+007F become escapes that mean the same', () => {
  const code = [
    '// a dash — in a comment, and é too',
    'const s = "cut…";',
    'const t = `${s} 😀 \u200d`;',
    'const r = /[😀→]/u;',
    'const é = 1;',
    '({ s, t, r: r.test("→") && r.test("😀"), length: "😀".length, é });',
  ].join('\n');
  const out = asciiOnly(code);
  expect(/[^\0-\x7f]/.test(out)).toBe(false);
  expect(vm.runInNewContext(out)).toEqual(vm.runInNewContext(code));
  expect(vm.runInNewContext(out)).toEqual({ s: 'cut…', t: 'cut… 😀 \u200d', r: true, length: 2, é: 1 });
});

test('a String.raw template holding such a character fails the build; one without passes through', () => {
  expect(() => asciiOnly('const a = String.raw`x→y`;')).toThrow(/raw template/);
  expect(asciiOnly('const a = String.raw`\\u2192`;')).toBe('const a = String.raw`\\u2192`;');
});

test('the built bundle (npm run build) is ASCII throughout', () => {
  const dir = path.join(repoRoot, 'out', 'cli');
  const chunks = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.js')) : [];
  for (const n of chunks) {
    const text = fs.readFileSync(path.join(dir, n), 'utf8');
    expect(/[^\0-\x7f]/.exec(text)?.[0], n).toBeUndefined();
  }
});
