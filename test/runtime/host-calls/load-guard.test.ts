/**
 * The guard between loading koffi in a run's worker and terminating that worker (load-guard.ts):
 * a terminate waits for a load under way, and once a run is ending no load starts.
 */
import { expect, test } from 'vitest';
import { GUARD, createLoadGuard, terminateWhenSafe } from '../../../main/runtime/host-calls/load-guard.ts';

test('an idle run may be terminated at once, and is marked ending so no load starts after', async () => {
  const shared = createLoadGuard();
  await terminateWhenSafe(shared);
  const word = new Int32Array(shared);
  expect(word[0]).toBe(GUARD.ending);
  // What the worker does before a load: it only loads when it can move the word from idle.
  expect(Atomics.compareExchange(word, 0, GUARD.idle, GUARD.loading)).toBe(GUARD.ending);
});

test('a terminate waits until a load under way has ended', async () => {
  const shared = createLoadGuard();
  const word = new Int32Array(shared);
  Atomics.store(word, 0, GUARD.loading);
  let safe = false;
  const waiting = terminateWhenSafe(shared).then(() => {
    safe = true;
  });
  await new Promise((r) => setTimeout(r, 50));
  expect(safe).toBe(false);
  Atomics.store(word, 0, GUARD.idle);
  Atomics.notify(word, 0);
  await waiting;
  expect(safe).toBe(true);
  expect(word[0]).toBe(GUARD.ending);
});
