/**
 * The audit table (issue 9, point 6) against a real SQLite file: repeats within a run are one
 * entry with a count and first/last times; a run keeps AUDIT_ROWS_PER_RUN entries and one summary
 * entry per decision for the rest; decisions outside a run are never merged or capped; pages
 * (limit, before) walk the log newest first without gaps or repeats; a version-5 library's rows
 * keep their time as both first and last.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { AUDIT_ROWS_PER_RUN, type AuditRecord } from '../../main/library/audit.ts';
import { Library } from '../../main/library/library.ts';
import { migrations } from '../../main/library/migrations/index.ts';
import { fixture } from '../helpers/paths.ts';
import { tempDir } from '../helpers/temp.ts';

let home: string;
let lib: Library;
let appId: string;
let runId: number;
beforeEach(async () => {
  home = tempDir('terrarium-audit-');
  lib = Library.open(home);
  const app = (await lib.install({ kind: 'file', path: fixture('stdio.wasm') })).app;
  appId = app.id;
  runId = lib.runStarted(app, [], []);
});
afterEach(() => {
  lib.close();
  fs.rmSync(home, { recursive: true, force: true });
});

const rows = (): number => (lib.db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;

test('the same operation, path and decision in a run is one entry with a count and its first and last time', async () => {
  lib.recordAudit(appId, runId, 'read', '/a', 'denied');
  await new Promise((r) => setTimeout(r, 5));
  lib.recordAudit(appId, runId, 'read', '/a', 'denied');
  lib.recordAudit(appId, runId, 'read', '/a', 'denied');
  lib.recordAudit(appId, runId, 'write', '/a', 'denied');
  lib.recordAudit(appId, runId, 'read', '/a', 'prompted-allowed');
  lib.recordAudit(appId, runId, 'read', null, 'denied');
  lib.recordAudit(appId, runId, 'read', null, 'denied');
  const log = lib.audit(appId);
  expect(log.map((e) => [e.operation, e.path, e.decision, e.count])).toEqual([
    ['read', null, 'denied', 2], ['read', '/a', 'prompted-allowed', 1], ['write', '/a', 'denied', 1], ['read', '/a', 'denied', 3],
  ]);
  const first = log.at(-1)!;
  expect(Date.parse(first.lastAt)).toBeGreaterThan(Date.parse(first.firstAt));
  expect(first.at).toBe(first.lastAt);
  expect(log.every((e) => !e.summary)).toBe(true);
});

test('a run keeps its first entries and counts the rest on one summary entry per decision', () => {
  const extra = 1234;
  lib.db.transaction(() => {
    for (let i = 0; i < AUDIT_ROWS_PER_RUN + extra; i++) lib.recordAudit(appId, runId, 'read', `/flood/${i}`, 'denied');
    for (let i = 0; i < 3; i++) lib.recordAudit(appId, runId, 'read', `/granted-once/${i}`, 'allowed');
    lib.recordAudit(appId, runId, 'read', '/flood/0', 'denied'); // a repeat of a kept entry still counts there
  })();
  expect(rows()).toBe(AUDIT_ROWS_PER_RUN + 2);
  const log = lib.audit(appId, { limit: 10_000 });
  const summaries = log.filter((e) => e.summary);
  expect(summaries.map((e) => [e.operation, e.path, e.decision, e.count])).toEqual([
    ['*', null, 'allowed', 3], ['*', null, 'denied', extra],
  ]);
  expect(log.find((e) => e.path === '/flood/0')!.count).toBe(2);
  expect(log.find((e) => e.path === `/flood/${AUDIT_ROWS_PER_RUN - 1}`)).toBeDefined();
  expect(log.find((e) => e.path === `/flood/${AUDIT_ROWS_PER_RUN}`)).toBeUndefined();
  // Another run starts with its own allowance.
  const other = lib.runStarted(lib.app(appId), [], []);
  lib.recordAudit(appId, other, 'read', '/flood/9999', 'denied');
  expect(lib.audit(appId, { limit: 1 })[0]).toMatchObject({ runId: other, path: '/flood/9999', count: 1, summary: false });
});

test('decisions outside a run are each their own entry', () => {
  for (let i = 0; i < 3; i++) lib.recordAudit(appId, null, 'read', '/same', 'denied');
  expect(lib.audit(appId).map((e) => e.count)).toEqual([1, 1, 1]);
});

test('pages of `limit` entries before an id walk the whole log, newest first, without gaps or repeats', () => {
  for (let i = 0; i < 57; i++) lib.recordAudit(appId, i % 2 === 0 ? runId : null, 'read', `/p/${i}`, i % 3 === 0 ? 'denied' : 'allowed');
  const all = lib.audit(appId);
  expect(all).toHaveLength(57);
  expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a));
  const walked: AuditRecord[] = [];
  let before: number | undefined;
  for (;;) {
    const page = lib.audit(appId, { limit: 10, before });
    walked.push(...page);
    if (page.length < 10) break;
    before = page.at(-1)!.id;
  }
  expect(walked).toEqual(all);
  expect(lib.audit(appId, { decision: 'denied', limit: 5, before: all[10]!.id }).every((e) => e.decision === 'denied' && e.id < all[10]!.id)).toBe(true);
  expect(lib.audit(appId, { limit: 1_000_000 })).toHaveLength(57);
});

test('a version-5 library keeps its audit rows, each counted once at its own time', () => {
  const file = path.join(home, 'v5.db');
  const db = new Database(file);
  for (const m of migrations.filter((x) => x.version <= 5)) db.exec(m.up);
  db.pragma('user_version = 5');
  db.exec(`INSERT INTO apps (id, name, source_kind, source, sha256, size, installed_at, inspection) VALUES ('a1', 'old', 'file', '/x', 'h', 1, 1, '{}');
    INSERT INTO audit (app_id, run_id, operation, path, decision, at) VALUES ('a1', NULL, 'read', '/old', 'denied', 1700000000000);`);
  db.close();
  const v = new Database(file);
  try {
    v.exec(migrations.find((x) => x.version === 7)!.up);
    expect(v.prepare('SELECT count, first_at, at, summary FROM audit').get()).toEqual({ count: 1, first_at: 1700000000000, at: 1700000000000, summary: 0 });
    expect(v.prepare("SELECT revision FROM apps WHERE id = 'a1'").get()).toEqual({ revision: 0 });
  } finally {
    v.close();
  }
});

test('every change that takes access away raises the app revision; granting does not', () => {
  const r0 = lib.revision(appId);
  lib.grant(appId, [{ kind: 'env', name: 'X', value: '1' }]);
  expect(lib.revision(appId)).toBe(r0);
  lib.revoke(appId, [{ kind: 'env', key: 'X' }]);
  lib.denyAlways(appId, '/secret');
  lib.reset(appId);
  lib.setUnknownAccess(appId, 'deny');
  expect(lib.revision(appId)).toBe(r0 + 4);
  expect(fs.existsSync(path.join(home, 'revocations'))).toBe(true);
});

test('a "Run once" log entry keeps as many decisions as a run and counts the rest', () => {
  const id = lib.onceStarted('flood', 'h'.repeat(64), 'flood.wasm');
  lib.db.transaction(() => {
    for (let i = 0; i < AUDIT_ROWS_PER_RUN + 77; i++) lib.onceDecision(id, 'read', `/x/${i}`, 'denied');
  })();
  const [entry] = lib.onceLog();
  expect(entry!.decisions).toHaveLength(AUDIT_ROWS_PER_RUN);
  expect(entry!.moreDecisions).toBe(77);
  expect(entry!.decisions[0]).toMatchObject({ operation: 'read', path: '/x/0', decision: 'denied' });
});
