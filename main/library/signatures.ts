/**
 * The `module_signatures` table (migration 0009): per stored module, the stat signature taken when
 * its bytes were last hashed and found right (store.ts `statSignature`, docs/design/runapp.md).
 */
import type Database from 'better-sqlite3';
import { exec, one, sql } from './sql.ts';

/** The signature recorded for module `sha256`, if any. */
export function moduleSignature(db: Database.Database, sha256: string): string | undefined {
  return one<{ signature: string }>(db, sql`SELECT signature FROM module_signatures WHERE sha256 = ${sha256}`)?.signature;
}

/** Records `signature` for module `sha256` (replacing the one before). */
export function recordSignature(db: Database.Database, sha256: string, signature: string): void {
  exec(db, sql`INSERT INTO module_signatures (sha256, signature) VALUES (${sha256}, ${signature})
    ON CONFLICT (sha256) DO UPDATE SET signature = excluded.signature`);
}

/** Forgets the signatures of modules no app uses (their files are swept with them). */
export function dropUnusedSignatures(db: Database.Database): void {
  exec(db, sql`DELETE FROM module_signatures WHERE sha256 NOT IN (SELECT sha256 FROM apps)`);
}
