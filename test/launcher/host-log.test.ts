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

test('a log given its folder as a function asks for it only at its first entry, once', () => {
  const home = tempDir('host-log');
  let asked = 0;
  const log = hostLog(() => {
    asked++;
    return path.join(home, 'data');
  }, 'run lazy');
  expect(asked).toBe(0); // a run that logs nothing never works out the data folder
  expect(log.write('first')).toBe(true);
  expect(log.write('second')).toBe(true);
  expect(asked).toBe(1);
  expect(log.file).toBe(path.join(home, 'data', 'terrarium.log'));
  expect(fs.readFileSync(log.file, 'utf8').match(/run lazy: (first|second)/g)).toEqual(['run lazy: first', 'run lazy: second']);
});

test('a log whose folder cannot be worked out does not stop the run', () => {
  const log = hostLog(() => {
    throw new Error('no home');
  }, 'run homeless');
  expect(log.write('lost')).toBe(true);
});
