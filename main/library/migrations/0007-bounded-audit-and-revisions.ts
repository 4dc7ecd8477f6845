/**
 * Version 7: a bounded audit log and revocation that reaches every process (issue 9, points 5-6).
 *
 * - `audit` rows are coalesced per run: the same operation, path and decision again only raises
 *   `count` and moves `at` (the last time); `first_at` keeps the first. A run keeps at most a fixed
 *   number of rows (library/audit.ts); past it, one `summary` row per decision counts the rest.
 * - A "Run once" log entry keeps as many decisions as a run's audit; `more_decisions` counts the rest.
 * - `apps.revision` rises in the same transaction as every change that takes access away (revoke,
 *   reset, "deny always", unknown access set to deny), so a running run in any process can tell
 *   that its app's permissions shrank (launcher/revocation.ts).
 */
export const version = 7;

export const up = `
ALTER TABLE audit ADD COLUMN count INTEGER NOT NULL DEFAULT 1 CHECK (count >= 1);
ALTER TABLE audit ADD COLUMN first_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit ADD COLUMN summary INTEGER NOT NULL DEFAULT 0 CHECK (summary IN (0, 1));
UPDATE audit SET first_at = at;
CREATE INDEX audit_run_entry ON audit (run_id, operation, path, decision, summary);
CREATE INDEX audit_app_id ON audit (app_id, id);
DROP INDEX audit_app;
ALTER TABLE apps ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE once_runs ADD COLUMN more_decisions INTEGER NOT NULL DEFAULT 0;
`;
