/** The `grants` table: the person's decisions, per app. */
import type Database from 'better-sqlite3';
import { all, exec, sql } from './sql.ts';
import type { FolderIdentity, GrantAccess, GrantInput, GrantRecord, LimitName } from './types.ts';
import { isoTime } from '../shared/iso-time.ts';

interface GrantRow {
  id: number; kind: string; host: string | null; guest: string | null; value: string | null;
  access: string | null; created_at: number; last_used_at: number | null;
  resolved: string | null; dev: string | null; ino: string | null; born: string | null;
}

function toRecord(r: GrantRow): GrantRecord {
  const meta = { id: r.id, createdAt: isoTime(r.created_at), lastUsedAt: r.last_used_at === null ? null : isoTime(r.last_used_at) };
  switch (r.kind) {
    case 'folder':
      return {
        kind: 'folder', host: r.host!, guest: r.guest!, access: r.access as GrantAccess, ...meta,
        pin: r.resolved === null || r.dev === null || r.ino === null ? null : { resolved: r.resolved, dev: r.dev, ino: r.ino, born: r.born },
      };
    case 'env':
      return r.host !== null ? { kind: 'env', name: r.guest!, forward: true, ...meta } : { kind: 'env', name: r.guest!, value: r.value ?? '', ...meta };
    case 'args':
      return { kind: 'args', args: JSON.parse(r.value ?? '[]') as string[], ...meta };
    default:
      return { kind: 'limit', name: r.guest as LimitName, value: Number(r.value), ...meta };
  }
}

/** An app's grants, oldest first. */
export function listGrants(db: Database.Database, appId: string): GrantRecord[] {
  return all<GrantRow>(db, sql`SELECT * FROM grants WHERE app_id = ${appId} ORDER BY id`).map(toRecord);
}

/**
 * Stores a grant (a folder grant with `pin`, what it grants). A grant for the same thing (folder
 * guest path, variable, arguments, limit) replaces the old one, so the person's latest decision
 * is the one that holds. The same folder granted again with other access (widened by an upgrade,
 * or narrowed) keeps its grant id, so running runs still know it as theirs (launcher/revocation.ts).
 */
export function addGrant(db: Database.Database, appId: string, g: GrantInput, now: number, pin: FolderIdentity | null = null): void {
  if (g.kind === 'folder') {
    const kept = exec(db, sql`UPDATE grants SET access = ${g.access}, resolved = ${pin?.resolved ?? null}, dev = ${pin?.dev ?? null}, ino = ${pin?.ino ?? null}, born = ${pin?.born ?? null}
      WHERE app_id = ${appId} AND kind = 'folder' AND guest = ${g.guest} AND host = ${g.host}`);
    if (kept > 0) return;
  }
  let host: string | null = null;
  let guest: string | null = null;
  let value: string | null = null;
  let access: string | null = null;
  if (g.kind === 'folder') [host, guest, access] = [g.host, g.guest, g.access];
  else if (g.kind === 'env') [host, guest, value] = ['forward' in g ? g.name : null, g.name, 'forward' in g ? null : g.value];
  else if (g.kind === 'args') value = JSON.stringify(g.args);
  else [guest, value] = [g.name, String(g.value)];
  if (g.kind === 'args') exec(db, sql`DELETE FROM grants WHERE app_id = ${appId} AND kind = 'args'`);
  else exec(db, sql`DELETE FROM grants WHERE app_id = ${appId} AND kind = ${g.kind} AND guest = ${guest}`);
  exec(db, sql`INSERT INTO grants (app_id, kind, host, guest, value, access, created_at, resolved, dev, ino, born)
    VALUES (${appId}, ${g.kind}, ${host}, ${guest}, ${value}, ${access}, ${now}, ${pin?.resolved ?? null}, ${pin?.dev ?? null}, ${pin?.ino ?? null}, ${pin?.born ?? null})`);
}

/** Records what an older folder grant (made without one) grants, on its first use. */
export function pinGrant(db: Database.Database, id: number, pin: FolderIdentity): void {
  exec(db, sql`UPDATE grants SET resolved = ${pin.resolved}, dev = ${pin.dev}, ino = ${pin.ino}, born = ${pin.born ?? null} WHERE id = ${id} AND dev IS NULL`);
}

/** True when storing `g` would narrow a folder of `appId` granted read & write to read-only. */
export function narrows(db: Database.Database, appId: string, g: GrantInput): boolean {
  if (g.kind !== 'folder' || g.access !== 'read') return false;
  return all(db, sql`SELECT id FROM grants WHERE app_id = ${appId} AND kind = 'folder' AND guest = ${g.guest} AND access = 'read-write'`).length > 0;
}

/** The resolved paths of every folder that some grant, of any app, makes writable. */
export function writableFolders(db: Database.Database): string[] {
  return all<{ p: string }>(db, sql`SELECT COALESCE(resolved, host) AS p FROM grants WHERE kind = 'folder' AND access = 'read-write'`).map((r) => r.p);
}

/** What `revoke` matches: a grant id, or a kind with an optional key (guest path, variable, limit). */
export type RevokeMatch = { id: number } | { kind: GrantInput['kind']; key?: string };

/** Removes the matching grants; returns how many. */
export function revokeGrants(db: Database.Database, appId: string, m: RevokeMatch): number {
  if ('id' in m) return exec(db, sql`DELETE FROM grants WHERE app_id = ${appId} AND id = ${m.id}`);
  if (m.key === undefined) return exec(db, sql`DELETE FROM grants WHERE app_id = ${appId} AND kind = ${m.kind}`);
  return exec(db, sql`DELETE FROM grants WHERE app_id = ${appId} AND kind = ${m.kind} AND (guest = ${m.key} OR host = ${m.key})`);
}

/** Removes every grant of an app. */
export function resetGrants(db: Database.Database, appId: string): number {
  return exec(db, sql`DELETE FROM grants WHERE app_id = ${appId}`);
}

/** Marks grants as used by a run starting now. */
export function touchGrants(db: Database.Database, ids: number[], now: number): void {
  for (const id of ids) exec(db, sql`UPDATE grants SET last_used_at = ${now} WHERE id = ${id}`);
}
