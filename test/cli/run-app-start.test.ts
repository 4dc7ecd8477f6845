/**
 * What `terrarium run APP` loads (issue 14.2, docs/design/runapp.md): once the stored module's stat
 * signature is recorded, a run reads it without hashing, so it does not load `node:crypto` (which
 * brings the stream library: ~40 built-in modules); a module changed on disk is still refused. A
 * run that ends before RUN_WATCH_AFTER_MS never sets up its watch for revocations (`fs.watch`).
 * Not a timing test: it reads Node's list of loaded built-ins.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SETTLE_MS } from '../../main/library/store.ts';
import { ExitCode } from '../../main/cli/exit-codes.ts';
import { cli } from '../helpers/cli.ts';
import { fixture } from '../helpers/paths.ts';
import { removeTempDirs, tempDir } from '../helpers/temp.ts';

/** An --import hook writing Node's list of loaded built-ins to $BUILTINS_LOG at exit. */
const HOOK = `data:text/javascript,${encodeURIComponent(
  `process.on('exit', () => process.getBuiltinModule('node:fs').writeFileSync(process.env.BUILTINS_LOG, process.moduleLoadList.join('\\n')));`,
)}`;

let home: string;

beforeAll(async () => {
  home = tempDir('home');
  const r = await cli(home, ['install', fixture('stdio.wasm'), '--name', 'tool']);
  expect(r.code, r.stderr).toBe(0);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS + 200));
}, 30_000);

afterAll(removeTempDirs);

/** Runs `terrarium run tool echo` (stdin closed: it prints `ok N checks` to stderr); returns its result and the built-ins it loaded. */
async function runTool(): Promise<{ code: number | null; stdout: string; stderr: string; builtins: string[] }> {
  const log = path.join(tempDir('builtins'), 'list.txt');
  const r = await cli(home, ['run', 'tool', 'echo'], { nodeArgs: ['--import', HOOK], env: { BUILTINS_LOG: log } });
  return { ...r, builtins: fs.readFileSync(log, 'utf8').split('\n') };
}

test('a short run of an app whose stored module is unchanged since it was last hashed loads no node:crypto and no fs.watch', async () => {
  // The first run after the install hashes the module (its file had just been written) and records its signature.
  const first = await runTool();
  expect(first.code, first.stderr).toBe(0);
  expect(first.stderr).toMatch(/^ok \d+ checks/);
  const second = await runTool();
  expect(second.code, second.stderr).toBe(0);
  expect(second.stderr).toMatch(/^ok \d+ checks/);
  expect(second.builtins).toContain('NativeModule sqlite'); // it did open the library
  for (const m of ['crypto', 'internal/crypto/hash']) expect(second.builtins, m).not.toContain(`NativeModule ${m}`);
  // It ended before it would have watched the data folder for revocations (changes.ts watchChangesLater).
  expect(second.builtins).not.toContain('NativeModule internal/fs/watchers');
}, 30_000);

/** An --import hook writing, at exit, how many of the process's open files are $DB_FILE (Linux: /proc/self/fd). */
const FD_HOOK = `data:text/javascript,${encodeURIComponent(
  `process.on('exit', () => { const fs = process.getBuiltinModule('node:fs'); const n = fs.readdirSync('/proc/self/fd').filter((fd) => { try { return fs.readlinkSync('/proc/self/fd/' + fd) === process.env.DB_FILE; } catch { return false; } }).length; fs.writeFileSync(process.env.FDS_LOG, String(n)); });`,
)}`;

test('a run APP records its end and leaves its one library connection to process.exit: no WAL keeper, no checkpoint', async (ctx) => {
  if (process.platform !== 'linux') ctx.skip(); // reads /proc/self/fd
  const log = path.join(tempDir('fds'), 'n.txt');
  const db = fs.realpathSync(path.join(home, 'library.db'));
  const r = await cli(home, ['run', 'tool', 'echo'], { nodeArgs: ['--import', FD_HOOK], env: { FDS_LOG: log, DB_FILE: db } });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/^ok \d+ checks/);
  // Open at exit, and only one: the run's own connection (a keeper would be a second; a close, none).
  expect(fs.readFileSync(log, 'utf8')).toBe('1');
  // process.exit closed nothing, so nothing checkpointed: the WAL holds the run's frames.
  expect(fs.statSync(`${db}-wal`).size).toBeGreaterThan(0);
  const last = await cli(home, ['history', 'tool', '--json']);
  expect(last.code, last.stderr).toBe(0);
  expect((JSON.parse(last.stdout) as { outcome: string | null }[])[0]).toMatchObject({ outcome: 'exit' });
}, 30_000);

test('a stored module changed in place, its size and modification time kept, is refused by the next run', async () => {
  const store = path.join(home, 'store');
  const [name] = fs.readdirSync(store).filter((n) => n.endsWith('.wasm'));
  const file = path.join(store, name!);
  const before = fs.statSync(file, { bigint: true });
  const bytes = fs.readFileSync(file);
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
  fs.writeFileSync(file, bytes);
  fs.utimesSync(file, Number(before.atimeNs) / 1e9, Number(before.mtimeNs) / 1e9);
  const r = await runTool();
  expect(r.code).toBe(ExitCode.failed);
  expect(r.stderr).toMatch(/cannot run tool: the stored module changed on disk/);
  expect(r.stdout).toBe('');
}, 30_000);
