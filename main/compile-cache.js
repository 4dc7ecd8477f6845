// The ES face of compile-cache.cjs (CommonJS, which bin/terrarium.js `require`s: cheaper than an
// ES module through `require`). Through `createRequire`, not an ES import of the .cjs: that import
// would parse its exports with Node's cjs-module-lexer, whose first use in a thread costs ~2 ms (a
// run's worker, every command that imports a chunk's shim). Node's CommonJS cache gives this the
// instance bin loaded, so the bundle's shims and bin share one set of scripts and use bits.
// node:module is loaded where this is imported anyway (the module compile cache is turned on there).
/** @type {typeof import('./compile-cache.cjs')} */
const cjs = process.getBuiltinModule('node:module').createRequire(import.meta.url)('./compile-cache.cjs');

export const { cacheDir, enableCompileCache, loadCachedScript, startKind } = cjs;
