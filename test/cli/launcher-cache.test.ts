/**
 * bin/terrarium.js compiles main/compile-cache.cjs itself, from a V8 code cache of its own (per
 * user, `compile/launcher/`): made at the first start's exit, used unchanged by the next, and never
 * fed to V8 for a file whose bytes differ from the ones it was made from (V8 checks only the text's
 * length), whatever the file's modification time says. In a small tree of bin, compile-cache.cjs and
 * .js and a stand-in for the sources' entry (no bundle: bin takes the sources' path, which turns
 * Node's module compile cache on in compile-cache.cjs `cacheDir()`).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, expect, test } from 'vitest';
import { repoRoot } from '../helpers/paths.ts';
import { removeTempDirs, tempDir } from '../helpers/temp.ts';

afterAll(removeTempDirs);

let root: string;
let cache: string;

beforeEach(() => {
  root = tempDir('launcher');
  cache = tempDir('launcher-cache');
  const put = (file: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  put('package.json', '{ "type": "module" }\n');
  for (const f of ['bin/package.json', 'bin/terrarium.js', 'main/compile-cache.cjs', 'main/compile-cache.js']) put(f, fs.readFileSync(path.join(repoRoot, f), 'utf8'));
  put('main/cli.ts', "process.stdout.write('sources\\n');\n");
});

/** Runs bin in the tree (its output, 'sources'), with the cache folder of this test. */
function start(): void {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/terrarium.js')], { env: { ...process.env, XDG_CACHE_HOME: cache, NODE_OPTIONS: '' }, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toBe('sources\n');
}

/** The launcher cache's one file, and its status. */
function launcherCache(): { file: string; stat: fs.Stats } {
  const dir = path.join(cache, 'terrarium', 'compile', 'launcher');
  const files = fs.readdirSync(dir);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^compile-cache-[0-9a-f]+\.[\w.-]+\.l2$/);
  return { file: path.join(dir, files[0]!), stat: fs.statSync(path.join(dir, files[0]!)) };
}

test('the first start makes the cache of compile-cache.cjs, holding its text; the next uses it as it is', () => {
  start();
  const first = launcherCache();
  const text = fs.readFileSync(path.join(root, 'main/compile-cache.cjs'));
  const data = fs.readFileSync(first.file);
  expect(data.subarray(0, text.length).equals(text)).toBe(true);
  expect(data.length).toBeGreaterThan(text.length); // and V8's data after it
  start();
  const second = launcherCache();
  expect([second.stat.ino, second.stat.mtimeMs]).toEqual([first.stat.ino, first.stat.mtimeMs]); // accepted: not rewritten
});

test('compile-cache.cjs edited in place to another text of the same length, its time put back, runs the new text', () => {
  start();
  expect(fs.existsSync(path.join(cache, 'terrarium', 'compile'))).toBe(true);
  const file = path.join(root, 'main/compile-cache.cjs');
  const before = fs.statSync(file);
  const text = fs.readFileSync(file, 'utf8');
  // cacheDir()'s folder: 'compile' becomes 'compilf' (the same length: V8 alone would take the old cache).
  const edited = text.replace("'terrarium', 'compile')", "'terrarium', 'compilf')");
  expect(edited).not.toBe(text);
  expect(edited.length).toBe(text.length);
  fs.writeFileSync(file, edited);
  fs.utimesSync(file, before.atime, before.mtime);
  start();
  // The sources' path turned Node's module compile cache on in the new text's folder.
  expect(fs.existsSync(path.join(cache, 'terrarium', 'compilf'))).toBe(true);
  // And the cache was made again, from the new text.
  const data = fs.readFileSync(launcherCache().file);
  const bytes = Buffer.from(edited);
  expect(data.subarray(0, bytes.length).equals(bytes)).toBe(true);
});
