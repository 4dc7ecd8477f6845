/**
 * The launcher (DESIGN §5): `policyFor` turns stored grants into a run's frozen policy, and
 * `terrarium run APP [-- ARGS]` runs an installed app with exactly those grants, records the run,
 * applies the granted limits, refuses a module whose bytes changed on disk, and runs a real
 * third-party program (flite) that writes only into its granted folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { policyFor } from '../../main/launcher/policy.ts';
import type { AppRecord, GrantRecord, RunRecord } from '../../main/library/types.ts';
import { cli, cliInstall, cliJson, collect, spawnCli, waitForOutput } from '../helpers/cli.ts';
import { fixture, FLITE as flitePath } from '../helpers/paths.ts';
import { libraryProblems, storeFiles, withLibrary } from '../helpers/library.ts';
import { removeTempDirs, tempDir } from '../helpers/temp.ts';

const MiB = 1024 * 1024;
const meta = (id: number) => ({ id, createdAt: '2026-01-01T00:00:00.000Z', lastUsedAt: null });

describe('policyFor', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('terrarium-policy-');
    fs.mkdirSync(path.join(dir, 'ro'));
    fs.mkdirSync(path.join(dir, 'rw'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const sample = (): GrantRecord[] => [
    { kind: 'folder', host: path.join(dir, 'ro'), guest: '/in', access: 'read', ...meta(1) },
    { kind: 'folder', host: path.join(dir, 'rw'), guest: '/out', access: 'read-write', ...meta(2) },
    { kind: 'env', name: 'FIXED', value: 'a=b c', ...meta(3) },
    { kind: 'env', name: 'FWD', forward: true, ...meta(4) },
    { kind: 'env', name: 'UNSET', forward: true, ...meta(5) },
    { kind: 'env', name: 'EMPTY', value: '', ...meta(6) },
    { kind: 'args', args: ['-v', 'two words'], ...meta(7) },
    { kind: 'limit', name: 'memory-max-mib', value: 64, ...meta(8) },
    { kind: 'limit', name: 'timeout-seconds', value: 5, ...meta(9) },
  ];
  const hostEnv = { FWD: 'from host', OTHER: 'never passed', PATH: '/usr/bin' };

  it('maps every kind of grant, and nothing else', () => {
    const p = policyFor(sample(), hostEnv);
    // Each folder with what it is now (issue 9: the worker opens exactly that folder).
    const pin = (p: string) => {
      const st = fs.statSync(p, { bigint: true });
      return { resolved: fs.realpathSync(p), dev: String(st.dev), ino: String(st.ino), born: st.birthtimeNs > 0n ? String(st.birthtimeNs) : null };
    };
    expect(p.preopens).toEqual([
      { hostPath: fs.realpathSync(path.join(dir, 'ro')), guestPath: '/in', readOnly: true, upgradable: true, grantId: 1, pin: pin(path.join(dir, 'ro')) },
      { hostPath: fs.realpathSync(path.join(dir, 'rw')), guestPath: '/out', readOnly: false, grantId: 2, pin: pin(path.join(dir, 'rw')) },
    ]);
    expect(p.stale).toEqual([]);
    // Forwarded from the fake host env; the unset forwarded variable is left out; nothing else passes.
    expect(p.env).toEqual([['FIXED', 'a=b c'], ['FWD', 'from host'], ['EMPTY', '']]);
    expect(p.defaultArgs).toEqual(['-v', 'two words']);
    expect(p.memoryMaxBytes).toBe(64 * MiB);
    expect(p.timeoutMs).toBe(5000);
    expect([...p.grantIds]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('no grants: no folders, no environment, no arguments, no limits', () => {
    const p = policyFor([], hostEnv);
    expect(p).toEqual({ preopens: [], env: [], defaultArgs: [], memoryMaxBytes: undefined, timeoutMs: undefined, grantIds: [], stale: [], readOnlyDirs: [] });
  });

  it('reads forwarded variables from the given host environment, at the time of the call', () => {
    const grants: GrantRecord[] = [{ kind: 'env', name: 'FWD', forward: true, ...meta(1) }];
    expect(policyFor(grants, {}).env).toEqual([]);
    expect(policyFor(grants, { FWD: '' }).env).toEqual([['FWD', '']]);
    expect(policyFor(grants, { FWD: 'x' }).env).toEqual([['FWD', 'x']]);
  });

  it('fractional limits become whole bytes and milliseconds', () => {
    const p = policyFor([
      { kind: 'limit', name: 'memory-max-mib', value: 1.5, ...meta(1) },
      { kind: 'limit', name: 'timeout-seconds', value: 0.25, ...meta(2) },
    ], {});
    expect(p.memoryMaxBytes).toBe(1.5 * MiB);
    expect(p.timeoutMs).toBe(250);
  });

  it('the result is frozen all the way down: assigning throws (strict mode)', () => {
    const p = policyFor(sample(), hostEnv);
    expect(Object.isFrozen(p)).toBe(true);
    for (const part of [p.preopens, p.env, p.defaultArgs, p.grantIds, ...p.preopens, ...p.env]) expect(Object.isFrozen(part)).toBe(true);
    const w = p as unknown as Record<string, unknown>;
    expect(() => { w.timeoutMs = 1; }).toThrow(TypeError);
    expect(() => { w.memoryMaxBytes = 1; }).toThrow(TypeError);
    expect(() => { w.extra = 1; }).toThrow(TypeError);
    expect(() => { (p.preopens as unknown as unknown[]).push({ hostPath: '/', guestPath: '/', readOnly: false }); }).toThrow(TypeError);
    expect(() => { (p.preopens[0] as unknown as Record<string, unknown>).readOnly = false; }).toThrow(TypeError);
    expect(() => { (p.preopens[0] as unknown as Record<string, unknown>).hostPath = '/'; }).toThrow(TypeError);
    expect(() => { (p.env as unknown as unknown[]).push(['X', 'y']); }).toThrow(TypeError);
    expect(() => { (p.env[0] as unknown as string[])[1] = 'changed'; }).toThrow(TypeError);
    expect(() => { (p.defaultArgs as unknown as string[])[0] = 'changed'; }).toThrow(TypeError);
    expect(p.preopens[0]!.readOnly).toBe(true);
    expect(p.timeoutMs).toBe(5000);
  });

  // Issue 9 changed this: such a grant used to fail the whole run (PolicyError); now the run
  // starts without it and the grant is reported stale, naming the folder.
  it('a granted folder that no longer exists (or is now a file) is left out as stale, naming it', () => {
    const gone = path.join(dir, 'gone');
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, 'x');
    const p = policyFor([
      { kind: 'folder', host: gone, guest: '/g', access: 'read', ...meta(1) },
      { kind: 'folder', host: file, guest: '/f', access: 'read-write', ...meta(2) },
    ], {});
    expect(p.preopens).toEqual([]);
    expect(p.stale.map((s) => s.grantId)).toEqual([1, 2]);
    expect(p.stale[0]!.reason).toContain(gone);
    expect(p.stale[1]!.reason).toContain(file);
  });
});

describe('terrarium run APP', () => {
  let home: string;
  let scratch: string;
  beforeEach(() => {
    home = tempDir('home');
    scratch = tempDir('scratch');
  });
  afterEach(removeTempDirs);

  const install = async (file: string, ...extra: string[]): Promise<AppRecord> => (await cliInstall(home, file, ...extra)).app;
  const history = (app: string): Promise<RunRecord[]> => cliJson<RunRecord[]>(home, ['history', app, '--json']);

  it('runs with the default args, then the given ones, and exactly the granted environment', async () => {
    // args_env.wasm checks that argv[0] is "args_env.wasm"; the app's name is its argv[0], so it is
    // installed under that name and run by id (a word ending in .wasm names a module file).
    const app = await install(fixture('args_env.wasm'), '--name', 'args_env.wasm');
    const g = await cli(home, ['grant', app.id, '--env', 'FIXED=one two', '--env', 'FWD', '--env', 'UNSET_HERE', '--args', "first 'second arg'"]);
    expect(g.code, g.stderr).toBe(0);
    const hostEnv = { FWD: 'forwarded value', NOT_GRANTED: 'secret', UNSET_HERE: undefined };
    const r = await cli(home, ['run', app.id, '--', 'third', '--flag', ''], { env: hostEnv });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      'argc=6', 'argv[0]=args_env.wasm', 'argv[1]=first', 'argv[2]=second arg', 'argv[3]=third', 'argv[4]=--flag', 'argv[5]=',
      'envc=2', 'env=FIXED=one two', 'env=FWD=forwarded value', 'ok 17 checks',
    ]);
    const [run] = await history(app.id);
    expect(run).toMatchObject({ args: ['first', 'second arg', 'third', '--flag', ''], outcome: 'exit', exitCode: 0, bytesOut: Buffer.byteLength(r.stdout) });
    // The grants the run used are marked as used.
    const grants = await cliJson<{ lastUsedAt: string | null }[]>(home, ['grants', app.id, '--json']);
    for (const gr of grants) expect(gr.lastUsedAt).toBe(run!.startedAt);
    const info = await cliJson<AppRecord>(home, ['info', app.id, '--json']);
    expect(info.lastRunAt).toBe(run!.startedAt);
  });

  it('without grants an app sees no environment and only its name; words after APP without -- are its args too', async () => {
    const app = await install(fixture('args_env.wasm'), '--name', 'args_env.wasm');
    const r = await cli(home, ['run', app.id, 'x', 'y'], { env: { SOMETHING: 'x' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual(['argc=3', 'argv[0]=args_env.wasm', 'argv[1]=x', 'argv[2]=y', 'envc=0', 'ok 17 checks']);
  });

  it('the granted memory cap applies', async () => {
    await install(fixture('grow.wasm'));
    let r = await cli(home, ['run', 'grow', '--', '64']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('got 64 MiB');
    expect((await cli(home, ['grant', 'grow', '--memory-max', '16'])).code).toBe(0);
    r = await cli(home, ['run', 'grow', '--', '64']);
    expect(r.code, r.stderr).toBe(0);
    const got = Number(/got (\d+) MiB/.exec(r.stdout)?.[1]);
    expect(got).toBeGreaterThan(0);
    expect(got).toBeLessThan(16);
    const pages = Number(/memory (\d+) pages/.exec(r.stdout)?.[1]);
    expect(pages).toBeLessThanOrEqual(16 * 16);
  });

  it('the granted time limit applies: exit 124, history outcome "timeout"', async () => {
    await install(fixture('spin.wasm'));
    expect((await cli(home, ['grant', 'spin', '--timeout', '1'])).code).toBe(0);
    const t0 = Date.now();
    const r = await cli(home, ['run', 'spin', '--', 'busy'], { timeoutMs: 20_000 });
    const took = Date.now() - t0;
    expect(r.code, r.stderr).toBe(124);
    expect(r.stdout).toBe('spinning busy\n');
    expect(r.stderr).toMatch(/time limit of 1 s/);
    expect(took).toBeGreaterThanOrEqual(1000);
    expect(took).toBeLessThan(10_000);
    const [run] = await history('spin');
    expect(run).toMatchObject({ args: ['busy'], outcome: 'timeout', exitCode: null, bytesOut: 'spinning busy\n'.length });
    expect(run!.endedAt).not.toBeNull();
  });

  it('a granted time limit beyond 24.8 days (2^31 ms) does not stop the app at once', async () => {
    // Either the grant is refused as a usage error, or the limit is honoured as (at least) that long.
    await install(fixture('proc.wasm'));
    const g = await cli(home, ['grant', 'proc', '--timeout', '3000000']);
    if (g.code === 2) return;
    expect(g.code, g.stderr).toBe(0);
    const r = await cli(home, ['run', 'proc', '--', 'main', '0']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await history('proc'))[0]!.outcome).toBe('exit');
  });

  it('a granted memory cap above wasm32\'s 4 GiB is refused when granted, or means no cap below 4 GiB', async () => {
    await install(fixture('grow.wasm'));
    const g = await cli(home, ['grant', 'grow', '--memory-max', '100000']);
    if (g.code === 2) return;
    expect(g.code, g.stderr).toBe(0);
    const r = await cli(home, ['run', 'grow', '--', '8']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('got 8 MiB');
  });

  it('Ctrl+C (SIGINT) stops the app: exit 130, history outcome "cancelled" with its end time', async () => {
    await install(fixture('spin.wasm'));
    const child = spawnCli(home, ['run', 'spin', '--', 'sleep']);
    const done = collect(child, 20_000);
    await waitForOutput(child, 'spinning sleep\n');
    child.kill('SIGINT');
    const r = await done;
    expect(r.code, r.stderr).toBe(130);
    const [run] = await history('spin');
    expect(run).toMatchObject({ args: ['sleep'], outcome: 'cancelled', exitCode: null, bytesOut: 'spinning sleep\n'.length });
    expect(run!.endedAt).not.toBeNull();
  });

  it('run APP runs the installed app even when a file of that name is in the current folder', async () => {
    // README: `terrarium run APP [-- ARGS...]`, APP being an app's name or id. A file that merely
    // shares the name (a native build of the same tool, an output file) must not shadow the app.
    await install(fixture('proc.wasm'));
    fs.writeFileSync(path.join(scratch, 'proc'), 'not the app\n');
    const r = await cli(home, ['run', 'proc', '--', 'exit', '5'], { cwd: scratch });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('exiting 5\n');
  });

  it('refuses a module whose stored bytes changed on disk, and records no run', async () => {
    const app = await install(fixture('proc.wasm'));
    expect((await cli(home, ['run', 'proc', '--', 'main', '0'])).code).toBe(0);
    const stored = path.join(home, 'store', `${app.sha256}.wasm`);
    const bytes = fs.readFileSync(stored);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0x01;
    fs.writeFileSync(stored, bytes);
    const before = await history('proc');
    const r = await cli(home, ['run', 'proc', '--', 'main', '0']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^terrarium: .*changed/);
    expect(r.stderr).toContain(app.sha256);
    expect(await history('proc')).toEqual(before);
    expect((await cliJson<AppRecord>(home, ['info', 'proc', '--json'])).lastRunAt).toBe(before[0]!.startedAt);
    // A module file that is gone altogether is refused the same way.
    fs.rmSync(stored);
    const gone = await cli(home, ['run', 'proc', '--', 'main', '0']);
    expect(gone.code).toBe(1);
    expect(gone.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(await history('proc')).toEqual(before);
  });

  // Issue 9 changed this: the run used to be refused (exit 1, no run recorded); now it starts
  // without the folder, and one line names the stale grant and how to grant it again.
  it('a granted folder that is gone: the run starts without it, one line naming it', async () => {
    await install(fixture('proc.wasm'));
    const d = path.join(scratch, 'd');
    fs.mkdirSync(d);
    expect((await cli(home, ['grant', 'proc', '--dir', `${d}::/d`])).code).toBe(0);
    fs.rmdirSync(d);
    const r = await cli(home, ['run', 'proc', '--', 'main', '0']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`is stale: ${fs.realpathSync(scratch)}/d no longer exists`);
    expect(r.stderr).toContain(`terrarium grant proc --dir ${fs.realpathSync(scratch)}/d::/d`);
    expect(await history('proc')).toHaveLength(1);
  });

  it('flite.wasm (third party) installed, granted a folder, writes a RIFF/WAVE there and nothing elsewhere', async () => {
    const app = await install(flitePath);
    expect(app.name).toBe('flite');
    const out = path.join(scratch, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(scratch, 'neighbour.txt'), 'untouched');
    expect((await cli(home, ['grant', 'flite', '--dir', `${out}::/out`])).code).toBe(0);
    const storeBefore = storeFiles(home);
    const listing = (dir: string): string[] => (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
    const r = await cli(home, ['run', 'flite', '--', '-t', 'hello', '-o', '/out/x.wav'], { cwd: scratch, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(listing(out)).toEqual(['x.wav']);
    expect(listing(scratch)).toEqual(['neighbour.txt', 'out', path.join('out', 'x.wav')]);
    expect(fs.readFileSync(path.join(scratch, 'neighbour.txt'), 'utf8')).toBe('untouched');
    expect(storeFiles(home)).toEqual(storeBefore);
    // The library's own files: the database, the store, and the change signal (library/changes.ts).
    expect(fs.readdirSync(home).filter((f) => !/^library\.db(-wal|-shm)?$/.test(f) && f !== 'revocations').sort()).toEqual(['store']);
    const wav = fs.readFileSync(path.join(out, 'x.wav'));
    expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.subarray(8, 12).toString('latin1')).toBe('WAVE');
    expect(wav.subarray(12, 16).toString('latin1')).toBe('fmt ');
    expect(wav.readUInt16LE(20)).toBe(1); // PCM
    expect(wav.subarray(36, 40).toString('latin1')).toBe('data');
    expect(wav.readUInt32LE(40)).toBe(wav.length - 44);
    expect(wav.length).toBeGreaterThan(4000);
    const [run] = await history('flite');
    expect(run).toMatchObject({ args: ['-t', 'hello', '-o', '/out/x.wav'], outcome: 'exit', exitCode: 0 });

    // Granted again read-only (the new grant replaces the old one): flite cannot write there.
    const ro = path.join(scratch, 'ro');
    fs.mkdirSync(ro);
    expect((await cli(home, ['grant', 'flite', '--dir', `${ro}::/out:ro`])).code).toBe(0);
    const r2 = await cli(home, ['run', 'flite', '--', '-t', 'hello', '-o', '/out/y.wav'], { cwd: scratch, timeoutMs: 120_000 });
    // flite reports the refused file on stderr but exits 0 (its own behaviour).
    expect(r2.stderr).toContain(`can't open file "/out/y.wav"`);
    expect(listing(ro)).toEqual([]);
    expect(listing(out)).toEqual(['x.wav']);
    withLibrary(home, (lib) => expect(libraryProblems(lib)).toEqual([]));
  });
});
