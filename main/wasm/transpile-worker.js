// Worker entry (plain JavaScript like ../runtime/worker.js, so `new URL('./transpile-worker.js')`
// names it in the sources, the bundled CLI and the packaged app alike): transpiles the component
// bytes it is given (workerData) and posts back `{ files }` (their buffers moved) or `{ error }`.
import { parentPort, workerData } from 'node:worker_threads';
import { enableCompileCache } from '../compile-cache.js';

enableCompileCache();
const { transpileComponent } = await import('./transpile.ts');
try {
  const files = await transpileComponent(workerData);
  const buffers = new Set(Object.values(files).map((f) => f.buffer));
  parentPort?.postMessage({ files }, [...buffers].filter((b) => b instanceof ArrayBuffer));
} catch (caught) {
  const err = /** @type {{ code?: unknown, message?: unknown } | undefined} */ (caught);
  parentPort?.postMessage({ error: { code: err?.code, message: String(err?.message ?? caught) } });
}
