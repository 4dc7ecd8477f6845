/**
 * bin/terrarium.js runs the bundle (out/cli) only while it is newer than every source it was made
 * from (out/cli/sources.json), and the `.ts` sources otherwise: a checkout edited since its build
 * never runs stale code. bin reads the sources' modification times through the fs binding's
 * `stat` (no Stats object per file, issue 14.2) when it agrees with `fs.statSync` on
 * sources.json, and through `fs.statSync` otherwise; both ways are checked here, in a small tree
 * of bin, compile-cache.js, a stand-in bundle and stand-in sources.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, expect, test } from 'vitest';
import { repoRoot } from '../helpers/paths.ts';
import { removeTempDirs, tempDir } from '../helpers/temp.ts';

afterAll(removeTempDirs);

let root: string;
const BUILT = new Date('2026-01-01T00:00:00Z');
const OLDER = new Date('2025-12-31T00:00:00Z');

beforeEach(() => {
  root = tempDir('fresh');
  const put = (file: string, text: string, at = OLDER): void => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
    fs.utimesSync(path.join(root, file), at, at);
  };
  put('package.json', '{ "type": "module" }\n');
  put('bin/package.json', fs.readFileSync(path.join(repoRoot, 'bin/package.json'), 'utf8'));
  put('bin/terrarium.js', fs.readFileSync(path.join(repoRoot, 'bin/terrarium.js'), 'utf8'));
  for (const f of ['main/compile-cache.cjs', 'main/compile-cache.js']) put(f, fs.readFileSync(path.join(repoRoot, f), 'utf8'));
  put('main/cli.ts', "process.stdout.write('sources\\n');\n");
  put('main/deep/edited.ts', 'export const x: number = 1;\n');
  put('out/cli/cli.js', "process.stdout.write('bundle\\n');\n");
  put('out/cli/sources.json', `${JSON.stringify({ sources: ['main/cli.ts', 'main/deep/edited.ts'] })}\n`, BUILT);
});

/** What `node [nodeArgs] bin/terrarium.js` ran ('bundle' or 'sources'), and what it wrote to stderr. */
function ran(nodeArgs: string[] = []): { what: string; stderr: string } {
  // Reading sources.json moves its access time (relatime): put it back, so that a reader mixing up
  // access and modification times is not saved by the check against fs.statSync.
  fs.utimesSync(path.join(root, 'out/cli/sources.json'), BUILT, BUILT);
  const r = spawnSync(process.execPath, [...nodeArgs, path.join(root, 'bin/terrarium.js')], {
    env: { ...process.env, XDG_CACHE_HOME: tempDir('fresh-cache'), NODE_OPTIONS: '' },
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return { what: r.stdout.trim(), stderr: r.stderr };
}

/** `--import` hooks standing in for another Node: no binding at all, or one whose `stat` gives another layout. */
const hook = (code: string): string[] => ['--import', `data:text/javascript,${encodeURIComponent(code)}`];
const NO_BINDING = hook('delete process.binding;');
const OTHER_LAYOUT = hook('process.binding = () => ({ stat: () => new Float64Array(18) });');

/** A source edited in place after the build: its modification time is now. */
const edit = (): void => fs.appendFileSync(path.join(root, 'main/deep/edited.ts'), '// edited\n');

for (const [name, nodeArgs] of [['the fs binding', []], ['fs.statSync (no binding)', NO_BINDING], ['fs.statSync (a binding of another layout)', OTHER_LAYOUT]] as const) {
  test(`through ${name}: the bundle runs while it is fresh, the sources once one is edited or gone`, () => {
    expect(ran([...nodeArgs]).what).toBe('bundle');
    edit();
    expect(ran([...nodeArgs]).what).toBe('sources');
    fs.utimesSync(path.join(root, 'main/deep/edited.ts'), OLDER, OLDER);
    expect(ran([...nodeArgs]).what).toBe('bundle');
    fs.rmSync(path.join(root, 'main/deep/edited.ts'));
    expect(ran([...nodeArgs]).what).toBe('sources');
  });
}

test('a source newer than the bundle by less than a millisecond makes it stale', () => {
  const t = BUILT.getTime() / 1000 + 0.0004;
  fs.utimesSync(path.join(root, 'main/deep/edited.ts'), t, t);
  expect(ran().what).toBe('sources');
  expect(ran(NO_BINDING).what).toBe('sources');
});

test('no deprecation warning for the binding, even under --pending-deprecation', () => {
  expect(ran(['--pending-deprecation'])).toEqual({ what: 'bundle', stderr: '' });
});
