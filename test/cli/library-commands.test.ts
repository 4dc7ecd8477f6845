/**
 * Every library command through the real CLI (`node bin/terrarium.js ...`), each test with a fresh
 * TERRARIUM_HOME: install (human line and --json), list (--json, --search, --sort), info, APP by
 * name (case-insensitive) and by id, uninstall, grant / grants / revoke / reset, history after
 * runs, an unknown app (exit 1, one line) and usage errors (exit 2). The `--json` shapes are the
 * ones the README documents as stable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppRecord, AppSummary, GrantRecord, RunRecord } from '../../main/library/types.ts';
import { type CliInstalled, cli, cliInstall, cliJson } from '../helpers/cli.ts';
import { fixture } from '../helpers/paths.ts';
import { sha256, withCustomSection } from '../helpers/wasm-assembler.ts';
import { storeFiles, withLibrary, libraryProblems } from '../helpers/library.ts';
import { removeTempDirs, tempDir } from '../helpers/temp.ts';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const APP_KEYS = ['description', 'id', 'inspection', 'installedAt', 'kind', 'lastRunAt', 'manifest', 'name', 'sha256', 'size', 'source', 'version'];
const SUMMARY_KEYS = ['description', 'grantCount', 'id', 'installedAt', 'lastRunAt', 'name', 'size', 'version'];

type Info = AppRecord & { grants: GrantRecord[]; builds: { version: string | null; sha256: string; size: number; installedAt: string }[] };

let home: string;
let scratch: string;
beforeEach(() => {
  home = tempDir('home');
  scratch = tempDir('scratch');
});
afterEach(removeTempDirs);

const install = (file: string, ...extra: string[]): Promise<CliInstalled> => cliInstall(home, file, ...extra);
const grantsOf = (app: string): Promise<GrantRecord[]> => cliJson<GrantRecord[]>(home, ['grants', app, '--json']);
/** A grant without its id and times, for comparing what was stored. */
const bare = (g: GrantRecord): Record<string, unknown> => {
  const { id: _id, createdAt: _c, lastUsedAt: _l, pin, ...rest } = g;
  // A folder grant records what it granted (issue 9): the folder it names, resolved.
  if (g.kind === 'folder') expect(pin?.resolved).toBe(fs.realpathSync(g.host));
  return rest;
};

/** Expects a failure: exit `code`, nothing on stdout, and a first stderr line that says `match`. */
function expectFailure(r: { code: number | null; stdout: string; stderr: string }, code: number, match?: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stdout).toBe('');
  const first = r.stderr.split('\n')[0]!;
  expect(first).toMatch(/^terrarium: \S/);
  if (match) expect(first).toMatch(match);
  if (code === 1) expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
}

