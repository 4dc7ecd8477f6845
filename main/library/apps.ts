/** The `apps` and `builds` tables. */
import type Database from 'better-sqlite3';
import type { Inspection } from './inspect.ts';
import { nameKey } from '../../preload/safe-text.ts';
import { all, exec, one, sql } from './sql.ts';
import type { TranspiledRecord } from './transpiled-store.ts';
import type { AppKind, AppRecord, AppSummary, Manifest, SortOrder } from './types.ts';
import { isoTime } from '../shared/iso-time.ts';

/** The kind column follows from the inspection, so the two never disagree. */
const kindOf = (i: Inspection): AppKind => (i.component ? 'component' : 'preview1');

interface AppRow {
  id: string; name: string; version: string | null; description: string | null; source_kind: string;
  source: string; sha256: string; size: number; installed_at: number; last_run_at: number | null;
  manifest: string | null; inspection: string; kind: string;
}

const iso = (ms: number | null): string | null => (ms === null ? null : isoTime(ms));

function toRecord(r: AppRow): AppRecord {
  return {
    id: r.id, name: r.name, version: r.version, description: r.description,
    source: { kind: r.source_kind as AppRecord['source']['kind'], location: r.source },
    sha256: r.sha256, size: r.size, installedAt: iso(r.installed_at)!, lastRunAt: iso(r.last_run_at),
    manifest: r.manifest === null ? null : (JSON.parse(r.manifest) as Manifest),
    inspection: JSON.parse(r.inspection) as Inspection,
    kind: r.kind as AppKind,
  };
}

/** The app with id `ref`, else the one named `ref` (compared on `nameKey`: case and normal form aside). */
export function findApp(db: Database.Database, ref: string): AppRecord | undefined {
  const r = one<AppRow>(db, sql`SELECT * FROM apps WHERE id = ${ref}`)
    ?? one<AppRow>(db, sql`SELECT * FROM apps WHERE name_key = ${nameKey(ref)}`);
  return r && toRecord(r);
}

/** The app named `name` (compared on `nameKey`), ignoring ids. */
export function findAppByName(db: Database.Database, name: string): AppRecord | undefined {
  const r = one<AppRow>(db, sql`SELECT * FROM apps WHERE name_key = ${nameKey(name)}`);
  return r && toRecord(r);
}

/** Catalog orders: the contract's SORT_ORDERS. */
export type AppSort = SortOrder;

/** The catalog, optionally filtered by a search in names and descriptions, in `sort` order. */
export function listApps(db: Database.Database, opts: { search?: string; sort?: AppSort } = {}): AppSummary[] {
  const order = opts.sort === 'installed' ? 'a.installed_at DESC' : opts.sort === 'last-run' ? 'a.last_run_at DESC NULLS LAST' : 'a.name COLLATE NOCASE';
  const q = sql`SELECT a.id, a.name, a.version, a.description, a.size, a.installed_at, a.last_run_at, coalesce(g.n, 0) AS grant_count
    FROM apps a LEFT JOIN (SELECT app_id, count(*) AS n FROM grants GROUP BY app_id) g ON g.app_id = a.id`;
  if (opts.search) {
    const like = `%${opts.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const where = sql` WHERE a.name LIKE ${like} ESCAPE '\\' OR a.description LIKE ${like} ESCAPE '\\'`;
    q.text += where.text;
    q.params.push(...where.params);
  }
  q.text += ` ORDER BY ${order}`;
  return all<AppRow & { grant_count: number }>(db, q).map((r) => ({
    id: r.id, name: r.name, version: r.version, description: r.description, size: r.size,
    installedAt: iso(r.installed_at)!, lastRunAt: iso(r.last_run_at), grantCount: r.grant_count,
  }));
}

/** Fields written when an app is installed or updated. */
export interface AppWrite {
  name: string; version: string | null; description: string | null; sourceKind: string; source: string;
  sha256: string; size: number; manifest: Manifest | null; inspection: Inspection;
}

/** Inserts a new app and its first build. */
export function insertApp(db: Database.Database, id: string, w: AppWrite, now: number): void {
  exec(db, sql`INSERT INTO apps (id, name, name_key, version, description, source_kind, source, sha256, size, installed_at, manifest, inspection, kind)
    VALUES (${id}, ${w.name}, ${nameKey(w.name)}, ${w.version}, ${w.description}, ${w.sourceKind}, ${w.source}, ${w.sha256}, ${w.size}, ${now},
      ${w.manifest && JSON.stringify(w.manifest)}, ${JSON.stringify(w.inspection)}, ${kindOf(w.inspection)})`);
  exec(db, sql`INSERT INTO builds (app_id, version, sha256, size, installed_at) VALUES (${id}, ${w.version}, ${w.sha256}, ${w.size}, ${now})`);
}

/** Records a new build of an existing app (its grants and history stay). */
export function updateApp(db: Database.Database, id: string, w: AppWrite, now: number): void {
  exec(db, sql`UPDATE apps SET version = ${w.version}, description = ${w.description}, source_kind = ${w.sourceKind},
    source = ${w.source}, sha256 = ${w.sha256}, size = ${w.size}, installed_at = ${now},
    manifest = ${w.manifest && JSON.stringify(w.manifest)}, inspection = ${JSON.stringify(w.inspection)},
    kind = ${kindOf(w.inspection)} WHERE id = ${id}`);
  exec(db, sql`INSERT INTO builds (app_id, version, sha256, size, installed_at) VALUES (${id}, ${w.version}, ${w.sha256}, ${w.size}, ${now})`);
}

/** Every build an app has had, newest first. */
export function listBuilds(db: Database.Database, id: string): { version: string | null; sha256: string; size: number; installedAt: string }[] {
  return all<{ version: string | null; sha256: string; size: number; installed_at: number }>(
    db, sql`SELECT version, sha256, size, installed_at FROM builds WHERE app_id = ${id} ORDER BY installed_at DESC, id DESC`,
  ).map((b) => ({ version: b.version, sha256: b.sha256, size: b.size, installedAt: iso(b.installed_at)! }));
}

/** Deletes an app (its grants, runs, audit rows and builds go with it). */
export function deleteApp(db: Database.Database, id: string): void {
  exec(db, sql`DELETE FROM apps WHERE id = ${id}`);
}

/** The apps whose module is `sha256` (id and name), oldest first. */
export function appsWithModule(db: Database.Database, sha256: string): { id: string; name: string }[] {
  return all<{ id: string; name: string }>(db, sql`SELECT id, name FROM apps WHERE sha256 = ${sha256} ORDER BY rowid`);
}

/** Every module hash some app uses. */
export function usedHashes(db: Database.Database): Set<string> {
  return new Set(all<{ sha256: string }>(db, sql`SELECT DISTINCT sha256 FROM apps`).map((r) => r.sha256));
}

/**
 * Records `transpiled` (what the store now holds for module `sha256`, issue 15) with every
 * component app of that module; returns how many apps were updated.
 */
export function setTranspiled(db: Database.Database, sha256: string, transpiled: TranspiledRecord): number {
  return exec(db, sql`UPDATE apps SET inspection = json_set(inspection, '$.component.transpiled', json(${JSON.stringify(transpiled)}))
    WHERE sha256 = ${sha256} AND json_type(inspection, '$.component') = 'object'`);
}
