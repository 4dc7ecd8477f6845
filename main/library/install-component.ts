/**
 * Install-time transpilation of a component that needs the WASI 0.2 host (issue 15.1): done once,
 * before the review, so a component jco cannot translate is refused with one line and the library
 * is unchanged; the output is recorded (hash, size, time) and stored by the commit. It runs in a
 * worker thread, so the window's main process keeps answering meanwhile.
 */
import { transpileInWorker } from '../wasm/transpile.ts';
import { CodedError } from '../shared/coded-error.ts';
import type { Progress } from './download.ts';
import { packForStore } from './transpiled-store.ts';
import type { Inspection } from './types.ts';

/**
 * For a component on the WASI 0.2 host: transpiles `bytes`, records what was made in
 * `inspection.component.transpiled` and returns the packed output; otherwise undefined.
 * `onProgress` hears the 'transpile' stage before it starts.
 */
export async function transpileForInstall(bytes: Uint8Array, inspection: Inspection, onProgress?: Progress): Promise<Uint8Array | undefined> {
  if (inspection.component?.path !== 'wasi-0.2-host') return undefined;
  onProgress?.(bytes.length, bytes.length, 'transpile');
  const t0 = performance.now();
  let files;
  try {
    files = await transpileInWorker(bytes);
  } catch (err) {
    throw new CodedError('component', `this component cannot be prepared for the WASI 0.2 host: ${(err as Error).message.split('\n', 1)[0]}`);
  }
  const packed = packForStore(files, Math.round(performance.now() - t0));
  inspection.component.transpiled = packed.record;
  return packed.bytes;
}
