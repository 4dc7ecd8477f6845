/**
 * Version 10: the key app names are compared on (secreview2 hole 2; `nameKey` in
 * preload/safe-text.ts: NFKC and case folded), unique, in place of the NOCASE index on the name
 * (which folded ASCII letters only, so `café` spelt with a combining accent, or `ÉCOLE`, could sit
 * beside `café` or `école`). `after` fills the key from every existing name.
 *
 * Two existing apps whose names have the same key (installed before this version) are both kept:
 * the one installed later (then the later row) is renamed `<name> (2)` (`(3)`, … while that too is
 * taken), cut to the longest app name. Only its name changes: its id, grants, history and commands
 * (which run it by id) stay, and the catalog shows the new name, which is how the clash is reported.
 */
import type Database from 'better-sqlite3';
import { APP_NAME_MAX } from '../app-name.ts';
import { cutText, nameKey } from '../../../preload/safe-text.ts';

export const version = 10;

export const up = `
DROP INDEX apps_name;
ALTER TABLE apps ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
`;

/** Fills `name_key`, renaming the later app of a clash, then makes the key unique. */
export function after(db: Database.Database): void {
  const rows = db.prepare('SELECT id, name FROM apps ORDER BY installed_at, rowid').all() as { id: string; name: string }[];
  const taken = new Set(rows.map((r) => nameKey(r.name)));
  const kept = new Set<string>();
  const set = db.prepare('UPDATE apps SET name = ?, name_key = ? WHERE id = ?');
  for (const r of rows) {
    let name = r.name;
    let key = nameKey(name);
    // A new name must not be another app's own name either (one still to come keeps its own).
    for (let n = 2; kept.has(key) || (name !== r.name && taken.has(key)); n++) {
      const suffix = ` (${n})`;
      name = `${cutText(r.name, APP_NAME_MAX - suffix.length).text}${suffix}`;
      key = nameKey(name);
    }
    kept.add(key);
    set.run(name, key, r.id);
  }
  db.exec('CREATE UNIQUE INDEX apps_name_key ON apps (name_key)');
}
