/**
 * A passed self-test is remembered between processes (host-calls/proven-cache.ts): the next
 * process on the same host setup loads the native calls without testing them again, and opens
 * koffi's native module from where the first one found it, without searching the folders `require`
 * would; anything in the key changed (here the record's content), a record naming another file or
 * version, or TERRARIUM_SELF_TEST=always, and it searches and tests again.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';

const child = path.join(import.meta.dirname, 'proven-child.ts');
const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-proven-'));
afterAll(() => fs.rmSync(cache, { recursive: true, force: true }));

interface Outcome { kind: string; note: string | null; selfTests: number; searched: boolean; opened: string[] }

function run(env: Record<string, string> = {}): Outcome {
  const base: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache };
  for (const k of ['NODE_COMPILE_CACHE', 'TERRARIUM_HOST_CALLS', 'TERRARIUM_RESOLVER', 'TERRARIUM_SELF_TEST']) delete base[k];
  const r = spawnSync(process.execPath, [child], { encoding: 'utf8', env: { ...base, ...env } });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Outcome;
}

const native = process.platform === 'linux' || process.platform === 'darwin';
const pkg = `@koromix/koffi-${process.platform}-${process.arch}`;
/** The native module npm installed for this platform, where `require` finds it from the host-calls folder. */
const installed = (() => {
  const require = createRequire(path.resolve(import.meta.dirname, '../../../main/runtime/host-calls/native.ts'));
  for (const dir of require.resolve.paths('koffi') ?? []) {
    const file = path.join(dir, pkg, `${process.platform}_${process.arch}`, 'koffi.node');
    if (fs.existsSync(file)) return file;
  }
  return undefined;
})();
/** What /proc/self/maps calls the installed module (its real path); Linux only. */
const mapped = process.platform === 'linux' && installed !== undefined ? [fs.realpathSync(installed)] : [];

function records(): string[] {
  return fs.readdirSync(cache, { recursive: true, encoding: 'utf8' })
    .filter((f) => path.basename(f).startsWith('proven-'))
    .map((f) => path.join(cache, f));
}

/** The record's fields after its key: addon file, koffi version, C library, its version. */
function fields(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return text.slice(text.indexOf('\n--\n') + 4).split('\n');
}

function rewrite(file: string, at: number, value: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const head = text.slice(0, text.indexOf('\n--\n') + 4);
  const values = fields(file);
  values[at] = value;
  fs.writeFileSync(file, head + values.join('\n'));
}

test.runIf(native)('the self-test runs once per host setup, not once per process', () => {
  expect(run()).toMatchObject({ kind: 'native', note: null, selfTests: 1 });
  expect(records()).toHaveLength(1);
  expect(run()).toMatchObject({ kind: 'native', note: null, selfTests: 0 });
  expect(run({ TERRARIUM_SELF_TEST: 'always' })).toMatchObject({ kind: 'native', note: null, selfTests: 1 });
  // A record that does not hold this setup's key proves nothing.
  const file = records()[0]!;
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/abi \d+/, 'abi 0'));
  expect(run()).toMatchObject({ kind: 'native', note: null, selfTests: 1 });
  expect(run()).toMatchObject({ kind: 'native', note: null, selfTests: 0 });
});

test.runIf(native && installed !== undefined)('a later process opens koffi where the first one found it, without searching', () => {
  fs.rmSync(cache, { recursive: true, force: true });
  fs.mkdirSync(cache);
  expect(run()).toEqual({ kind: 'native', note: null, selfTests: 1, searched: true, opened: mapped });
  expect(fields(records()[0]!)[0]).toBe(installed);
  expect(run()).toEqual({ kind: 'native', note: null, selfTests: 0, searched: false, opened: mapped });
});

test.runIf(native && installed !== undefined)('a record naming another version, a missing file or a file outside the search is not trusted', () => {
  fs.rmSync(cache, { recursive: true, force: true });
  fs.mkdirSync(cache);
  run();
  const file = records()[0]!;
  // Another version than the module there: searched, tested again, and the record put right.
  rewrite(file, 1, '0.0.1');
  expect(run()).toEqual({ kind: 'native', note: null, selfTests: 1, searched: true, opened: mapped });
  expect(run()).toEqual({ kind: 'native', note: null, selfTests: 0, searched: false, opened: mapped });
  // A file that is not there (uninstalled, moved): searched and tested again.
  rewrite(file, 0, path.join(path.dirname(path.dirname(path.dirname(path.dirname(installed!)))), 'gone', 'node_modules', pkg, `${process.platform}_${process.arch}`, 'koffi.node'));
  expect(run()).toMatchObject({ kind: 'native', selfTests: 1, searched: true, opened: mapped });
  // A copy of the module somewhere `require` would not look from the host calls' folder: never opened.
  const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-koffi-elsewhere-'));
  try {
    const copy = path.join(elsewhere, 'node_modules', pkg, `${process.platform}_${process.arch}`, 'koffi.node');
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    fs.copyFileSync(installed!, copy);
    // ... and the installed module named through "..": not a name the search makes.
    const dotted = [path.dirname(installed!), '..', '..', '..', pkg, `${process.platform}_${process.arch}`, 'koffi.node'].join(path.sep);
    for (const named of [copy, dotted]) {
      rewrite(file, 0, named);
      expect(run()).toEqual({ kind: 'native', note: null, selfTests: 1, searched: true, opened: mapped });
    }
  } finally {
    fs.rmSync(elsewhere, { recursive: true, force: true });
  }
});
