/**
 * What a start used beyond its kind's common path, for the code cache of the CLI's script
 * (main/compile-cache.js `USES`, `loadCachedScript`): a cache made by a start that did not use
 * one is rewritten at the exit of the first start that did, so that it holds those functions too.
 * Noted on this realm's global under a registered symbol: compile-cache.js is its own module (an
 * ES module bin loads, or inlined into a worker's entry), not one the bundled script can import.
 */

/** What compile-cache.js knows (its `USES`). */
export type StartUse = 'files';

const USED = Symbol.for('terrarium.start-used');

/** Notes that this thread's start used `what` (cheap: a Set's add). */
export function noteStartUse(what: StartUse): void {
  const g = globalThis as unknown as Record<symbol, Set<string> | undefined>;
  (g[USED] ??= new Set()).add(what);
}
