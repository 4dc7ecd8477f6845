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

/** Runs a statement; returns the number of changed rows. */
export function exec(db: Database.Database, q: Query): number {
  return db.prepare(q.text).run(...q.params).changes;
}

/** All rows of a query. */
export function all<T>(db: Database.Database, q: Query): T[] {
  return db.prepare(q.text).all(...q.params) as T[];
}

/** The first row of a query, or undefined. */
export function one<T>(db: Database.Database, q: Query): T | undefined {
  return db.prepare(q.text).get(...q.params) as T | undefined;
}