describe('install', () => {
  it('prints one human line naming the app, its id, size and what it can use', async () => {
    const r = await cli(home, ['install', fixture('stdio.wasm')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^installed stdio \(id [0-9a-f]{8}, \d+\.\d KiB\); can use: [a-z /,i]+\n$/);
    expect(r.stdout).toContain('terminal i/o');
    const [app] = await cliJson<AppSummary[]>(home, ['list', '--json']);
    expect(r.stdout).toContain(`(id ${app!.id},`);
  });

  it('--json gives { action, app } with the documented app record', async () => {
    const file = fixture('args_env.wasm');
    const bytes = fs.readFileSync(file);
    const before = Date.now();
    const r = await install(file);
    expect(Object.keys(r).sort()).toEqual(['action', 'app']);
    expect(r.action).toBe('installed');
    const a = r.app;
    expect(Object.keys(a).sort()).toEqual(APP_KEYS);
    expect(a.id).toMatch(/^[0-9a-f]{8}$/);
    expect(a).toMatchObject({
      name: 'args_env', version: null, description: null, lastRunAt: null, manifest: null,
      source: { kind: 'file', location: file }, sha256: sha256(bytes), size: bytes.length,
    });
    expect(a.installedAt).toMatch(ISO);
    expect(Date.parse(a.installedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(a.installedAt)).toBeLessThanOrEqual(Date.now() + 1000);
    expect(a.inspection).toMatchObject({ sha256: sha256(bytes), size: bytes.length, kind: 'command', wasi: 'preview1' });
    expect(a.inspection.capabilities).toHaveProperty('environment');
    expect(a.inspection.capabilities).toHaveProperty('arguments');
    expect(storeFiles(home)).toEqual([`${sha256(bytes)}.wasm`]);
  });

  it('again from the same source: unchanged; new bytes there: updated, same id, grants and history kept', async () => {
    const file = path.join(scratch, 'tool.wasm');
    const v1 = fs.readFileSync(fixture('proc.wasm'));
    fs.writeFileSync(file, v1);
    const first = await install(file);
    expect((await cli(home, ['grant', 'tool', '--env', 'A=1'])).code).toBe(0);
    expect((await cli(home, ['run', 'tool', '--', 'main', '0'])).code).toBe(0);

    const again = await install(file);
    expect(again.action).toBe('unchanged');
    expect(again.app.id).toBe(first.app.id);

    const v2 = withCustomSection(v1, 'terrarium-test', 'build 2');
    fs.writeFileSync(file, v2);
    const upd = await install(file);
    expect(upd.action).toBe('updated');
    expect(upd.app.id).toBe(first.app.id);
    expect(upd.app.sha256).toBe(sha256(v2));
    const info = await cliJson<Info>(home, ['info', 'tool', '--json']);
    expect(info.builds.map((b) => b.sha256)).toEqual([sha256(v2), sha256(v1)]);
    expect(info.grants.map(bare)).toEqual([{ kind: 'env', name: 'A', value: '1' }]);
    expect(await cliJson<RunRecord[]>(home, ['history', 'tool', '--json'])).toHaveLength(1);
    // The old build's bytes are no longer used by any app: gone from the store.
    expect(storeFiles(home)).toEqual([`${sha256(v2)}.wasm`]);
  });

  it('refuses a name taken by an app from elsewhere, and --name picks another', async () => {
    await install(fixture('stdio.wasm'));
    const copy = path.join(scratch, 'stdio.wasm');
    fs.copyFileSync(fixture('proc.wasm'), copy);
    expectFailure(await cli(home, ['install', copy]), 1, /already installed/);
    const other = await install(copy, '--name', 'Stdio 2');
    expect(other.app.name).toBe('Stdio 2');
    expect((await cliJson<AppSummary[]>(home, ['list', '--json'])).map((a) => a.name)).toEqual(['stdio', 'Stdio 2']);
  });

  it('a package folder: name, version and description from wasmer.toml, [fs] as declared needs', async () => {
    const pkg = path.join(scratch, 'pkg');
    fs.mkdirSync(pkg);
    fs.copyFileSync(fixture('stdio.wasm'), path.join(pkg, 'echo.wasm'));
    fs.writeFileSync(path.join(pkg, 'wasmer.toml'), [
      '[package]', 'name = "someone/echoer"', 'version = "1.2.3"', 'description = "Copies its input"', '',
      '[[module]]', 'name = "echo"', 'source = "echo.wasm"', '',
      '[[command]]', 'name = "echoer"', 'module = "echo"', '',
      '[fs]', '"/photos" = "~/Pictures"', '',
    ].join('\n'));
    const r = await install(pkg);
    expect(r.app).toMatchObject({ name: 'echoer', version: '1.2.3', description: 'Copies its input', source: { kind: 'package', location: pkg } });
    expect(r.app.manifest?.needs).toEqual([{ kind: 'folder', guest: '/photos', host: '~/Pictures' }]);
    // Declared needs are never grants.
    expect(await grantsOf('echoer')).toEqual([]);
  });
});

describe('list', () => {
  it('--json gives the documented summary fields; empty library: [] and a human line', async () => {
    expect(await cliJson(home, ['list', '--json'])).toEqual([]);
    const human = await cli(home, ['list']);
    expect(human.code).toBe(0);
    expect(human.stdout).toBe('no apps installed\n');

    const r = await install(fixture('stdio.wasm'));
    const list = await cliJson<AppSummary[]>(home, ['list', '--json']);
    expect(list).toHaveLength(1);
    expect(Object.keys(list[0]!).sort()).toEqual(SUMMARY_KEYS);
    expect(list[0]).toEqual({
      id: r.app.id, name: 'stdio', version: null, description: null, size: r.app.size,
      installedAt: r.app.installedAt, lastRunAt: null, grantCount: 0,
    });
    expect((await cli(home, ['grant', 'stdio', '--env', 'A=1', '--env', 'B', '--args', 'pattern'])).code).toBe(0);
    expect((await cliJson<AppSummary[]>(home, ['list', '--json']))[0]!.grantCount).toBe(3);
  });

  it('sorts by name (case-insensitive) by default, by install time and by last run', async () => {
    const file = fixture('proc.wasm');
    for (const name of ['zeta', 'Alpha', 'beta']) await install(file, '--name', name);
    const names = async (...args: string[]): Promise<string[]> => (await cliJson<AppSummary[]>(home, ['list', '--json', ...args])).map((a) => a.name);
    expect(await names()).toEqual(['Alpha', 'beta', 'zeta']);
    expect(await names('--sort', 'name')).toEqual(['Alpha', 'beta', 'zeta']);
    expect(await names('--sort', 'installed')).toEqual(['beta', 'Alpha', 'zeta']);
    expect((await cli(home, ['run', 'zeta', '--', 'main', '0'])).code).toBe(0);
    expect((await cli(home, ['run', 'alpha', '--', 'main', '0'])).code).toBe(0);
    // Most recent run first, never-run apps last.
    expect(await names('--sort', 'last-run')).toEqual(['Alpha', 'zeta', 'beta']);
    const listed = await cliJson<AppSummary[]>(home, ['list', '--json', '--sort', 'last-run']);
    expect(listed[0]!.lastRunAt).toMatch(ISO);
    expect(listed[2]!.lastRunAt).toBeNull();
  });

  it('--search matches names and descriptions, case-insensitively, with % and _ taken literally', async () => {
    const file = fixture('proc.wasm');
    await install(file, '--name', 'Photo Viewer');
    await install(file, '--name', 'photon_2');
    await install(file, '--name', 'text tool');
    const pkg = path.join(scratch, 'pkg');
    fs.mkdirSync(pkg);
    fs.copyFileSync(fixture('stdio.wasm'), path.join(pkg, 'm.wasm'));
    fs.writeFileSync(path.join(pkg, 'wasmer.toml'), '[package]\nname = "resizer"\ndescription = "Shrinks PHOTOS, 100% offline"\n[[module]]\nname = "m"\nsource = "m.wasm"\n');
    await install(pkg);
    const search = async (q: string): Promise<string[]> => (await cliJson<AppSummary[]>(home, ['list', '--json', '--search', q])).map((a) => a.name);
    expect(await search('photo')).toEqual(['Photo Viewer', 'photon_2', 'resizer']);
    expect(await search('PHOTON')).toEqual(['photon_2']);
    expect(await search('n_')).toEqual(['photon_2']);
    expect(await search('_')).toEqual(['photon_2']);
    expect(await search('100%')).toEqual(['resizer']);
    expect(await search('%')).toEqual(['resizer']);
    expect(await search('nothing like this')).toEqual([]);
    expect(await search('')).toHaveLength(4);
  });
});

describe('info and APP references', () => {
  it('info --json is the app record plus grants and builds', async () => {
    const r = await install(fixture('args_env.wasm'));
    expect((await cli(home, ['grant', 'args_env', '--env', 'X=y'])).code).toBe(0);
    const info = await cliJson<Info>(home, ['info', 'args_env', '--json']);
    expect(Object.keys(info).sort()).toEqual([...APP_KEYS, 'builds', 'grants'].sort());
    const { grants, builds, ...record } = info;
    expect(record).toEqual(r.app);
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ kind: 'env', name: 'X', value: 'y', lastUsedAt: null });
    expect(grants[0]!.createdAt).toMatch(ISO);
    expect(builds).toEqual([{ version: null, sha256: r.app.sha256, size: r.app.size, installedAt: r.app.installedAt }]);
  });

  it('human info names the app, its source, hash and grants', async () => {
    const r = await install(fixture('args_env.wasm'));
    const out = await cli(home, ['info', 'args_env']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(`args_env  (id ${r.app.id})`);
    expect(out.stdout).toContain(r.app.sha256);
    expect(out.stdout).toContain(fixture('args_env.wasm'));
    expect(out.stdout).toMatch(/grants: +none/);
  });

  it('APP is a name in any case or an id, for every command', async () => {
    const r = await install(fixture('proc.wasm'), '--name', 'MixedCase');
    const id = r.app.id;
    for (const ref of ['MixedCase', 'mixedcase', 'MIXEDCASE', id]) {
      expect((await cliJson<Info>(home, ['info', ref, '--json'])).id).toBe(id);
      expect((await cli(home, ['grant', ref, '--env', `REF=${ref}`])).code).toBe(0);
      expect((await grantsOf(ref)).map(bare)).toEqual([{ kind: 'env', name: 'REF', value: ref }]);
      expect((await cli(home, ['run', ref, '--', 'main', '0'])).code).toBe(0);
      expect((await cliJson<RunRecord[]>(home, ['history', ref, '--json']))[0]!.args).toEqual(['main', '0']);
    }
    expect((await cli(home, ['revoke', 'mixedCASE', '--env', 'REF'])).code).toBe(0);
    expect((await cli(home, ['reset', id])).code).toBe(0);
    expect((await cli(home, ['uninstall', 'MIXEDcase'])).code).toBe(0);
    expect(await cliJson(home, ['list', '--json'])).toEqual([]);
  });
});

describe('uninstall', () => {
  it('removes the app, its grants and runs, and its module file', async () => {
    const r = await install(fixture('proc.wasm'));
    expect((await cli(home, ['grant', 'proc', '--env', 'A=1', '--timeout', '9'])).code).toBe(0);
    expect((await cli(home, ['run', 'proc', '--', 'main', '0'])).code).toBe(0);
    const u = await cli(home, ['uninstall', 'proc']);
    expect(u.code, u.stderr).toBe(0);
    expect(u.stdout).toBe('uninstalled proc\n');
    expect(await cliJson(home, ['list', '--json'])).toEqual([]);
    expect(storeFiles(home)).toEqual([]);
    expectFailure(await cli(home, ['info', r.app.id]), 1, /proc|[0-9a-f]{8}/);
    withLibrary(home, (lib) => {
      for (const t of ['apps', 'grants', 'runs', 'audit', 'builds']) {
        expect((lib.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n, t).toBe(0);
      }
      expect(libraryProblems(lib)).toEqual([]);
    });
  });

  it('identical bytes are stored once and kept while another app uses them', async () => {
    const file = fixture('stdio.wasm');
    const a = await install(file);
    const b = await install(file, '--name', 'stdio-two');
    expect(b.app.sha256).toBe(a.app.sha256);
    expect(storeFiles(home)).toEqual([`${a.app.sha256}.wasm`]);
    expect((await cli(home, ['uninstall', 'stdio'])).code).toBe(0);
    expect(storeFiles(home)).toEqual([`${a.app.sha256}.wasm`]);
    expect((await cli(home, ['run', 'stdio-two', '--', 'pattern'])).code).toBe(0);
    expect((await cli(home, ['uninstall', 'stdio-two'])).code).toBe(0);
    expect(storeFiles(home)).toEqual([]);
  });
});

describe('grant, grants, revoke, reset', () => {
  let hostA: string;
  let hostB: string;
  beforeEach(async () => {
    await install(fixture('args_env.wasm'), '--name', 'app');
    hostA = path.join(scratch, 'a');
    hostB = path.join(scratch, 'b');
    fs.mkdirSync(hostA);
    fs.mkdirSync(hostB);
  });

  it('stores exactly the grants given', async () => {
    const r = await cli(home, ['grant', 'app', '--dir', `${hostA}::/data:ro`, '--env', 'FOO=bar=baz', '--env', 'FORWARDED',
      '--args', "a 'b c'", '--memory-max', '64', '--timeout', '5']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(6);
    const gs = await grantsOf('app');
    expect(gs.map(bare)).toEqual([
      { kind: 'folder', host: fs.realpathSync(hostA), guest: '/data', access: 'read' },
      { kind: 'env', name: 'FOO', value: 'bar=baz' },
      { kind: 'env', name: 'FORWARDED', forward: true },
      { kind: 'args', args: ['a', 'b c'] },
      { kind: 'limit', name: 'memory-max-mib', value: 64 },
      { kind: 'limit', name: 'timeout-seconds', value: 5 },
    ]);
    for (const g of gs) {
      expect(Number.isInteger(g.id)).toBe(true);
      expect(g.createdAt).toMatch(ISO);
      expect(g.lastUsedAt).toBeNull();
    }
    expect(new Set(gs.map((g) => g.id)).size).toBe(6);
    // The human listing has one line per grant.
    const human = await cli(home, ['grants', 'app']);
    expect(human.stdout.trimEnd().split('\n')).toHaveLength(6);
    expect(human.stdout).toContain('read-only');
  });

  it('a new grant for the same guest path, variable, arguments or limit replaces the old one', async () => {
    expect((await cli(home, ['grant', 'app', '--dir', `${hostA}::/data:ro`, '--env', 'V=1', '--args', 'x', '--timeout', '5'])).code).toBe(0);
    expect((await cli(home, ['grant', 'app', '--dir', `${hostB}::/data`, '--env', 'V', '--args', 'y z', '--timeout', '7'])).code).toBe(0);
    expect((await grantsOf('app')).map(bare)).toEqual([
      { kind: 'folder', host: fs.realpathSync(hostB), guest: '/data', access: 'read-write' },
      { kind: 'env', name: 'V', forward: true },
      { kind: 'args', args: ['y', 'z'] },
      { kind: 'limit', name: 'timeout-seconds', value: 7 },
    ]);
    // Another guest path is another grant; a folder without ::GUEST appears at its own path.
    expect((await cli(home, ['grant', 'app', '--dir', `${hostA}::/other`, '--dir', hostA])).code).toBe(0);
    const folders = (await grantsOf('app')).filter((g) => g.kind === 'folder').map(bare);
    expect(folders).toEqual([
      { kind: 'folder', host: fs.realpathSync(hostB), guest: '/data', access: 'read-write' },
      { kind: 'folder', host: fs.realpathSync(hostA), guest: '/other', access: 'read-write' },
      { kind: 'folder', host: fs.realpathSync(hostA), guest: fs.realpathSync(hostA), access: 'read-write' },
    ]);
  });

  it('revoke by --dir (guest or host), --env, --args, --memory-max, --timeout and --id; exit 1 when nothing matched', async () => {
    expect((await cli(home, ['grant', 'app', '--dir', `${hostA}::/data`, '--dir', `${hostB}::/b`, '--env', 'A=1', '--env', 'B=2',
      '--args', 'x', '--memory-max', '32', '--timeout', '3'])).code).toBe(0);
    const kinds = async (): Promise<string[]> => (await grantsOf('app')).map((g) => (g.kind === 'folder' ? g.guest : g.kind === 'env' ? g.name : g.kind === 'limit' ? g.name : 'args'));
    expect(await kinds()).toEqual(['/data', '/b', 'A', 'B', 'args', 'memory-max-mib', 'timeout-seconds']);

    let r = await cli(home, ['revoke', 'app', '--dir', '/data']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('revoked 1 grant\n');
    r = await cli(home, ['revoke', 'app', '--dir', hostB]);
    expect(r.code, r.stderr).toBe(0);
    expect(await kinds()).toEqual(['A', 'B', 'args', 'memory-max-mib', 'timeout-seconds']);

    r = await cli(home, ['revoke', 'app', '--env', 'A', '--args']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('revoked 2 grants\n');
    r = await cli(home, ['revoke', 'app', '--memory-max']);
    expect(r.code).toBe(0);
    expect(await kinds()).toEqual(['B', 'timeout-seconds']);

    const id = (await grantsOf('app')).find((g) => g.kind === 'limit')!.id;
    r = await cli(home, ['revoke', 'app', '--id', String(id)]);
    expect(r.code).toBe(0);
    expect(await kinds()).toEqual(['B']);

    // Nothing matched: exit 1, the library unchanged.
    for (const args of [['--dir', '/data'], ['--env', 'A'], ['--args'], ['--timeout'], ['--memory-max'], ['--id', String(id)], ['--id', '999999']]) {
      r = await cli(home, ['revoke', 'app', ...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stdout).toBe('revoked 0 grants\n');
    }
    expect(await kinds()).toEqual(['B']);
  });

  it('revoke --id only touches that app', async () => {
    await install(fixture('proc.wasm'), '--name', 'other');
    expect((await cli(home, ['grant', 'other', '--env', 'O=1'])).code).toBe(0);
    const otherId = (await grantsOf('other'))[0]!.id;
    const r = await cli(home, ['revoke', 'app', '--id', String(otherId)]);
    expect(r.code).toBe(1);
    expect(await grantsOf('other')).toHaveLength(1);
  });

  it('reset removes every grant of the app and no other', async () => {
    await install(fixture('proc.wasm'), '--name', 'other');
    expect((await cli(home, ['grant', 'other', '--env', 'O=1'])).code).toBe(0);
    expect((await cli(home, ['grant', 'app', '--dir', hostA, '--env', 'A=1', '--args', 'x'])).code).toBe(0);
    let r = await cli(home, ['reset', 'app']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('removed 3 grants\n');
    expect(await grantsOf('app')).toEqual([]);
    expect(await grantsOf('other')).toHaveLength(1);
    const human = await cli(home, ['grants', 'app']);
    expect(human.stdout).toMatch(/^no grants/);
    r = await cli(home, ['reset', 'app']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('removed 0 grants\n');
  });
});

describe('history', () => {
  it('records every run: args, times, outcome, exit code, bytes written; newest first', async () => {
    await install(fixture('proc.wasm'));
    await install(fixture('trap.wasm'));
    const before = Date.now();
    const runs: [string, string[], number][] = [['proc', ['exit', '3'], 3], ['proc', ['main', '0'], 0], ['proc', ['flush', '7'], 7], ['trap', [], 134]];
    for (const [app, args, code] of runs) {
      const r = await cli(home, ['run', app, '--', ...args]);
      expect(r.code, r.stderr).toBe(code);
    }
    const h = await cliJson<RunRecord[]>(home, ['history', 'proc', '--json']);
    expect(h.map((r) => [r.args, r.outcome, r.exitCode])).toEqual([
      [['flush', '7'], 'exit', 7],
      [['main', '0'], 'exit', 0],
      [['exit', '3'], 'exit', 3],
    ]);
    for (const r of h) {
      expect(Object.keys(r).sort()).toEqual(['args', 'bytesOut', 'endedAt', 'exitCode', 'id', 'outcome', 'startedAt']);
      expect(r.startedAt).toMatch(ISO);
      expect(r.endedAt).toMatch(ISO);
      expect(Date.parse(r.startedAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(r.endedAt!)).toBeGreaterThanOrEqual(Date.parse(r.startedAt));
    }
    // "exiting 3\n" and "bye" went to stdout.
    expect(h[2]!.bytesOut).toBe('exiting 3\n'.length);
    expect(h[0]!.bytesOut).toBe('bye'.length);
    const t = await cliJson<RunRecord[]>(home, ['history', 'trap', '--json']);
    expect(t).toHaveLength(1);
    expect(t[0]).toMatchObject({ args: [], outcome: 'trap', exitCode: null });
    expect(t[0]!.bytesOut).toBeGreaterThan(0);
    const human = await cli(home, ['history', 'proc']);
    expect(human.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(human.stdout).toContain('exit 3');
  });

  it('an app never run has no history', async () => {
    await install(fixture('proc.wasm'));
    expect(await cliJson(home, ['history', 'proc', '--json'])).toEqual([]);
    expect((await cli(home, ['history', 'proc'])).stdout).toBe('no runs yet\n');
  });
});

describe('errors', () => {
  it('an unknown app: exit 1 and one line on stderr naming it, for every command', async () => {
    await install(fixture('proc.wasm'));
    const cases = [
      ['info', 'nosuchapp'], ['info', 'nosuchapp', '--json'], ['uninstall', 'nosuchapp'], ['grant', 'nosuchapp', '--env', 'A=1'],
      ['revoke', 'nosuchapp', '--env', 'A'], ['grants', 'nosuchapp'], ['grants', 'nosuchapp', '--json'], ['reset', 'nosuchapp'],
      ['history', 'nosuchapp', '--json'], ['run', 'nosuchapp'], ['run', 'nosuchapp', '--', 'x'],
    ];
    const before = withLibrary(home, (lib) => JSON.stringify(lib.list()));
    for (const args of cases) expectFailure(await cli(home, args), 1, /nosuchapp/);
    expect(withLibrary(home, (lib) => JSON.stringify(lib.list()))).toBe(before);
  });

  it('usage errors: exit 2 with the problem on the first stderr line', async () => {
    await install(fixture('proc.wasm'));
    const dir = path.join(scratch, 'd');
    fs.mkdirSync(dir);
    const cases: [string[], RegExp][] = [
      [['install'], /FILE\|URL\|FOLDER/],
      [['install', 'a.wasm', 'b.wasm'], /expected/],
      [['install', fixture('proc.wasm'), '--bogus'], /--bogus/],
      [['install', fixture('proc.wasm'), '--name'], /--name needs a value/],
      [['list', '--sort', 'size'], /--sort/],
      [['list', 'extra'], /expected/],
      [['list', '--json=1'], /--json/],
      [['info'], /APP/],
      [['info', 'proc', 'proc'], /expected/],
      [['uninstall'], /APP/],
      [['grant', 'proc'], /at least one/],
      [['grant', 'proc', '--dir', path.join(scratch, 'missing')], /no such folder/],
      [['grant', 'proc', '--dir', `${dir}::`], /empty guest path/],
      [['grant', 'proc', '--env', '=x'], /bad variable name/],
      [['grant', 'proc', '--args', "'unterminated"], /unterminated/],
      [['grant', 'proc', '--memory-max', '0'], /--memory-max/],
      [['grant', 'proc', '--memory-max', 'lots'], /--memory-max/],
      [['grant', 'proc', '--timeout', '-1'], /--timeout/],
      [['grant', 'proc', '--timeout', '1', '--timeout', '2'], /given twice/],
      [['revoke', 'proc'], /at least one/],
      [['revoke', 'proc', '--id', 'x'], /--id/],
      [['grants'], /APP/],
      [['reset'], /APP/],
      [['history'], /APP/],
      [['frobnicate'], /unknown command/],
    ];
    const before = withLibrary(home, (lib) => JSON.stringify({ apps: lib.list(), grants: lib.grants('proc') }));
    for (const [args, match] of cases) {
      const r = await cli(home, args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      const first = r.stderr.split('\n')[0]!;
      expect(first, args.join(' ')).toMatch(/^terrarium: \S/);
      expect(first, args.join(' ')).toMatch(match);
    }
    expect(withLibrary(home, (lib) => JSON.stringify({ apps: lib.list(), grants: lib.grants('proc') }))).toBe(before);
  });
});
