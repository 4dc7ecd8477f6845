/**
 * Crash safety (issue 3, point 8): a `terrarium` process SIGKILLed in the middle of an install, a
 * run or an uninstall leaves a library that opens (the open sweeps), passes
 * `PRAGMA integrity_check`, shows either the old state or the new one, and keeps no temp file and
 * no module file that no app uses.
 *
 * Kills land at random moments (seeded, with delays adapted to a measured install time so that
 * some really fall inside the install), and at chosen points through a small fault injector loaded
 * with `node --import` that SIGKILLs the process right before or after a given store operation, or
 * stalls it there (to open a race window between two processes deterministically).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Library } from '../../main/library/library.ts';
import type { GrantInput, RunRecord } from '../../main/library/types.ts';
import { cli, cliJson, collect, sleep, spawnCli, waitForOutput } from '../helpers/cli.ts';
import { fixture, FLITE as flitePath } from '../helpers/paths.ts';
import { libraryProblems, storeFiles, withLibrary } from '../helpers/library.ts';
import { prng } from '../helpers/random.ts';
import { sha256, withCustomSection } from '../helpers/wasm-assembler.ts';
import { tempDir } from '../helpers/temp.ts';

const SEED = 0x7e11a;

/**
 * The fault injector, loaded into the CLI with `node --import`. TERRARIUM_TEST_FAULT picks one:
 *   kill-before-rename / kill-after-rename   SIGKILL around the rename of a temp file into the store
 *   kill-after-module-rm                     SIGKILL right after a stored module file is removed
 *   stall-after-module-check                 pause after the first "is this module stored?" check
 * A stall writes "fault: stalling" to stderr, then blocks the process for TERRARIUM_TEST_STALL_MS.
 */
const INJECTOR = `
import fs from 'node:fs';
const fault = process.env.TERRARIUM_TEST_FAULT ?? '';
const MODULE = /[\\\\/]store[\\\\/][0-9a-f]{64}\\.wasm$/;
const stall = () => {
  process.stderr.write('fault: stalling\\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.env.TERRARIUM_TEST_STALL_MS ?? 2000));
};
const kill = () => process.kill(process.pid, 'SIGKILL');
const rm = fs.rmSync;
fs.rmSync = function (p, ...rest) {
  const r = rm.call(this, p, ...rest);
  if (fault === 'kill-after-module-rm' && MODULE.test(String(p))) kill();
  return r;
};
const rename = fs.renameSync;
fs.renameSync = function (from, to) {
  if (fault === 'kill-before-rename' && MODULE.test(String(to))) kill();
  const r = rename.call(this, from, to);
  if (fault === 'kill-after-rename' && MODULE.test(String(to))) kill();
  return r;
};
const exists = fs.existsSync;
let stalled = false;
fs.existsSync = function (p) {
  const r = exists.call(this, p);
  if (fault === 'stall-after-module-check' && !stalled && MODULE.test(String(p))) {
    stalled = true;
    stall();
  }
  return r;
};
`;

