/**
 * The library's database API (the part of better-sqlite3's it uses: statements run, got and
 * listed, `pragma`, `transaction` with `.immediate()`, `exec`, `close`, `open`) over Node's own
 * `node:sqlite`, for `terrarium run APP` (Library.openForRun): loading better-sqlite3 and its
 * native module costs ~10 ms of CPU at every start, `node:sqlite` is in Node already
 * (docs/design/startup.md). The SQL, the schema and the migrations are the same; the window, the
 * packaged app (Electron) and every other command keep better-sqlite3.
 *
 * One process never opens the library through both: two SQLite libraries in one process do not
 * see each other's POSIX locks.
 */
import type Database from 'better-sqlite3';
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';

type Engine = typeof import('node:sqlite');

/** `node:sqlite` where the command may use it: Node 24 or later, not Electron (Node 22.x, where it is still experimental). */
export function nodeSqlite(): Engine | undefined {
  if (process.versions.electron !== undefined || Number(process.versions.node.split('.')[0]) < 24) return undefined;
  try {
    return process.getBuiltinModule('node:sqlite') as Engine | undefined;
  } catch {
    return undefined;
  }
}

/** A transaction as better-sqlite3 makes it: nested calls become savepoints; a throw rolls back. */
function transaction<A extends unknown[], R>(db: DatabaseSync, fn: (...args: A) => R, begin: string): (...args: A) => R {
  return (...args: A): R => {
    if (db.isTransaction) {
      db.exec('SAVEPOINT terrarium_nested');
      try {
        const r = fn(...args);
        db.exec('RELEASE terrarium_nested');
        return r;
      } catch (err) {
        db.exec('ROLLBACK TO terrarium_nested');
        db.exec('RELEASE terrarium_nested');
        throw err;
      }
    }
    db.exec(begin);
    try {
      const r = fn(...args);
      db.exec('COMMIT');
      return r;
    } catch (err) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw err;
    }
  };
}

/** `db` with the part of better-sqlite3's API the library uses. */
function adapt(db: DatabaseSync): Database.Database {
  const api = {
    get open(): boolean {
      return db.isOpen;
    },
    prepare(text: string) {
      const st = db.prepare(text);
      return {
        run: (...params: SQLInputValue[]) => st.run(...params),
        get: (...params: SQLInputValue[]) => st.get(...params),
        all: (...params: SQLInputValue[]) => st.all(...params),
      };
    },
    exec(text: string) {
      db.exec(text);
      return api;
    },
    pragma(text: string, options?: { simple?: boolean }): unknown {
      const rows = db.prepare(`PRAGMA ${text}`).all();
      if (options?.simple !== true) return rows;
      const first = rows[0];
      return first === undefined ? undefined : Object.values(first)[0];
    },
    transaction<A extends unknown[], R>(fn: (...args: A) => R) {
      return Object.assign(transaction(db, fn, 'BEGIN'), {
        deferred: transaction(db, fn, 'BEGIN DEFERRED'),
        immediate: transaction(db, fn, 'BEGIN IMMEDIATE'),
        exclusive: transaction(db, fn, 'BEGIN EXCLUSIVE'),
      });
    },
    close() {
      db.close();
      return api;
    },
  };
  return api as unknown as Database.Database;
}

/** Opens `file` through `engine` (read-only: it must exist), with better-sqlite3's API. */
export function openNodeSqlite(engine: Engine, file: string, readonly: boolean): Database.Database {
  // As better-sqlite3 opens it: defensive (no writing the schema by hand), double-quoted strings
  // are names only, a 5 s busy timeout.
  return adapt(new engine.DatabaseSync(file, { readOnly: readonly, timeout: 5000, defensive: true, enableDoubleQuotedStringLiterals: false }));
}
