// Worker entry (plain JS: see ../compile-cache.js): enables the compile cache before the
// runtime's TypeScript modules load, then runs worker-main.ts.
import { enableCompileCache } from '../compile-cache.js';

enableCompileCache();
// The bundled runtime's script keeps a code cache of a worker's own (compile-cache.js loadCachedScript).
/** @type {Record<symbol, string>} */ (/** @type {unknown} */ (globalThis))[Symbol.for('terrarium.script-kind')] = 'worker';
await import('./worker-main.ts');
