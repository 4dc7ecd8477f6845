/**
 * Adversarial review (secreview): the control of same-thread-revoke.hole.test.ts. The same guest
 * (test/fixtures/revoke_times.c, changing its granted folder's times every ~5 ms) run by `terrarium
 * run APP` in a worker (TERRARIUM_SAME_THREAD=0) loses the folder at its next access once process B
 * runs `terrarium revoke` (WASI errno acces, 2), keeps running, and changes the folder no more.
 */
import { afterEach, expect, it } from 'vitest';
import { revokeMidRun } from './same-thread-revoke.ts';
import { removeTempDirs } from '../helpers/temp.ts';

afterEach(removeTempDirs);

it('a run in a worker loses a granted folder once process B revokes it, and changes it no more', async () => {
  const { out, code, timesAtRefusal, timesAtEnd } = await revokeMidRun({ TERRARIUM_SAME_THREAD: '0' });
  expect(code).toBe(0);
  expect(out).toBe('times ok\ntimes errno 2\nend\n');
  // Once refused, nothing more the guest did reached the folder.
  expect(timesAtEnd).toBe(timesAtRefusal);
}, 60_000);
