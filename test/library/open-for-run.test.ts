/**
 * Library.openForRun (issue 14.2): `terrarium run APP`'s library, through node:sqlite with
 * better-sqlite3's API (db-node-sqlite.ts). What it writes is what better-sqlite3 reads back, its
 * transactions commit, roll back on a throw and nest as savepoints, and its close leaves the WAL.
 * Each library is closed before the other engine opens the file (one process must not hold the
 * same database through two SQLite libraries at once).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { Library } from '../../main/library/library.ts';
import { nodeSqlite } from '../../main/library/db-node-sqlite.ts';
import { migrations } from '../../main/library/migrations/index.ts';
import { RUN_WAL_PAGES } from '../../main/library/db.ts';
import { RUN_WATCH_AFTER_MS } from '../../main/library/changes.ts';
import { CLI, nodeBin } from '../helpers/paths.ts';
import { cleanup, fixture, tempDir, withLibrary } from '../helpers/library.ts';

afterEach(cleanup);

/** A data folder with app `tool` installed (through better-sqlite3, closed again). */
async function homeWithApp(): Promise<string> {
  const home = tempDir('home');
  const lib = Library.open(home);
  try {
    await lib.install({ kind: 'file', path: fixture('proc.wasm') }, { name: 'tool' });
  } finally {
    lib.close();
  }
  return home;
}

test('on Node 24 outside Electron, a run opens the library through node:sqlite', async () => {
  expect(nodeSqlite()).toBeDefined();
  const home = await homeWithApp();
  const lib = Library.openForRun(home);
  try {
    // better-sqlite3's Database has a `memory` property; the node:sqlite adapter has no such thing.
    expect('memory' in lib.db).toBe(false);
    expect(lib.db.open).toBe(true);
  } finally {
    lib.close();
  }
  expect(lib.db.open).toBe(false);
});

test('a run recorded through node:sqlite is read back by better-sqlite3, and the close leaves the WAL', async () => {
  const home = await homeWithApp();
  const lib = Library.openForRun(home);
  const app = lib.app('tool');
  const runId = lib.runStarted(app, ['a', 'b'], []);
  lib.runEnded(runId, 'exit', 3, 42);
  expect(lib.history('tool')[0]).toMatchObject({ id: runId, args: ['a', 'b'], outcome: 'exit', exitCode: 3, bytesOut: 42 });
  lib.close();
  expect(fs.statSync(path.join(home, 'library.db-wal')).size).toBeGreaterThan(0);
  const runs = withLibrary(home, (l) => l.history('tool'));
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ id: runId, args: ['a', 'b'], outcome: 'exit', exitCode: 3, bytesOut: 42 });
  expect(fs.existsSync(path.join(home, 'library.db-wal'))).toBe(false);
});

