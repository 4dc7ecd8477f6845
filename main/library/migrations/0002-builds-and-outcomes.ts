/**
 * Version 2: every build an app has had (a reinstall keeps the app, its grants and history and
 * records the new build here), and how each run ended beyond its exit code.
 */
export const version = 2;

export const up = `
CREATE TABLE builds (
  id INTEGER PRIMARY KEY,
  app_id TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
  version TEXT,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  installed_at INTEGER NOT NULL
) STRICT;
CREATE INDEX builds_app ON builds (app_id, installed_at);
INSERT INTO builds (app_id, version, sha256, size, installed_at)
  SELECT id, version, sha256, size, installed_at FROM apps;

ALTER TABLE runs ADD COLUMN outcome TEXT;
ALTER TABLE runs ADD COLUMN pid INTEGER;
UPDATE runs SET outcome = 'exit' WHERE ended_at IS NOT NULL;
`;
