/**
 * HOLE (secreview, 2026-12-08): a run that `terrarium run APP` puts on the command's own thread
 * (runtime/same-thread.ts: a module importing no path function, no fd_readdir, no fd_read and no
 * poll_oneoff) is deaf to revocation. The guest holds the only thread for the whole run, so the
 * library's change watcher and launcher/revocation.ts `followRevocations` (which set the run's
 * shared `revoked` flags) never run before the guest ends: the descriptor of a revoked grant keeps
 * working, here changing the granted folder's times for as long as the app likes, after process B's
 * `terrarium revoke` has committed (DESIGN §3.1 "Revocation reaches every running run of the app,
 * in any Terrarium process"). The same run in a worker (TERRARIUM_SAME_THREAD=0) loses the folder
 * at its next access: same-thread-revoke.test.ts.
 *
 * Guest: test/fixtures/revoke_times.c (fd_filestat_set_times on fd 3, the grant, every ~5 ms for
 * 8 s, printing each change of result).
 */
import { afterEach, expect, it } from 'vitest';
import { revokeMidRun } from './same-thread-revoke.ts';
import { removeTempDirs } from '../helpers/temp.ts';

afterEach(removeTempDirs);

it('a run on the command\'s own thread loses a granted folder once process B revokes it', async () => {
  const { out, code, timesAtRefusal, timesAtEnd } = await revokeMidRun({});
  expect(code).toBe(0);
  expect(out).toBe('times ok\ntimes errno 2\nend\n');
  // Once refused, nothing more the guest did reached the folder.
  expect(timesAtEnd).toBe(timesAtRefusal);
}, 60_000);
