/**
 * Loading koffi's native module in a run's worker must not be cut short by the worker being
 * terminated: Node aborts the whole process when an addon's start-up fails that way (seen as a
 * FATAL ERROR "napi_throw" in koffi's init while a flood run was being stopped). So each run shares
 * one word between its worker, which marks a load (host-calls/index.ts, `guardLoading`), and the
 * thread that terminates it, which waits for the load to end or marks the run as ending first;
 * after that no load starts in that worker (the portable calls serve what is left of the run).
 */

/** The guard word's states. */
export const GUARD = { idle: 0, loading: 1, ending: 2 } as const;

/** A run's guard word, shared with its worker. */
export function createLoadGuard(): SharedArrayBuffer {
  return new SharedArrayBuffer(4);
}

/** Resolves when the worker holding `shared` may be terminated (at most ~5 s later). */
export async function terminateWhenSafe(shared: SharedArrayBuffer): Promise<void> {
  const word = new Int32Array(shared);
  for (;;) {
    if (Atomics.compareExchange(word, 0, GUARD.idle, GUARD.ending) !== GUARD.loading) return;
    const w = Atomics.waitAsync(word, 0, GUARD.loading, 5000);
    if (w.async && (await w.value) === 'timed-out') return;
  }
}
