/**
 * The small hand-assembled wasm functions of the native host calls (filestat-wasm.ts,
 * plain-stat-wasm.ts) compile their bytes once per thread, at first use.
 */

/**
 * A getter of the module `hex` holds, compiled at its first call; null where this V8 cannot compile
 * it (e.g. no multi-memory): the caller then keeps its JavaScript path.
 */
export function wasmModuleOnce(hex: string): () => WebAssembly.Module | null {
  let compiled: WebAssembly.Module | null | undefined;
  return () => {
    if (compiled === undefined) {
      try {
        compiled = new WebAssembly.Module(Buffer.from(hex, 'hex'));
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
}