/** How many of this process's open files are `file` (Linux: /proc/self/fd). */
function openCount(file: string): number {
  const real = fs.realpathSync(file);
  return fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`) === real;
    } catch {
      return false;
    }
  }).length;
}

test('a library opened for a run until the process exits has no WAL keeper, and its close leaves the connection open', async (ctx) => {
  if (process.platform !== 'linux') ctx.skip(); // reads /proc/self/fd
  const home = await homeWithApp();
  const file = path.join(home, 'library.db');
  const kept = Library.openForRun(home);
  expect(openCount(file)).toBe(2); // the run's connection and the WAL keeper
  kept.close();
  expect(openCount(file)).toBe(0);
  const lib = Library.openForRun(home, { untilExit: true });
  expect(openCount(file)).toBe(1);
  const runId = lib.runStarted(lib.app('tool'), [], []);
  lib.runEnded(runId, 'exit', 0, 1);
  lib.close();
  // Left for process.exit to drop (it closes no SQLite connection, so nothing checkpoints).
  expect(lib.db.open).toBe(true);
  expect(openCount(file)).toBe(1);
  lib.db.close(); // this test's process does not exit here
  expect(withLibrary(home, (l) => l.history('tool')[0])).toMatchObject({ id: runId, outcome: 'exit', bytesOut: 1 });
});

test('runs one after another keep the WAL they leave short: checkpointed at RUN_WAL_PAGES, the file cut back', async () => {
  const home = await homeWithApp();
  const wal = path.join(home, 'library.db-wal');
  const frame = 4096 + 24;
  let longest = 0;
  // Each run writes 5 frames: 80 runs are 400 frames, ~3 checkpoint intervals.
  for (let i = 0; i < 80; i++) {
    const lib = Library.openForRun(home);
    const runId = lib.runStarted(lib.app('tool'), [String(i)], []);
    lib.runEnded(runId, 'exit', 0, i);
    lib.close();
    longest = Math.max(longest, fs.statSync(wal).size);
  }
  expect(longest).toBeGreaterThan(0);
  expect(longest).toBeLessThanOrEqual(32 + (RUN_WAL_PAGES + 5) * frame);
  const runs = withLibrary(home, (l) => {
    expect(l.db.pragma('integrity_check', { simple: true })).toBe('ok');
    return l.history('tool', 1000);
  });
  expect(runs).toHaveLength(80);
});

test('transactions commit, roll back on a throw, and nest as savepoints; pragma answers as better-sqlite3 does', async () => {
  const home = await homeWithApp();
  const lib = Library.openForRun(home);
  try {
    const db = lib.db;
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    const count = (): number => (db.prepare('SELECT count(*) AS n FROM once_runs').get() as { n: number }).n;
    const insert = (): number => Number(db.prepare("INSERT INTO once_runs (name, sha256, source, started_at) VALUES ('x', 'y', 'z', 1)").run().lastInsertRowid);
    expect(db.transaction(() => insert()).immediate()).toBeGreaterThan(0);
    expect(count()).toBe(1);
    expect(() => db.transaction(() => {
      insert();
      throw new Error('boom');
    }).immediate()).toThrow('boom');
    expect(count()).toBe(1);
    db.transaction(() => {
      insert();
      expect(() => db.transaction(() => {
        insert();
        throw new Error('inner');
      })()).toThrow('inner');
      expect(count()).toBe(2);
    }).immediate();
    expect(count()).toBe(2);
    expect(db.prepare('UPDATE once_runs SET outcome = ? WHERE name = ?').run('exit', 'x').changes).toBe(2);
  } finally {
    lib.close();
  }
});

test('a run in a new data folder creates the library through node:sqlite, every migration applied, whole for better-sqlite3', () => {
  const home = tempDir('home');
  const lib = Library.openForRun(home);
  expect(lib.list({})).toEqual([]);
  lib.close();
  withLibrary(home, (l) => {
    expect(l.db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    expect(l.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(l.db.pragma('foreign_key_check')).toEqual([]);
  });
});

test('a run hears of a change committed by another process before it watched: once it starts watching, RUN_WATCH_AFTER_MS in', async () => {
  const home = await homeWithApp();
  const data = tempDir('data');
  withLibrary(home, (l) => l.grant('tool', [{ kind: 'folder', host: data, guest: '/data', access: 'read' }]));
  const lib = Library.openForRun(home);
  try {
    const app = lib.app('tool');
    const before = lib.revision(app.id);
    let heard = 0;
    const stop = lib.onChange(() => void heard++);
    // Process B revokes while this process's event loop is blocked: before any watch could be set up.
    const b = spawnSync(nodeBin, [CLI, 'revoke', 'tool', '--dir', data], { env: { ...process.env, TERRARIUM_HOME: home }, encoding: 'utf8' });
    expect(b.status, b.stderr).toBe(0);
    expect(heard).toBe(0);
    await new Promise((r) => setTimeout(r, RUN_WATCH_AFTER_MS + 500));
    expect(heard).toBeGreaterThanOrEqual(1);
    expect(lib.revision(app.id)).toBeGreaterThan(before);
    stop();
  } finally {
    lib.close();
  }
}, 30_000);
