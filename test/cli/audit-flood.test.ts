/**
 * The audit log is bounded and cannot be used to hide (issue 9, point 6): a real guest makes
 * 200,000 distinct denied accesses through `terrarium run APP` (no terminal: ask means deny).
 * The library file grows by a few hundred KiB at most, the run keeps its first entries and one
 * row counting the rest, an earlier entry is still on the first page of `terrarium audit`, older
 * pages are reached with --before, and stderr carries a handful of hint lines, not 200,000.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AUDIT_ROWS_PER_RUN, type AuditRecord } from '../../main/library/audit.ts';
import { Library } from '../../main/library/library.ts';
import { cli, cliJson } from '../helpers/cli.ts';
import { fixture } from '../helpers/paths.ts';
import { tempDir } from '../helpers/temp.ts';

const FLOOD = 200_000;
let home: string;
let target: string;
let appId: string;

beforeAll(async () => {
  home = tempDir('terrarium-flood-home-');
  target = tempDir('terrarium-flood-target-');
  const lib = Library.open(home);
  try {
    const app = (await lib.install({ kind: 'file', path: fixture('audit_flood.wasm') })).app;
    appId = app.id;
    // An earlier decision the flood must not push out of sight.
    lib.recordAudit(app.id, null, 'read', '/home/someone/.ssh/id_rsa', 'denied');
  } finally {
    lib.close();
  }
});

afterAll(() => {
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(target, { recursive: true, force: true });
});

const libraryBytes = (): number => fs.statSync(path.join(home, 'library.db')).size;

it('200,000 distinct denials grow the library by a few hundred KiB, keep earlier entries in sight and print few hints', async () => {
  const before = libraryBytes();
  const r = await cli(home, ['run', 'audit_flood', '--', target, String(FLOOD)], { timeoutMs: 560_000 });
  expect(r.code, r.stderr.slice(-500)).toBe(0);
  expect(r.stdout).toBe(`denied ${FLOOD} of ${FLOOD}\n`);
  const after = libraryBytes();
  const growth = after - before;
  console.log(`library.db: ${before} bytes before, ${after} after the flood (+${(growth / 1024).toFixed(1)} KiB)`);
  expect(growth).toBeLessThan(300 * 1024);

  // stderr: a few hint lines, then one saying how many were left out.
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines.length).toBeLessThan(400);
  expect(lines.at(-1)).toMatch(new RegExp(`^terrarium: \\d+ more denials not shown; see: terrarium audit audit_flood$`));
  expect(Number(/(\d+) more/.exec(lines.at(-1)!)![1]) + lines.length - 1).toBe(FLOOD);

  // The run's entries: its first AUDIT_ROWS_PER_RUN accesses by path, and one row for the rest.
  const page = await cliJson<AuditRecord[]>(home, ['audit', 'audit_flood', '--json']);
  const summary = page.filter((e) => e.summary);
  expect(summary).toHaveLength(1);
  expect(summary[0]).toMatchObject({ decision: 'denied', count: FLOOD - AUDIT_ROWS_PER_RUN, operation: '*', path: null });
  expect(page.filter((e) => e.runId !== null && !e.summary)).toHaveLength(AUDIT_ROWS_PER_RUN);
  expect(page.map((e) => e.path)).toContain(`${target}/f0`);
  expect(page.at(-1)).toMatchObject({ path: '/home/someone/.ssh/id_rsa', decision: 'denied', count: 1 });
  for (const e of page) {
    expect(Object.keys(e).sort()).toEqual(['at', 'count', 'decision', 'firstAt', 'id', 'lastAt', 'operation', 'path', 'runId', 'summary']);
  }
  expect(Date.parse(summary[0]!.lastAt)).toBeGreaterThanOrEqual(Date.parse(summary[0]!.firstAt));

  // Paging: --limit and --before walk the same entries, newest first, without gaps or repeats.
  const walked: AuditRecord[] = [];
  let beforeId: number | undefined;
  for (;;) {
    const args = ['audit', 'audit_flood', '--json', '--limit', '200', ...(beforeId === undefined ? [] : ['--before', String(beforeId)])];
    const chunk = await cliJson<AuditRecord[]>(home, args);
    walked.push(...chunk);
    if (chunk.length < 200) break;
    beforeId = chunk.at(-1)!.id;
  }
  expect(walked).toEqual(page);
  const human = await cli(home, ['audit', 'audit_flood', '--limit', '1']);
  expect(human.stdout).toMatch(new RegExp(`and ${FLOOD - AUDIT_ROWS_PER_RUN} more denied`));
  expect(human.stdout).toMatch(/older entries: terrarium audit audit_flood --before \d+\n$/);
  expect(appId).toMatch(/^[0-9a-f]{8}$/);
}, 600_000);
