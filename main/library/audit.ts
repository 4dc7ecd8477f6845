/** The `audit` and `denials` tables: every prompt and answer, denial and use of a one-time grant. */
import type Database from 'better-sqlite3';
import { all, exec, sql } from './sql.ts';

/** How an access outside the grants was decided. */
export type Decision = 'allowed' | 'prompted-allowed' | 'denied';

/** One audit entry. */
export interface AuditRecord {
  id: number;
  runId: number | null;
  operation: string;
  path: string | null;
  decision: Decision;
  at: string;
}

/** Records one decision. */
export function addAudit(db: Database.Database, appId: string, runId: number | null, operation: string, path: string | null, decision: Decision): void {
  exec(db, sql`INSERT INTO audit (app_id, run_id, operation, path, decision, at) VALUES (${appId}, ${runId}, ${operation}, ${path}, ${decision}, ${Date.now()})`);
}

/** An app's audit log, newest first, optionally only one decision. */
export function listAudit(db: Database.Database, appId: string, opts: { decision?: Decision; limit?: number } = {}): AuditRecord[] {
  const q = opts.decision === undefined
    ? sql`SELECT * FROM audit WHERE app_id = ${appId} ORDER BY at DESC, id DESC LIMIT ${opts.limit ?? 1000}`
    : sql`SELECT * FROM audit WHERE app_id = ${appId} AND decision = ${opts.decision} ORDER BY at DESC, id DESC LIMIT ${opts.limit ?? 1000}`;
  return all<{ id: number; run_id: number | null; operation: string; path: string | null; decision: Decision; at: number }>(db, q).map((r) => ({
    id: r.id, runId: r.run_id, operation: r.operation, path: r.path, decision: r.decision, at: new Date(r.at).toISOString(),
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
export function unknownAccess(db: Database.Database, appId: string): 'ask' | 'deny' {
  return all<{ unknown_access: 'ask' | 'deny' }>(db, sql`SELECT unknown_access FROM apps WHERE id = ${appId}`)[0]?.unknown_access ?? 'ask';
}

/** Sets the app's choice for access outside its grants. */
export function setUnknownAccess(db: Database.Database, appId: string, mode: 'ask' | 'deny'): void {
  exec(db, sql`UPDATE apps SET unknown_access = ${mode} WHERE id = ${appId}`);
}
