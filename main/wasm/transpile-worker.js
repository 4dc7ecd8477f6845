// Worker entry (plain JavaScript like ../runtime/worker.js, so `new URL('./transpile-worker.js')`
// names it in the sources, the bundled CLI and the packaged app alike): transpiles the component
// bytes it is given (workerData) and posts back `{ files }` (their buffers moved) or `{ error }`.
// The compile cache needs no call here: a worker inherits the parent's NODE_COMPILE_CACHE.
import { parentPort, workerData } from 'node:worker_threads';
import { transpileComponent } from './transpile.ts';

try {
  const files = await transpileComponent(workerData);
  const buffers = new Set(Object.values(files).map((f) => f.buffer));
  parentPort?.postMessage({ files }, [...buffers].filter((b) => b instanceof ArrayBuffer));
} catch (caught) {
  const err = /** @type {{ code?: unknown, message?: unknown } | undefined} */ (caught);
  parentPort?.postMessage({ error: { code: err?.code, message: String(err?.message ?? caught) } });
}
