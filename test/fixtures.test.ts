/**
 * Guard in the style of Wasmtime's test-programs: every guest program in test/fixtures has its
 * built .wasm committed beside it, every .wasm has its source, and every program is run by some
 * test under test/ (a fixture nobody runs is dead weight that still looks like coverage).
 * Whether a committed .wasm is up to date with its source cannot be checked without a compiler,
 * so that is left to test/fixtures/build.sh.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const testDir = fileURLToPath(new URL('.', import.meta.url));
const fixturesDir = join(testDir, 'fixtures');
const SOURCE = /\.(c|wat)$/;

const fixtureFiles = readdirSync(fixturesDir);
const sources = fixtureFiles.filter((f) => SOURCE.test(f)).sort();
const modules = fixtureFiles.filter((f) => f.endsWith('.wasm')).sort();
const stem = (f: string) => f.replace(/\.[^.]+$/, '');

/** Every test and helper file under test/, except this guard and the fixtures themselves. */
function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (p === fixturesDir) continue;
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (/\.(ts|js|mjs)$/.test(name) && p !== fileURLToPath(import.meta.url)) out.push(p);
  }
  return out;
}

const corpus = testFiles(testDir).map((p) => ({ path: relative(testDir, p), text: readFileSync(p, 'utf8') }));

/** True when some test file names the program: "x.wasm", fixture('x'), or a quoted 'x'. */
function mentioned(name: string): boolean {
  const forms = [`${name}.wasm`, `'${name}'`, `"${name}"`, `\`${name}\``];
  return corpus.some((f) => forms.some((form) => f.text.includes(form)));
}

describe('test/fixtures guard', () => {
  it('finds the fixtures and the tests', () => {
    expect(sources.length).toBeGreaterThan(0);
    expect(corpus.length).toBeGreaterThan(0);
  });

  it('has a built .wasm beside every source', () => {
    const missing = sources.filter((s) => !modules.includes(`${stem(s)}.wasm`));
    expect(missing, 'run test/fixtures/build.sh and commit the .wasm files').toEqual([]);
  });

  it('has a source beside every .wasm', () => {
    const orphans = modules.filter((m) => !sources.some((s) => stem(s) === stem(m)));
    expect(orphans).toEqual([]);
  });

  it('has only valid core WebAssembly modules', () => {
    const invalid = modules.filter((m) => !WebAssembly.validate(readFileSync(join(fixturesDir, m))));
    expect(invalid).toEqual([]);
  });

  it('runs every program from some test under test/', () => {
    const unused = sources.map(stem).filter((name) => !mentioned(name));
    expect(unused, 'each fixture needs a test that runs it').toEqual([]);
  });

  it('would notice an unused or unbuilt fixture', () => {
    expect(mentioned('no_such_fixture_xyz')).toBe(false);
    expect(mentioned(stem(basename(sources[0]!)))).toBe(true);
  });
});
