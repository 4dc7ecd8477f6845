/** The `runs` table: every run of an app, how it ended and how much it wrote. */
import type Database from 'better-sqlite3';
import { all, exec, run, sql } from './sql.ts';
import type { RunRecord } from './types.ts';
import { isoTime } from '../shared/iso-time.ts';

interface RunRow {
  id: number; args: string; started_at: number; ended_at: number | null; exit_code: number | null;
  bytes_out: number; outcome: string | null; pid: number | null;
}

function alive(pid: number | null): boolean {
  if (pid === null) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Records the start of a run by process `pid`; returns its id. */
export function startRunRow(db: Database.Database, appId: string, args: string[], now: number, pid: number): number {
  const id = Number(run(db, sql`INSERT INTO runs (app_id, args, started_at, pid) VALUES (${appId}, ${JSON.stringify(args)}, ${now}, ${pid})`).lastInsertRowid);
  exec(db, sql`UPDATE apps SET last_run_at = ${now} WHERE id = ${appId}`);
  return id;
}

/** Records how a run ended. */
export function endRunRow(db: Database.Database, runId: number, outcome: string, exitCode: number | null, bytesOut: number, now: number): void {
  exec(db, sql`UPDATE runs SET ended_at = ${now}, outcome = ${outcome}, exit_code = ${exitCode}, bytes_out = ${bytesOut} WHERE id = ${runId}`);
}

/** An app's runs, newest first; a run whose process died without ending it is 'interrupted'. */
export function listRuns(db: Database.Database, appId: string, limit = 100): RunRecord[] {
  return all<RunRow>(db, sql`SELECT * FROM runs WHERE app_id = ${appId} ORDER BY started_at DESC, id DESC LIMIT ${limit}`).map((r) => ({
    id: r.id,
    args: JSON.parse(r.args) as string[],
    startedAt: isoTime(r.started_at),
    endedAt: r.ended_at === null ? null : isoTime(r.ended_at),
    outcome: r.ended_at !== null ? r.outcome ?? 'exit' : alive(r.pid) ? 'running' : 'interrupted',
    exitCode: r.exit_code,
    bytesOut: r.bytes_out,
  }));
}
