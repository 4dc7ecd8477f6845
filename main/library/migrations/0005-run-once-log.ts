/**
 * Version 5: "Run once" keeps nothing but a log entry (DESIGN §7): which module ran, when, how it
 * ended, and what it was allowed or denied. It is not an app, so it has its own table.
 */
export const version = 5;

export const up = `
CREATE TABLE once_runs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  source TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  outcome TEXT,
  exit_code INTEGER,
  decisions TEXT NOT NULL DEFAULT '[]'
) STRICT;
`;
