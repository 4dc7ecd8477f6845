// The ES face of compile-cache.cjs (CommonJS, which bin/terrarium.js compiles itself: cheaper than
// an ES module, and than `require`). The instance bin made, from the realm's global where
// compile-cache.cjs puts its first instance's exports, so the bundle's shims and bin share one set
// of scripts and use bits; where bin made none (a run's worker, tests), through `createRequire`,
// not an ES import of the .cjs: that import would parse its exports with Node's cjs-module-lexer,
// whose first use in a thread costs ~2 ms. node:module is loaded where this is imported anyway
// (the module compile cache is turned on there).
/** @type {typeof import('./compile-cache.cjs')} */
const cjs = /** @type {Record<symbol, typeof import('./compile-cache.cjs') | undefined>} */ (/** @type {unknown} */ (globalThis))[Symbol.for('terrarium.compile-cache')] ?? process.getBuiltinModule('node:module').createRequire(import.meta.url)('./compile-cache.cjs');

export const { cacheDir, enableCompileCache, loadCachedScript, startKind } = cjs;
