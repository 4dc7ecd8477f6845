/**
 * Was a hole (secreview, 2026-12-08): a run that `terrarium run APP` put on the command's own
 * thread (runtime/same-thread.ts: a module importing no path function, no fd_readdir, no fd_read
 * and no poll_oneoff) was deaf to revocation: the guest held the only thread for the whole run,
 * so the library's change watcher and launcher/revocation.ts `followRevocations` never ran before
 * it ended, and the descriptor of a revoked grant kept changing the folder's times after process
 * B's `terrarium revoke` (DESIGN §3.1 "Revocation reaches every running run of the app, in any
 * Terrarium process"). A module that can reach a folder now runs in a worker when a grant gave it
 * one (fitsSameThread; test/runtime/same-thread.test.ts checks the choice).
 *
 * Guest: test/fixtures/revoke_times.c (fd_filestat_set_times on fd 3, the grant, every ~5 ms for
 * 8 s, printing each change of result), run by `terrarium run APP` as a person would.
 */
import { afterEach, expect, it } from 'vitest';
import { revokeMidRun } from './same-thread-revoke.ts';
import { removeTempDirs } from '../helpers/temp.ts';

afterEach(removeTempDirs);

it('a run of an app that can reach its granted folder loses it once process B revokes it, and changes it no more', async () => {
  const { out, code, timesAtRefusal, timesAtEnd } = await revokeMidRun({});
  expect(code).toBe(0);
  expect(out).toBe('times ok\ntimes errno 2\nend\n');
  // Once refused, nothing more the guest did reached the folder.
  expect(timesAtEnd).toBe(timesAtRefusal);
}, 60_000);
