/**
 * Host errors in a run (DESIGN §3): the app gets EIO and sees no stack trace of Terrarium's code
 * in its output; the stack goes to Terrarium's own log, which a run cannot grow without bound.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { MAX_ENTRIES_PER_RUN, MAX_LOG_BYTES, hostLog } from '../../main/launcher/host-log.ts';
import { fixture, removeTempDirs, runCli, tempDir } from '../helpers/cli-run.ts';

afterEach(removeTempDirs);

test('terrarium run: a provoked host exception is EIO for the app, one marked line on stderr, the stack in the log', async () => {
  const home = tempDir('host-log');
  const r = await runCli(['run', fixture('host_error')], { env: { TERRARIUM_HOME: home } });
  expect(r.code).toBe(0);
  // The app's own output: its errno (29 = EIO in wasi-libc), nothing of the host's.
  expect(r.stdout.toString()).toBe('errno=29\n');
  const lines = r.stderr.toString().split('\n').filter((l) => l !== '');
  const log = path.join(home, 'terrarium.log');
  // Two lines, in either order: the report travels apart from the app's output.
  expect(lines).toHaveLength(2);
  expect(lines).toEqual(expect.arrayContaining([
    expect.stringMatching(new RegExp(`^terrarium: internal error in fd_fdstat_get: TypeError: .* \\(the app got EIO; details in ${log}\\)$`)),
    'done',
  ]));
  expect(r.stderr.toString()).not.toMatch(/\bat .*\.ts:\d+/);
  const logged = fs.readFileSync(log, 'utf8');
  expect(logged).toMatch(/ run host_error\.wasm: internal error in fd_fdstat_get: TypeError: /);
  expect(logged).toMatch(/\n\s+at .*memory\.ts:\d+/);
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
