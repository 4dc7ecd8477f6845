/**
 * What a start used beyond its kind's common path, for the code cache of the CLI's script
 * (main/compile-cache.js `USES`, `loadCachedScript`): a cache made by a start that did not use
 * one is rewritten at the exit of the first start that did, so that it holds those functions too.
 * Through a function compile-cache.js puts on this realm's global under a registered symbol: it is
 * its own module (an ES module bin loads), not one the bundled script can import.
 */

/**
 * What compile-cache.js knows: its `USES` (`files`), and `run`, noted once a run's module has
 * loaded and run (a start that failed before that, a usage error or a module that does not load,
 * writes no cache of a run's kind: it compiled only its failure's path).
 */
export type StartUse = 'files' | 'run';

const NOTE = Symbol.for('terrarium.start-used');

/** Notes that this thread's start used `what` (nothing where compile-cache.js is not loaded: the window, tests). */
export function noteStartUse(what: StartUse): void {
  (globalThis as unknown as Record<symbol, ((name: string) => void) | undefined>)[NOTE]?.(what);
}
