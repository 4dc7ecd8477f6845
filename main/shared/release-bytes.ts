/**
 * Frees a large read's memory at once (warm-runs.md round 9): a `Buffer` of a module read off disk
 * counts as V8 external memory until the next full collection, and 21 MB of it (flite) left behind
 * makes the next large read or compile start one on the main thread.
 */

/**
 * Detaches the buffer under `bytes` (its memory is freed now) when `bytes` are the whole of it: a
 * read of its own, never a slice of Node's shared pool or of a buffer something else uses. The
 * caller must hold the only reference to them; afterwards they are empty.
 */
export function releaseBytes(bytes: Uint8Array): void {
  const buffer = bytes.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer };
  if (bytes.byteOffset !== 0 || bytes.byteLength < 64 * 1024 || buffer.byteLength !== bytes.byteLength) return;
  if (typeof buffer.transfer === 'function' && !(buffer as unknown instanceof SharedArrayBuffer)) buffer.transfer(0);
}
