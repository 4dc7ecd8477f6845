/**
 * The `sql` helpers prepare each query once per connection (warm-runs.md: preparing was most of a
 * run's recording on main's thread): the same text runs the statement prepared before, with its
 * new parameters; another connection prepares its own; a changed schema is seen.
 */
import Database from 'better-sqlite3';
import { expect, test, vi } from 'vitest';
import { all, exec, one, run, sql } from '../../main/library/sql.ts';

function open(): Database.Database {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
  return db;
}

test('a query is prepared once per connection and bound anew each time', () => {
  const db = open();
  const prepare = vi.spyOn(db, 'prepare');
  for (const name of ['a', 'b', 'c']) exec(db, sql`INSERT INTO t (name) VALUES (${name})`);
  expect(Number(run(db, sql`INSERT INTO t (name) VALUES (${'d'})`).lastInsertRowid)).toBe(4);
  expect(one<{ name: string }>(db, sql`SELECT name FROM t WHERE id = ${2}`)?.name).toBe('b');
  expect(one<{ name: string }>(db, sql`SELECT name FROM t WHERE id = ${3}`)?.name).toBe('c');
  expect(one(db, sql`SELECT name FROM t WHERE id = ${9}`)).toBeUndefined();
  expect(all<{ name: string }>(db, sql`SELECT name FROM t WHERE id > ${1} ORDER BY id`).map((r) => r.name)).toEqual(['b', 'c', 'd']);
  expect(prepare).toHaveBeenCalledTimes(3); // the INSERT, the SELECT by id, the SELECT of a range

  const other = open();
  const otherPrepare = vi.spyOn(other, 'prepare');
  expect(one(other, sql`SELECT name FROM t WHERE id = ${2}`)).toBeUndefined();
  expect(otherPrepare).toHaveBeenCalledTimes(1);
  db.close();
  other.close();
});

test('a statement prepared before the schema changed sees the change', () => {
  const db = open();
  exec(db, sql`INSERT INTO t (name) VALUES (${'a'})`);
  expect(one(db, sql`SELECT * FROM t WHERE id = ${1}`)).toEqual({ id: 1, name: 'a' });
  db.exec('ALTER TABLE t ADD COLUMN size INTEGER DEFAULT 7');
  expect(one(db, sql`SELECT * FROM t WHERE id = ${1}`)).toEqual({ id: 1, name: 'a', size: 7 });
  db.close();
});
