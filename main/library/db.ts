/**
 * Opening the library database: WAL, foreign keys, a busy timeout, and forward-only migrations
 * run in one transaction. A database from a newer Terrarium is refused, not touched.
 */
import type Database from 'better-sqlite3';
import { CodedError } from '../shared/coded-error.ts';
import { type Migration, migrations as allMigrations } from './migrations/index.ts';

/** Opens a connection to the database `file`: read-write (created if missing), or read-only (it must exist). */
export type Connect = (file: string, readonly: boolean) => Database.Database;

/**
 * Connections through better-sqlite3, loaded at the first open (not when this module loads:
 * `terrarium run APP` opens the library through node:sqlite instead, db-node-sqlite.ts).
 */
export const betterSqlite: Connect = (file, readonly) => {
  // A plain require call with the package's name, an edge the package check (scripts/package-check) follows.
  const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
  const BetterSqlite = require('better-sqlite3') as typeof Database;
  return readonly ? new BetterSqlite(file, { readonly: true, fileMustExist: true }) : new BetterSqlite(file);
};

/** The schema version of `db` (`user_version`); refuses one newer than the last of `migrations`. */
function checkNotFuture(db: Database.Database, migrations: Migration[]): number {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) {
    throw new CodedError('future-schema', `the library was written by a newer Terrarium (schema ${current}, this one knows ${latest})`);
  }
  return current;
}

/**
 * Applies every pending migration in one transaction; refuses a database newer than the code.
 * `known` is the version the caller has just read (openDatabase): then it is not read again unless
 * there is something to migrate, and then inside the transaction (another process may have migrated
 * since), as it always is.
 */
export function migrate(db: Database.Database, migrations: Migration[] = allMigrations, known?: number): void {
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version <= migrations[i - 1]!.version) throw new Error('migration versions must increase');
  }
  const latest = migrations.at(-1)?.version ?? 0;
  if ((known ?? checkNotFuture(db, migrations)) >= latest) return;
  db.transaction(() => {
    // Read under the write lock: a process that migrated meanwhile leaves nothing (or less) to do.
    const current = checkNotFuture(db, migrations);
    for (const m of migrations) {
      if (m.version <= current) continue;
      db.exec(m.up);
      m.after?.(db);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}

/**
 * A read-only connection to the (already opened, WAL) database at `file`, held only to keep the
 * WAL: SQLite checkpoints (two fsyncs) and deletes the WAL when the last connection closes, and
 * starts a new WAL with a synced header at the next write. While this one is open, a read-write
 * connection closing is not the last; this one, read-only, never checkpoints. The WAL is then
 * checkpointed by SQLite's own auto-checkpoint (every 1000 pages) or by the next connection that
 * closes last (any other command, the window). docs/design/startup.md.
 */
export function openWalKeeper(file: string, connect: Connect = betterSqlite): Database.Database {
  const keeper = connect(file, true);
  try {
    // A connection takes its lock on the database (and, in WAL mode, keeps it) at its first read.
    keeper.pragma('user_version');
    return keeper;
  } catch (err) {
    keeper.close();
    throw err;
  }
}

/**
 * The WAL bound of a connection opened for one terminal run (Library.openForRun), in pages: its
 * `wal_autocheckpoint`, and (in bytes) its `journal_size_limit`. Such a run closes without
 * checkpointing (`openWalKeeper`), and the first connection of the next process rebuilds the WAL
 * index by reading every frame since the last checkpoint, so the WAL's length is paid by every
 * start: at SQLite's default (1000 pages, ~200 runs of 5 frames) up to ~3 ms a run, ~1.5 ms on
 * average. At 128 pages one run in ~26 checkpoints in a commit (the WAL and the database synced,
 * the restarted WAL's header synced at its next commit: 3-6 ms here) and the file is cut back to the
 * limit when the WAL restarts. The window and every other command keep SQLite's defaults (their
 * close, the last, checkpoints anyway). docs/design/runapp.md, fifth pass.
 */
export const RUN_WAL_PAGES = 128;

/** Options of openDatabase. */
export interface OpenOptions {
  /** Checkpoint at this many WAL pages and cut the WAL file back to as many pages when it restarts. */
  walPages?: number;
}

/** Opens (creating if needed) the database at `file` and brings its schema up to date. */
export function openDatabase(file: string, migrations?: Migration[], connect: Connect = betterSqlite, options: OpenOptions = {}): Database.Database {
  let db: Database.Database;
  try {
    db = connect(file, false);
  } catch (err) {
    throw new CodedError('open-failed', `cannot open the library database ${file}: ${(err as Error).message}`);
  }
  try {
    // Refuse a newer schema before any pragma that writes, so such a file is left untouched.
    const current = checkNotFuture(db, migrations ?? allMigrations);
    // One statement list, not a statement each (`terrarium run APP` pays each one's prepare).
    const wal = options.walPages === undefined
      ? ''
      // A frame is a page and its 24-byte header; the page size is SQLite's default, 4096 (never set).
      : `; PRAGMA wal_autocheckpoint = ${options.walPages}; PRAGMA journal_size_limit = ${options.walPages * (4096 + 24) + 32}`;
    db.exec(`PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL${wal}`);
    migrate(db, migrations, current);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof CodedError) throw err;
    throw new CodedError('open-failed', `the library database ${file} is unusable: ${(err as Error).message}`);
  }
}
