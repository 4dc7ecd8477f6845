// Worker entry (plain JavaScript like ../runtime/worker.js, so `new URL('./transpile-worker.js')`
// names it in the sources, the bundled CLI and the packaged app alike). It loads the transpiler at
// once (its cold start, ~1 s, overlaps whatever its parent does meanwhile), then transpiles each
// `{ id, bytes }` it is sent and posts back `{ id, files }` (their buffers moved) or
// `{ id, error }`; it lives until its parent ends it (transpile.ts keeps it for an idle window).
// The compile cache needs no call here: a worker inherits the parent's NODE_COMPILE_CACHE.
import { parentPort } from 'node:worker_threads';
import { loadTranspiler, transpileComponent } from './transpile.ts';

// A transpiler that fails to load fails each request in turn, with its own message.
const loaded = loadTranspiler().catch(() => undefined);

parentPort?.on('message', async (/** @type {{ id: number, bytes: Uint8Array }} */ { id, bytes }) => {
  try {
    await loaded;
    const files = await transpileComponent(bytes);
    const buffers = new Set(Object.values(files).map((f) => f.buffer));
    parentPort?.postMessage({ id, files }, [...buffers].filter((b) => b instanceof ArrayBuffer));
  } catch (caught) {
    const err = /** @type {{ code?: unknown, message?: unknown } | undefined} */ (caught);
    parentPort?.postMessage({ id, error: { code: err?.code, message: String(err?.message ?? caught) } });
  }
});
