/** Version 1: apps, their grants, runs and the audit log. */
export const version = 1;

export const up = `
CREATE TABLE apps (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  version TEXT,
  description TEXT,
  source_kind TEXT NOT NULL CHECK (source_kind IN ('file', 'url', 'package')),
  source TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  installed_at INTEGER NOT NULL,
  last_run_at INTEGER,
  manifest TEXT,
  inspection TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX apps_name ON apps (name COLLATE NOCASE);

CREATE TABLE grants (
  id INTEGER PRIMARY KEY,
  app_id TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('folder', 'file', 'env', 'args', 'limit')),
  host TEXT,
  guest TEXT,
  value TEXT,
  access TEXT CHECK (access IN ('read', 'read-write')),
  scope TEXT NOT NULL DEFAULT 'always' CHECK (scope IN ('always', 'this-run')),
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
) STRICT;
CREATE INDEX grants_app ON grants (app_id);

CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  app_id TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
  args TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  exit_code INTEGER,
  bytes_out INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX runs_app ON runs (app_id, started_at);

CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  app_id TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
  run_id INTEGER REFERENCES runs (id) ON DELETE CASCADE,
  operation TEXT NOT NULL,
  path TEXT,
  decision TEXT NOT NULL CHECK (decision IN ('allowed', 'prompted-allowed', 'denied')),
  at INTEGER NOT NULL
) STRICT;
CREATE INDEX audit_app ON audit (app_id, at);
`;
