/** The `audit` and `denials` tables: every prompt and answer, denial and use of a one-time grant. */
import type Database from 'better-sqlite3';
import { all, exec, one, sql } from './sql.ts';
import type { AuditEntry, Decision, UnknownAccess } from './types.ts';
import { isoTime } from '../shared/iso-time.ts';

export type { Decision } from './types.ts';

/** One audit entry: a decision, or (`summary`) the count of a run's decisions past its cap (the contract's AuditEntry). */
export type AuditRecord = AuditEntry;

/**
 * Rows one run may add (besides one summary row per decision). An app that makes 200,000 distinct
 * denied accesses keeps its first 500 with their paths and one row counting the rest, so a flood
 * neither grows the library without bound nor pushes earlier runs' entries out of sight.
 */
export const AUDIT_ROWS_PER_RUN = 500;

/** The most entries one page of the audit log holds. */
export const AUDIT_PAGE_MAX = 10_000;

/**
 * Records one decision. Within a run, the same operation, path and decision again is counted on
 * its first row; past AUDIT_ROWS_PER_RUN rows, it is counted on the run's summary row for that
 * decision. Decisions outside a run are always a row of their own. Call it inside a transaction
 * or alone (each statement is atomic; the row count it reads is the run's own).
 */
export function addAudit(db: Database.Database, appId: string, runId: number | null, operation: string, path: string | null, decision: Decision): void {
  const now = Date.now();
  const insert = (op: string, p: string | null, summary: number): void => {
    exec(db, sql`INSERT INTO audit (app_id, run_id, operation, path, decision, at, first_at, summary) VALUES (${appId}, ${runId}, ${op}, ${p}, ${decision}, ${now}, ${now}, ${summary})`);
  };
  if (runId === null) return insert(operation, path, 0);
  db.transaction(() => {
    const bump = (op: string, p: string | null, summary: number): boolean =>
      exec(db, sql`UPDATE audit SET count = count + 1, at = ${now} WHERE run_id = ${runId} AND operation = ${op} AND path IS ${p} AND decision = ${decision} AND summary = ${summary}`) > 0;
    if (bump(operation, path, 0)) return;
    const rows = one<{ n: number }>(db, sql`SELECT count(*) AS n FROM audit WHERE run_id = ${runId} AND summary = 0`)!.n;
    if (rows < AUDIT_ROWS_PER_RUN) return insert(operation, path, 0);
    if (!bump('*', null, 1)) insert('*', null, 1);
  })();
}

interface AuditRow {
  id: number; run_id: number | null; operation: string; path: string | null; decision: Decision; at: number; count: number; first_at: number; summary: number;
}

/**
 * A page of an app's audit log, newest first: at most `limit` entries (default 1000), only those
 * with an id below `before` when given (the id of the last entry of the previous page), optionally
 * only one decision. An entry's place is its first occurrence; `at` moves as it repeats.
 */
export function listAudit(db: Database.Database, appId: string, opts: { decision?: Decision; limit?: number; before?: number } = {}): AuditRecord[] {
  const limit = Math.max(1, Math.min(opts.limit ?? 1000, AUDIT_PAGE_MAX));
  const before = opts.before ?? Number.MAX_SAFE_INTEGER;
  const q = opts.decision === undefined
    ? sql`SELECT * FROM audit WHERE app_id = ${appId} AND id < ${before} ORDER BY id DESC LIMIT ${limit}`
    : sql`SELECT * FROM audit WHERE app_id = ${appId} AND id < ${before} AND decision = ${opts.decision} ORDER BY id DESC LIMIT ${limit}`;
  return all<AuditRow>(db, q).map((r) => ({
    id: r.id, runId: r.run_id, operation: r.operation, path: r.path, decision: r.decision, at: isoTime(r.at),
    count: r.count, firstAt: isoTime(r.first_at), lastAt: isoTime(r.at), summary: r.summary === 1,
  }));
}

/** Paths the person said never to ask about again for this app. */
export function listDenials(db: Database.Database, appId: string): string[] {
  return all<{ path: string }>(db, sql`SELECT path FROM denials WHERE app_id = ${appId} ORDER BY path`).map((r) => r.path);
}

/** Remembers "deny always" for `path` (and everything below it). */
export function addDenial(db: Database.Database, appId: string, path: string): void {
  exec(db, sql`INSERT OR IGNORE INTO denials (app_id, path, created_at) VALUES (${appId}, ${path}, ${Date.now()})`);
}

/** Forgets "deny always" answers: the one for `path`, or all of the app's. */
export function removeDenials(db: Database.Database, appId: string, path?: string): number {
  return path === undefined
    ? exec(db, sql`DELETE FROM denials WHERE app_id = ${appId}`)
    : exec(db, sql`DELETE FROM denials WHERE app_id = ${appId} AND path = ${path}`);
}

/** The app's choice for access outside its grants. */
export function unknownAccess(db: Database.Database, appId: string): UnknownAccess {
  return all<{ unknown_access: UnknownAccess }>(db, sql`SELECT unknown_access FROM apps WHERE id = ${appId}`)[0]?.unknown_access ?? 'ask';
}

/** Sets the app's choice for access outside its grants. */
export function setUnknownAccess(db: Database.Database, appId: string, mode: UnknownAccess): void {
  exec(db, sql`UPDATE apps SET unknown_access = ${mode} WHERE id = ${appId}`);
}
