/**
 * The schema (issue 3 point 1): WAL, foreign keys, `PRAGMA user_version`, forward-only
 * migrations tested by migrating a database created at version 1, a database from a newer
 * Terrarium refused and left alone, and a file that is not a database refused, not overwritten.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import { type Connect, RUN_WAL_PAGES, migrate, openDatabase } from '../../main/library/db.ts';
import { Library } from '../../main/library/library.ts';
import { CodedError } from '../../main/shared/coded-error.ts';
import { migrations } from '../../main/library/migrations/index.ts';
import { cleanup, expectLibraryError, fixture, openLibrary, sha256, storeListing, tempDir } from '../helpers/library.ts';

afterEach(cleanup);

const LATEST = migrations.at(-1)!.version;

describe('migrations', () => {
  test('the list has versions 1, 2, … in order, each with SQL', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    for (const m of migrations) expect(m.up.trim().length).toBeGreaterThan(0);
  });

  test('a database created at version 1 is migrated to the latest with its data', async () => {
    const home = tempDir('terrarium-home-');
    const file = path.join(home, 'library.db');
    const v1 = new Database(file);
    migrate(v1, [migrations[0]!]);
    expect(v1.pragma('user_version', { simple: true })).toBe(1);
    expect(v1.prepare(`SELECT name FROM sqlite_master WHERE name = 'builds'`).get()).toBeUndefined();
    const bytes = fs.readFileSync(fixture('stdio'));
    const hash = sha256(bytes);
    v1.prepare(`INSERT INTO apps (id, name, version, description, source_kind, source, sha256, size, installed_at, inspection)
      VALUES ('0a1b2c3d', 'old-app', '0.9', 'from version 1', 'file', '/somewhere/old-app.wasm', ?, ?, 1700000000000, '{"sha256":"x"}')`)
      .run(hash, bytes.length);
    v1.prepare(`INSERT INTO grants (app_id, kind, host, guest, access, created_at) VALUES ('0a1b2c3d', 'folder', '/tmp', '/tmp', 'read', 1700000000001)`).run();
    v1.prepare(`INSERT INTO runs (id, app_id, args, started_at, ended_at, exit_code, bytes_out) VALUES (1, '0a1b2c3d', '["-x"]', 1700000001000, 1700000002000, 7, 99)`).run();
    v1.prepare(`INSERT INTO runs (id, app_id, args, started_at) VALUES (2, '0a1b2c3d', '[]', 1700000003000)`).run();
    v1.close();
    // Its module is in the store, as a version-1 Terrarium would have left it.
    fs.mkdirSync(path.join(home, 'store'));
    fs.writeFileSync(path.join(home, 'store', `${hash}.wasm`), bytes);

    const lib = openLibrary(home);
    expect(lib.db.pragma('user_version', { simple: true })).toBe(LATEST);
    const app = lib.app('old-app');
    expect(app).toMatchObject({ id: '0a1b2c3d', version: '0.9', description: 'from version 1', sha256: hash, size: bytes.length });
    expect(app.installedAt).toBe(new Date(1700000000000).toISOString());
    // Migration 2 backfilled the first build from the app row.
    expect(lib.builds('old-app')).toEqual([{ version: '0.9', sha256: hash, size: bytes.length, installedAt: app.installedAt }]);
    // The ended run is an 'exit'; the one that never ended (no pid recorded) is 'interrupted'.
    const runs = lib.history('old-app');
    expect(runs.map((r) => [r.id, r.outcome, r.exitCode, r.bytesOut])).toEqual([[2, 'interrupted', null, 0], [1, 'exit', 7, 99]]);
    expect(lib.grants('old-app')).toHaveLength(1);
    // The sweep on open kept the module the old app uses.
    expect(storeListing(home).map((f) => f.name)).toEqual([`${hash}.wasm`]);
    // And the migrated library works: a reinstall of a new build is recorded.
    expect(lib.moduleBytes(app).length).toBe(bytes.length);
  });

  test('opening an up-to-date library again changes nothing', () => {
    const home = tempDir('terrarium-home-');
    const lib = openLibrary(home);
    const schema = lib.db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
    lib.close();
    const again = openLibrary(home);
    expect(again.db.pragma('user_version', { simple: true })).toBe(LATEST);
    expect(again.db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all()).toEqual(schema);
  });

  test('migration versions must increase', () => {
    const db = new Database(':memory:');
    try {
      expect(() => migrate(db, [{ version: 2, up: 'CREATE TABLE a (x)' }, { version: 1, up: 'CREATE TABLE b (x)' }])).toThrow(/must increase/);
      expect(() => migrate(db, [{ version: 1, up: 'CREATE TABLE a (x)' }, { version: 1, up: 'CREATE TABLE b (x)' }])).toThrow(/must increase/);
      // Nothing was applied.
      expect(db.pragma('user_version', { simple: true })).toBe(0);
      expect(db.prepare(`SELECT count(*) AS n FROM sqlite_master`).get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  test('a failing migration is rolled back whole: no half-applied schema, version unchanged', () => {
    const db = new Database(':memory:');
    try {
      migrate(db, [migrations[0]!]);
      const schema = db.prepare('SELECT name FROM sqlite_master ORDER BY name').all();
      const broken = [migrations[0]!, { version: 2, up: 'CREATE TABLE half (x); THIS IS NOT SQL;' }, { version: 3, up: 'CREATE TABLE never (x)' }];
      expect(() => migrate(db, broken)).toThrow();
      expect(db.pragma('user_version', { simple: true })).toBe(1);
      expect(db.prepare('SELECT name FROM sqlite_master ORDER BY name').all()).toEqual(schema);
    } finally {
      db.close();
    }
  });

  test('pending migrations run in order from the current version', () => {
    const db = new Database(':memory:');
    try {
      const list = [
        { version: 1, up: `CREATE TABLE t (step TEXT)` },
        { version: 3, up: `INSERT INTO t VALUES ('three')` },
        { version: 7, up: `INSERT INTO t VALUES ('seven')` },
      ];
      migrate(db, list.slice(0, 2));
      expect(db.pragma('user_version', { simple: true })).toBe(3);
      migrate(db, list);
      migrate(db, list);
      expect(db.pragma('user_version', { simple: true })).toBe(7);
      expect(db.prepare('SELECT step FROM t ORDER BY rowid').all()).toEqual([{ step: 'three' }, { step: 'seven' }]);
    } finally {
      db.close();
    }
  });

  test('two processes opening an old library at once: the one that waited for the write lock does not migrate again', () => {
    const home = tempDir('terrarium-home-');
    const file = path.join(home, 'library.db');
    const v1 = new Database(file);
    migrate(v1, [migrations[0]!]);
    v1.close();
    // This open's version reads come first; the other process migrates just before this one's transaction begins.
    const connect: Connect = (f) => {
      const db = new Database(f);
      const transaction = db.transaction.bind(db);
      db.transaction = ((fn: () => unknown) => {
        const other = new Database(f);
        migrate(other, migrations);
        other.close();
        return transaction(fn);
      }) as typeof db.transaction;
      return db;
    };
    const db = openDatabase(file, migrations, connect);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST);
    } finally {
      db.close();
    }
  });

  test('a version read before another connection migrated: the migrations it applied are not run again', () => {
    const home = tempDir('terrarium-home-');
    const file = path.join(home, 'library.db');
    const list = [
      { version: 1, up: `CREATE TABLE t (step TEXT)` },
      { version: 2, up: `INSERT INTO t VALUES ('two')` },
      { version: 3, up: `INSERT INTO t VALUES ('three')` },
    ];
    const a = new Database(file);
    const b = new Database(file);
    try {
      migrate(a, list.slice(0, 1));
      // b read version 1 (openDatabase's read), then a migrated to 2 before b's transaction.
      const known = b.pragma('user_version', { simple: true }) as number;
      migrate(a, list.slice(0, 2));
      migrate(b, list, known);
      expect(b.pragma('user_version', { simple: true })).toBe(3);
      expect(b.prepare('SELECT step FROM t ORDER BY rowid').all()).toEqual([{ step: 'two' }, { step: 'three' }]);
    } finally {
      a.close();
      b.close();
    }
  });
});

describe('migration 10: the name key (secreview2 hole 2)', () => {
  /** A library at version 9 holding apps named `names` (installed in that order) and a grant for each. */
  function v9Library(names: string[]): string {
    const home = tempDir('terrarium-home-');
    const v9 = new Database(path.join(home, 'library.db'));
    migrate(v9, migrations.filter((m) => m.version <= 9));
    const bytes = fs.readFileSync(fixture('stdio'));
    names.forEach((name, i) => {
      v9.prepare(`INSERT INTO apps (id, name, source_kind, source, sha256, size, installed_at, inspection)
        VALUES (?, ?, 'file', ?, ?, ?, ?, '{"sha256":"x"}')`).run(`a${i}`, name, `/x/${i}.wasm`, sha256(bytes), bytes.length, 1700000000000 + i);
      v9.prepare(`INSERT INTO grants (app_id, kind, host, guest, access, created_at) VALUES (?, 'folder', ?, '/d', 'read', 1)`).run(`a${i}`, `/d${i}`);
    });
    v9.close();
    fs.mkdirSync(path.join(home, 'store'));
    fs.writeFileSync(path.join(home, 'store', `${sha256(bytes)}.wasm`), bytes);
    return home;
  }

  const rows = (lib: Library): { id: string; name: string; name_key: string }[] =>
    lib.db.prepare('SELECT id, name, name_key FROM apps ORDER BY id').all() as { id: string; name: string; name_key: string }[];

  for (const opener of ['Library.open', 'Library.openForRun'] as const) {
    test(`keys are filled from the names; of two that clash the later is renamed, both kept (${opener})`, () => {
      const long = '\u00e9'.repeat(100);
      const home = v9Library(['caf\u00e9', 'CAFE\u0301', 'Caf\u00e9 (2)', long, '\u00c9'.repeat(100), 'plain']);
      const lib = opener === 'Library.open' ? openLibrary(home) : Library.openForRun(home);
      try {
        expect(lib.db.pragma('user_version', { simple: true })).toBe(LATEST);
        expect(rows(lib)).toEqual([
          { id: 'a0', name: 'caf\u00e9', name_key: 'caf\u00e9' },
          // The later café, renamed; "(2)" is the name of another app, which keeps it.
          { id: 'a1', name: 'CAFE\u0301 (3)', name_key: 'caf\u00e9 (3)' },
          { id: 'a2', name: 'Caf\u00e9 (2)', name_key: 'caf\u00e9 (2)' },
          { id: 'a3', name: long, name_key: long },
          // Cut to the longest name with the suffix.
          { id: 'a4', name: `${'\u00c9'.repeat(95)}\u2026 (2)`, name_key: `${'\u00e9'.repeat(95)}... (2)` }, // NFKC: … is ...
          { id: 'a5', name: 'plain', name_key: 'plain' },
        ]);
        expect(rows(lib)[4]!.name).toHaveLength(100);
        // Nothing dropped: every app keeps its grant; a lookup in either form finds the first.
        for (let i = 0; i < 6; i++) expect(lib.grants(`a${i}`).map((g) => g.kind === 'folder' && g.host)).toEqual([`/d${i}`]);
        expect(lib.app('CAF\u00c9').id).toBe('a0');
        expect(lib.app('cafe\u0301 (3)').id).toBe('a1');
        // The key is unique: a row the library did not check is refused by SQLite itself.
        expect(() => lib.db.prepare(`UPDATE apps SET name_key = 'plain' WHERE id = 'a0'`).run()).toThrow(/UNIQUE/);
      } finally {
        lib.close();
      }
    });
  }

  test('a migration step in JS that throws rolls the whole migration back', () => {
    const db = new Database(':memory:');
    try {
      migrate(db, [{ version: 1, up: 'CREATE TABLE t (x)' }]);
      const failing = { version: 2, up: `INSERT INTO t VALUES (1)`, after: (): void => {
        throw new Error('no');
      } };
      expect(() => migrate(db, [{ version: 1, up: 'CREATE TABLE t (x)' }, failing])).toThrow('no');
      expect(db.pragma('user_version', { simple: true })).toBe(1);
      expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});

describe('opening', () => {
  test('a library opened for a run (node:sqlite) has the same settings: WAL, foreign keys, busy timeout, synchronous NORMAL', () => {
    const home = tempDir('terrarium-home-');
    openLibrary(home).close();
    const lib = Library.openForRun(home);
    try {
      expect(lib.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(lib.db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(lib.db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(lib.db.pragma('synchronous', { simple: true })).toBe(1);
      expect(lib.db.pragma('user_version', { simple: true })).toBe(LATEST);
      // Its own WAL bound (db.ts RUN_WAL_PAGES); every other open keeps SQLite's defaults.
      expect(lib.db.pragma('wal_autocheckpoint', { simple: true })).toBe(RUN_WAL_PAGES);
      expect(lib.db.pragma('journal_size_limit', { simple: true })).toBe(RUN_WAL_PAGES * 4120 + 32);
    } finally {
      lib.close();
    }
  });

  test('a library opened by the window or another command keeps the WAL defaults of SQLite (auto-checkpoint at 1000 pages, no size limit)', () => {
    const home = tempDir('terrarium-home-');
    const lib = openLibrary(home);
    try {
      expect(lib.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
      expect(lib.db.pragma('journal_size_limit', { simple: true })).toBe(-1);
    } finally {
      lib.close();
    }
  });

  test('WAL journal and foreign keys are on', async () => {
    const home = tempDir('terrarium-home-');
    const lib = openLibrary(home);
    expect(lib.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(lib.db.pragma('foreign_keys', { simple: true })).toBe(1);
    // Foreign keys are enforced, not just declared.
    expect(() => lib.db.prepare(`INSERT INTO grants (app_id, kind, created_at) VALUES ('nobody', 'env', 1)`).run()).toThrow(/FOREIGN KEY/);
    // And cascade: uninstalling removes grants, runs, audit rows and builds.
    const { app } = await lib.install({ kind: 'file', path: fixture('stdio') });
    lib.grant(app.id, [{ kind: 'env', name: 'A', value: '1' }]);
    const run = lib.runStarted(app, [], []);
    lib.db.prepare(`INSERT INTO audit (app_id, run_id, operation, decision, at) VALUES (?, ?, 'open', 'allowed', 1)`).run(app.id, run);
    lib.uninstall(app.id);
    for (const t of ['apps', 'grants', 'runs', 'audit', 'builds']) {
      expect(lib.db.prepare(`SELECT count(*) AS n FROM ${t}`).get(), t).toEqual({ n: 0 });
    }
  });

  test('a database from a newer Terrarium (rollback journal) is refused and its file left untouched', () => {
    const home = tempDir('terrarium-home-');
    const file = path.join(home, 'library.db');
    const future = new Database(file);
    future.exec(`CREATE TABLE apps (id TEXT PRIMARY KEY, shiny_new_column TEXT); INSERT INTO apps VALUES ('x', 'y');`);
    future.pragma(`user_version = ${LATEST + 5}`);
    future.close();
    const before = fs.readFileSync(file);
    const filesBefore = fs.readdirSync(home).sort();

    let err: unknown;
    try {
      openLibrary(home);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CodedError);
    expect((err as CodedError).code).toBe('future-schema');
    expect((err as CodedError).message).toMatch(new RegExp(`newer Terrarium \\(schema ${LATEST + 5}, this one knows ${LATEST}\\)`));
    // Not touched: same bytes (not even converted to WAL), no new files next to it.
    expect(sha256(fs.readFileSync(file))).toBe(sha256(before));
    expect(fs.readdirSync(home).sort().filter((f) => f !== 'store')).toEqual(filesBefore);
  });

  test('a database from a newer Terrarium (already WAL) is refused and its file left untouched', () => {
    const home = tempDir('terrarium-home-');
    const file = path.join(home, 'library.db');
    const future = new Database(file);
    future.pragma('journal_mode = WAL');
    future.exec(`CREATE TABLE apps (id TEXT PRIMARY KEY); INSERT INTO apps VALUES ('x');`);
    future.pragma(`user_version = ${LATEST + 1}`);
    future.close();
    const before = fs.readFileSync(file);
    expect(() => openLibrary(home)).toThrow(/newer Terrarium/);
    expect(sha256(fs.readFileSync(file))).toBe(sha256(before));
    const check = new Database(file, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(LATEST + 1);
      expect(check.prepare('SELECT * FROM apps').all()).toEqual([{ id: 'x' }]);
    } finally {
      check.close();
    }
  });

  test('a file that is not a database is refused as open-failed and not overwritten', async () => {
    const home = tempDir('terrarium-home-');
    const file = path.join(home, 'library.db');
    const garbage = Buffer.from('this is not a database, it is a note to myself. '.repeat(200));
    fs.writeFileSync(file, garbage);
    const err = await expectLibraryError(() => openLibrary(home), 'open-failed', /library\.db/);
    expect(err.message).toMatch(/not a database/);
    expect(fs.readFileSync(file).equals(garbage)).toBe(true);
  });
});
