/**
 * The `sql` tag (Signal's pattern): values interpolated into a query become bound parameters, never
 * text, so no caller can build SQL from strings.
 */
import type Database from 'better-sqlite3';

/** A query and its bound parameters. */
export interface Query {
  text: string;
  params: unknown[];
}

type Param = string | number | bigint | null | Buffer | Uint8Array;

/** Builds a query; every `${value}` is a bound parameter. */
export function sql(strings: TemplateStringsArray, ...values: Param[]): Query {
  return { text: strings.join('?'), params: values };
}

type Statement = Database.Statement<unknown[]>;
/** Each connection's prepared statements by text (the queries are the source's own: a bounded set). */
const prepared = new WeakMap<Database.Database, Map<string, Statement>>();

/** `text` prepared on `db`, once per connection. */
function statement(db: Database.Database, text: string): Statement {
  let byText = prepared.get(db);
  if (byText === undefined) prepared.set(db, (byText = new Map()));
  let st = byText.get(text);
  if (st === undefined) byText.set(text, (st = db.prepare(text)));
  return st;
}

/** Runs a statement; returns the number of changed rows. */
export function exec(db: Database.Database, q: Query): number {
  return run(db, q).changes;
}

/** Runs a statement; returns what SQLite says of it (changed rows, the row id inserted). */
export function run(db: Database.Database, q: Query): Database.RunResult {
  return statement(db, q.text).run(...q.params);
}

/** All rows of a query. */
export function all<T>(db: Database.Database, q: Query): T[] {
  return statement(db, q.text).all(...q.params) as T[];
}

/** The first row of a query, or undefined. */
export function one<T>(db: Database.Database, q: Query): T | undefined {
  return statement(db, q.text).get(...q.params) as T | undefined;
}
