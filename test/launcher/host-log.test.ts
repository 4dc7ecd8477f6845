/**
 * Host errors in a run (DESIGN §3): the app gets EIO and sees no stack trace of Terrarium's code
 * in its output; the stack goes to Terrarium's own log, which a run cannot grow without bound.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { MAX_ENTRIES_PER_RUN, MAX_LOG_BYTES, hostLog } from '../../main/launcher/host-log.ts';
import { fixture } from '../helpers/paths.ts';
import { removeTempDirs, tempDir } from '../helpers/temp.ts';
import { runCli } from '../helpers/cli.ts';

afterEach(removeTempDirs);

test('terrarium run: a module importing a WASI function with the wrong type is refused before it runs (exit 125), nothing in the log', async () => {
  const home = tempDir('host-log');
  const r = await runCli(['run', fixture('host_error')], { env: { TERRARIUM_HOME: home } });
  expect(r.code).toBe(125);
  expect(r.stdout.toString()).toBe('');
  expect(r.stderr.toString()).toBe(
    'terrarium: not a WASI command: it imports "wasi_snapshot_preview1.fd_fdstat_get" as (i32,i64->i32), but WASI defines it as (i32,i32->i32)\n',
  );
  expect(fs.existsSync(path.join(home, 'terrarium.log'))).toBe(false);
});

test('a run writes at most MAX_ENTRIES_PER_RUN entries, and a full log is rotated', () => {
  const home = tempDir('host-log');
  const file = path.join(home, 'terrarium.log');
  const log = hostLog(home, 'run flood');
  let accepted = 0;
  for (let i = 0; i < 1000; i++) if (log.write(`internal error ${i}`, 'Error: x\n    at f (a.ts:1:1)')) accepted++;
  expect(accepted).toBe(MAX_ENTRIES_PER_RUN);
  const text = fs.readFileSync(file, 'utf8');
  expect(text.match(/internal error \d+/g)).toHaveLength(MAX_ENTRIES_PER_RUN);
  expect(text).toContain('(no more entries from this run)');
  fs.writeFileSync(file, 'x'.repeat(MAX_LOG_BYTES + 1));
  hostLog(home, 'run next').write('internal error again');
  expect(fs.statSync(`${file}.1`).size).toBe(MAX_LOG_BYTES + 1);
  expect(fs.readFileSync(file, 'utf8')).toMatch(/^\S+ run next: internal error again\n$/);
});
