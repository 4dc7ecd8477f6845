// Worker entry (plain JS: see ../compile-cache.js): enables the compile cache before the
// runtime's TypeScript modules load, then runs worker-main.ts.
import { enableCompileCache } from '../compile-cache.js';

enableCompileCache();
await import('./worker-main.ts');