let work: string;
let injector: string;
beforeAll(() => {
  work = tempDir('terrarium-crash-');
  injector = path.join(work, 'inject.mjs');
  fs.writeFileSync(injector, INJECTOR);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A fresh data folder under the work folder. */
function newHome(name: string): string {
  const h = path.join(work, name);
  fs.mkdirSync(h);
  return h;
}

/** Runs the CLI with fault `fault` injected. */
function faulty(home: string, fault: string, args: string[], env: Record<string, string> = {}) {
  return spawnCli(home, args, { nodeArgs: ['--import', injector], env: { TERRARIUM_TEST_FAULT: fault, ...env } });
}

/** Everything about one app that a crash must not change (or must change all of). */
function appState(lib: Library, name: string): string | null {
  const app = lib.db.prepare('SELECT * FROM apps WHERE name = ? COLLATE NOCASE').get(name) as { id: string } | undefined;
  if (!app) return null;
  const rows = (table: string) => lib.db.prepare(`SELECT * FROM ${table} WHERE app_id = ? ORDER BY id`).all(app.id);
  return JSON.stringify({ app, grants: rows('grants'), runs: rows('runs'), builds: rows('builds'), audit: rows('audit') });
}

/** Rows left behind in the tables that hang off apps, for apps that no longer exist. */
function strayRows(lib: Library): number {
  let n = 0;
  for (const t of ['grants', 'runs', 'builds', 'audit']) {
    n += (lib.db.prepare(`SELECT count(*) AS n FROM ${t} WHERE app_id NOT IN (SELECT id FROM apps)`).get() as { n: number }).n;
  }
  return n;
}

const WITNESS_GRANTS: GrantInput[] = [
  { kind: 'env', name: 'WITNESS', value: 'yes' },
  { kind: 'args', args: ['main', '0'] },
  { kind: 'limit', name: 'timeout-seconds', value: 30 },
];

describe('SIGKILL in the middle of an install', () => {
  it('leaves the app either absent or fully present, and nothing orphaned, at random moments', async () => {
    const home = newHome('install');
    const rand = prng(SEED);
    const flite = fs.readFileSync(flitePath);
    const copy = (tag: string): { file: string; sha: string } => {
      const bytes = withCustomSection(flite, 'terrarium-crash-test', tag);
      const file = path.join(work, `flite-${tag}.wasm`);
      fs.writeFileSync(file, bytes);
      return { file, sha: sha256(bytes) };
    };

    // A witness app with grants and a run: every crash below must leave it exactly as it is.
    const witness = await cliJson<{ app: { id: string } }>(home, ['install', fixture('proc.wasm'), '--name', 'witness', '--json']);
    withLibrary(home, (lib) => lib.grant('witness', WITNESS_GRANTS));
    expect((await cli(home, ['run', 'witness'])).code).toBe(0);
    const witnessState = withLibrary(home, (lib) => appState(lib, 'witness'));

    // How long a process takes to start and open the library, and how long a whole install takes.
    let t = Date.now();
    await cli(home, ['list', '--json']);
    const startup = Date.now() - t;
    const m = copy('measure');
    t = Date.now();
    const measured = await cli(home, ['install', m.file, '--name', 'measure']);
    const installMs = Date.now() - t;
    expect(measured.code, measured.stderr).toBe(0);
    fs.rmSync(m.file);
    withLibrary(home, (lib) => lib.uninstall('measure'));

    interface Attempt { delay: number; killed: boolean; present: boolean; swept: string[]; bucket: string }
    const attempts: Attempt[] = [];
    // The window where a kill lands inside the install: [lo, hi), from start-up to the install's end.
    let lo = startup;
    let hi = Math.max(installMs, startup + 20);
    const landedInside = (a: Attempt): boolean => a.killed && !a.present && (a.swept.length > 0 || a.delay >= startup);
    const deadline = Date.now() + 45_000;
    for (let i = 0; i < 25 && Date.now() < deadline; i++) {
      const haveInside = attempts.some(landedInside);
      const havePresent = attempts.some((a) => a.present);
      if (i >= 15 && haveInside && havePresent) break;
      // Mostly inside the install, some before it, some after its end; past 15 attempts, only
      // where an outcome is still missing.
      const bucket = i >= 15 ? (havePresent ? 'mid' : 'late') : i % 5 === 0 ? 'early' : i % 5 === 4 ? 'late' : 'mid';
      const u = rand();
      const delay = Math.round(bucket === 'early' ? u * lo
        : bucket === 'late' ? hi * (1 + 0.5 * u)
        : lo + u * (hi - lo));
      const name = `crash-${i}`;
      const c = copy(name);
      const child = spawnCli(home, ['install', c.file, '--name', name]);
      const done = collect(child, 60_000);
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      const r = await done;
      clearTimeout(timer);
      fs.rmSync(c.file);
      const killed = r.signal === 'SIGKILL';
      if (!killed) expect(r.code, r.stderr).toBe(0);

      const before = storeFiles(home);
      const a = withLibrary(home, (lib) => {
        const swept = before.filter((f) => !storeFiles(home).includes(f));
        expect(libraryProblems(lib), `attempt ${i} (delay ${delay} ms, killed ${killed})`).toEqual([]);
        expect(strayRows(lib)).toBe(0);
        expect(appState(lib, 'witness')).toBe(witnessState);
        const row = lib.db.prepare('SELECT id, sha256 FROM apps WHERE name = ?').get(name) as { id: string; sha256: string } | undefined;
        if (row) {
          expect(row.sha256).toBe(c.sha);
          expect(lib.builds(row.id).map((b) => b.sha256)).toEqual([c.sha]);
          expect(fs.existsSync(path.join(home, 'store', `${c.sha}.wasm`))).toBe(true);
          lib.uninstall(row.id); // keeps the store small for the next attempt
        } else {
          expect(killed, `attempt ${i}: the process exited without installing`).toBe(true);
          expect(fs.existsSync(path.join(home, 'store', `${c.sha}.wasm`))).toBe(false);
        }
        return { delay, killed, present: row !== undefined, swept, bucket };
      });
      attempts.push(a);
      // Adapt: a kill inside the window that found the app installed means installs end sooner;
      // a late kill that found it absent means they end later than thought.
      if (a.present && a.delay < hi) hi = Math.max(a.delay, lo + 10);
      if (a.present && a.bucket === 'mid' && hi - lo <= 10) lo = Math.round(lo * 0.7);
      if (!a.present && a.bucket === 'late') hi = Math.round(a.delay * 1.3);
    }
    const summary = JSON.stringify({ startup, installMs, lo, hi, attempts });
    const absentAfterKill = attempts.filter((a) => a.killed && !a.present);
    const present = attempts.filter((a) => a.present);
    expect(attempts.length, summary).toBeGreaterThanOrEqual(10);
    expect(absentAfterKill.length, summary).toBeGreaterThan(0);
    expect(present.length, summary).toBeGreaterThan(0);
    // At least one kill landed after the process had started and before the install committed.
    expect(attempts.some(landedInside), summary).toBe(true);
    // The witness still runs with its grants.
    const w = await cli(home, ['run', witness.app.id]);
    expect(w.code, w.stderr).toBe(0);
  }, 90_000);

  it.each([
    ['kill-before-rename', 'a complete temp file, not yet in the store'],
    ['kill-after-rename', 'the module in the store, its row not committed'],
  ])('%s (%s): the app is absent and the open sweeps the file', async (fault) => {
    const home = newHome(fault);
    const file = path.join(work, `${fault}.wasm`);
    const bytes = withCustomSection(fs.readFileSync(fixture('proc.wasm')), 'terrarium-crash-test', fault);
    fs.writeFileSync(file, bytes);
    const r = await collect(faulty(home, fault, ['install', file]));
    expect(r.signal).toBe('SIGKILL');
    const left = storeFiles(home);
    expect(left, 'the kill landed where it was meant to').toHaveLength(1);
    expect(left[0]).toMatch(fault === 'kill-before-rename' ? /^tmp-\d+-[0-9a-f]+$/ : new RegExp(`^${sha256(bytes)}\\.wasm$`));
    withLibrary(home, (lib) => {
      expect(libraryProblems(lib)).toEqual([]);
      expect(lib.list()).toEqual([]);
    });
    expect(storeFiles(home)).toEqual([]);
    // The same install then succeeds.
    const again = await cli(home, ['install', file]);
    expect(again.code, again.stderr).toBe(0);
    expect(storeFiles(home)).toEqual([`${sha256(bytes)}.wasm`]);
  });

  it('kill-after-module-rm while updating an app to a new build: the old build stays runnable or the new one is in', async () => {
    const home = newHome('update');
    const file = path.join(work, 'tool.wasm');
    const v1 = fs.readFileSync(fixture('proc.wasm'));
    fs.writeFileSync(file, v1);
    expect((await cli(home, ['install', file])).code).toBe(0);
    withLibrary(home, (lib) => lib.grant('tool', WITNESS_GRANTS));
    const v2 = withCustomSection(v1, 'terrarium-crash-test', 'v2');
    fs.writeFileSync(file, v2);
    const r = await collect(faulty(home, 'kill-after-module-rm', ['install', file]));
    expect(r.signal).toBe('SIGKILL');
    withLibrary(home, (lib) => {
      expect(libraryProblems(lib)).toEqual([]);
      expect([sha256(v1), sha256(v2)]).toContain(lib.app('tool').sha256);
      expect(lib.grants('tool').map((g) => g.kind)).toEqual(['env', 'args', 'limit']);
    });
    const run = await cli(home, ['run', 'tool']);
    expect(run.code, run.stderr).toBe(0);
  });
});

describe('SIGKILL in the middle of a run', () => {
  it('the run shows as interrupted; the app, its grants and the library are intact', async () => {
    const home = newHome('run');
    await cli(home, ['install', fixture('spin.wasm')]);
    withLibrary(home, (lib) => lib.grant('spin', [{ kind: 'env', name: 'A', value: '1' }, { kind: 'limit', name: 'timeout-seconds', value: 600 }]));
    const before = withLibrary(home, (lib) => ({ app: lib.app('spin'), grants: lib.grants('spin').map((g) => ({ ...g, lastUsedAt: null })) }));

    for (const mode of ['sleep', 'busy']) {
      const child = spawnCli(home, ['run', 'spin', '--', mode]);
      const done = collect(child, 30_000);
      await waitForOutput(child, `spinning ${mode}\n`);
      // While it runs, history says so.
      const running = await cliJson<RunRecord[]>(home, ['history', 'spin', '--json']);
      expect(running[0]).toMatchObject({ args: [mode], outcome: 'running', endedAt: null, exitCode: null });
      child.kill('SIGKILL');
      const r = await done;
      expect(r.signal).toBe('SIGKILL');
    }

    const runs = await cliJson<RunRecord[]>(home, ['history', 'spin', '--json']);
    expect(runs.map((r) => [r.args, r.outcome, r.endedAt, r.exitCode])).toEqual([
      [['busy'], 'interrupted', null, null],
      [['sleep'], 'interrupted', null, null],
    ]);
    withLibrary(home, (lib) => {
      expect(libraryProblems(lib)).toEqual([]);
      const app = lib.app('spin');
      expect({ ...app, lastRunAt: null }).toEqual({ ...before.app, lastRunAt: null });
      expect(app.lastRunAt).toBe(runs[0]!.startedAt);
      const grants = lib.grants('spin');
      expect(grants.map((g) => ({ ...g, lastUsedAt: null }))).toEqual(before.grants);
      for (const g of grants) expect(g.lastUsedAt).not.toBeNull();
    });

    // The library goes on: the next run is recorded as usual.
    expect((await cli(home, ['grant', 'spin', '--timeout', '0.3'])).code).toBe(0);
    const next = await cli(home, ['run', 'spin', '--', 'busy']);
    expect(next.code).toBe(124);
    const after = await cliJson<RunRecord[]>(home, ['history', 'spin', '--json']);
    expect(after.map((r) => r.outcome)).toEqual(['timeout', 'interrupted', 'interrupted']);
  });

  it('kills at random moments around the start of a run never leave a run "running" or the library damaged', async () => {
    const home = newHome('run-random');
    await cli(home, ['install', fixture('spin.wasm')]);
    withLibrary(home, (lib) => lib.grant('spin', [{ kind: 'limit', name: 'timeout-seconds', value: 60 }]));
    const rand = prng(SEED + 1);
    for (let i = 0; i < 6; i++) {
      const child = spawnCli(home, ['run', 'spin', '--', 'busy']);
      const done = collect(child, 30_000);
      const delay = Math.round(30 + rand() * 250);
      await sleep(delay);
      child.kill('SIGKILL');
      await done;
      withLibrary(home, (lib) => {
        expect(libraryProblems(lib), `kill after ${delay} ms`).toEqual([]);
        const runs = lib.history('spin');
        for (const r of runs) expect(r.outcome, `kill after ${delay} ms`).toBe('interrupted');
        expect(lib.grants('spin')).toHaveLength(1);
      });
    }
  });
});

describe('SIGKILL in the middle of an uninstall', () => {
  it('at random moments: the app is either wholly there (runnable, with its grants) or wholly gone', async () => {
    const home = newHome('uninstall-random');
    const rand = prng(SEED + 2);
    const proc = fs.readFileSync(fixture('proc.wasm'));
    const t = Date.now();
    await cli(home, ['list', '--json']);
    // How long an uninstall process lives, adapted as attempts show it.
    let span = Date.now() - t;
    const outcomes: string[] = [];
    for (let i = 0; i < 14; i++) {
      if (i >= 8 && outcomes.some((o) => o.includes('killed'))) break;
      const name = `victim-${i}`;
      const file = path.join(work, `${name}.wasm`);
      const bytes = withCustomSection(proc, 'terrarium-crash-test', name);
      fs.writeFileSync(file, bytes);
      expect((await cli(home, ['install', file])).code).toBe(0);
      withLibrary(home, (lib) => lib.grant(name, WITNESS_GRANTS));
      expect((await cli(home, ['run', name])).code).toBe(0);
      const before = withLibrary(home, (lib) => appState(lib, name));
      const child = spawnCli(home, ['uninstall', name]);
      const done = collect(child, 30_000);
      // Even attempts aim inside the command's life, odd ones around its end.
      const delay = Math.round(span * (i % 2 === 0 ? 0.5 + 0.5 * rand() : 0.9 + 0.4 * rand()));
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      const r = await done;
      clearTimeout(timer);
      if (r.signal !== 'SIGKILL') span = Math.max(5, Math.round(delay * 0.85)); // it ended before the kill
      const there = withLibrary(home, (lib) => {
        expect(libraryProblems(lib), `attempt ${i}`).toEqual([]);
        expect(strayRows(lib)).toBe(0);
        const now = appState(lib, name);
        if (now === null) {
          expect(storeFiles(home)).not.toContain(`${sha256(bytes)}.wasm`);
          outcomes.push(r.signal === 'SIGKILL' ? 'gone (killed)' : 'gone');
          return false;
        }
        expect(r.signal).toBe('SIGKILL');
        expect(now).toBe(before);
        outcomes.push('there (killed)');
        return true;
      });
      if (there) {
        const again = await cli(home, ['run', name]);
        expect(again.code, again.stderr).toBe(0);
        expect((await cli(home, ['uninstall', name])).code).toBe(0);
      }
      fs.rmSync(file);
    }
    expect(outcomes.length).toBeGreaterThanOrEqual(8);
    expect(outcomes.some((o) => o.includes('killed')), outcomes.join(', ')).toBe(true);
  });

  it('killed right after the module file is removed: the app is still wholly there, or wholly gone', async () => {
    const home = newHome('uninstall-rm');
    expect((await cli(home, ['install', fixture('proc.wasm')])).code).toBe(0);
    withLibrary(home, (lib) => lib.grant('proc', WITNESS_GRANTS));
    const r = await collect(faulty(home, 'kill-after-module-rm', ['uninstall', 'proc']));
    expect(r.signal).toBe('SIGKILL');
    withLibrary(home, (lib) => {
      expect(libraryProblems(lib)).toEqual([]);
    });
    const list = await cliJson<unknown[]>(home, ['list', '--json']);
    if (list.length > 0) {
      const run = await cli(home, ['run', 'proc']);
      expect(run.code, run.stderr).toBe(0);
    }
  });
});

describe('two processes at once', () => {
  it('installing bytes already stored while another process uninstalls the app that has them', async () => {
    // Process A installs proc.wasm under a second name. Its bytes are already in the store (app
    // "proc" has them), so A decides not to write them; A is held right after that check while
    // process B uninstalls "proc", which removes the module file. A then commits its app.
    const home = newHome('race');
    expect((await cli(home, ['install', fixture('proc.wasm')])).code).toBe(0);
    const a = faulty(home, 'stall-after-module-check', ['install', fixture('proc.wasm'), '--name', 'proc-two'], { TERRARIUM_TEST_STALL_MS: '1500' });
    const aDone = collect(a, 30_000);
    await new Promise<void>((resolve, reject) => {
      let err = '';
      a.stderr!.on('data', (b: Buffer) => {
        err += b.toString();
        if (err.includes('fault: stalling')) resolve();
      });
      a.on('close', () => reject(new Error(`A ended before stalling: ${err}`)));
    });
    const b = await cli(home, ['uninstall', 'proc']);
    expect(b.code, b.stderr).toBe(0);
    const ar = await aDone;
    expect(ar.code, ar.stderr).toBe(0);
    withLibrary(home, (lib) => {
      expect(lib.list().map((x) => x.name)).toEqual(['proc-two']);
      expect(libraryProblems(lib)).toEqual([]);
    });
    const run = await cli(home, ['run', 'proc-two', '--', 'main', '0']);
    expect(run.code, run.stderr).toBe(0);
  });
});
