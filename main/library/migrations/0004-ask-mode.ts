/**
 * Version 4: ask mode (DESIGN §5). Each app's choice for access outside its grants ('ask' by
 * default, or 'deny'), and the person's "deny always" answers, which are never asked again.
 */
export const version = 4;

export const up = `
ALTER TABLE apps ADD COLUMN unknown_access TEXT NOT NULL DEFAULT 'ask' CHECK (unknown_access IN ('ask', 'deny'));
CREATE TABLE denials (
  id INTEGER PRIMARY KEY,
  app_id TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX denials_app_path ON denials (app_id, path);
`;
