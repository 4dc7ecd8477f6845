/**
 * Turns module bytes into a compiled WASI command, or one clear reason why not: not wasm, a
 * component, malformed, initial memory over the cap, imports something other than preview1
 * functions, or lacks the `_start` and `memory` exports.
 */
import { WASI_MODULE } from './abi.ts';
import { CodedError, type ErrorDetails } from '../shared/coded-error.ts';
import { ModuleLimitError, capMemory } from './module-limits.ts';
import { mistypedWasiImport } from './preview1-signatures.ts';

const PAGE = 65536;

/**
 * Why a module cannot be run: a CodedError `cannot-load` (`details.reason` names the reader's
 * refusal when there is one). A class of its own only while main/cli.ts tells it apart by type;
 * a table keyed by code needs no more than the code.
 */
export class LoadError extends CodedError {
  constructor(message: string, details?: ErrorDetails) {
    super('cannot-load', message, details);
    this.name = 'LoadError';
  }
}

/** Compiles `bytes` as a WASI preview1 command, capping its memory at `memoryMaxBytes`. */
export async function loadCommand(bytes: Uint8Array, memoryMaxBytes?: number): Promise<WebAssembly.Module> {
  let prepared = bytes;
  try {
    // wasm32 memory ends at 4 GiB (65536 pages): a larger cap is no cap.
    const pages = memoryMaxBytes === undefined ? 65536 : Math.min(65536, Math.max(1, Math.floor(memoryMaxBytes / PAGE)));
    prepared = capMemory(bytes, pages);
  } catch (err) {
    if (err instanceof ModuleLimitError) throw new LoadError(err.message, { reason: err.code });
    throw err;
  }
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(prepared as Uint8Array<ArrayBuffer>);
  } catch (err) {
    throw new LoadError(`not a valid WebAssembly module: ${(err as Error).message.replace(/^WebAssembly\.compile\(\): /, '')}`);
  }
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module !== WASI_MODULE || imp.kind !== 'function') {
      throw new LoadError(`not a WASI command: it imports ${imp.kind} "${imp.module}.${imp.name}", which Terrarium does not provide`);
    }
  }
  checkImportTypes(prepared);
  const exports = new Map(WebAssembly.Module.exports(module).map((e) => [e.name, e.kind]));
  if (exports.get('_start') !== 'function') {
    throw new LoadError('not a WASI command: it does not export a "_start" function (is it a library/reactor?)');
  }
  if (exports.get('memory') !== 'memory') throw new LoadError('not a WASI command: it does not export its "memory"');
  return module;
}

/** Refuses a module that imports a preview1 function with a type other than the spec's. */
function checkImportTypes(bytes: Uint8Array): void {
  let why: string | null;
  try {
    why = mistypedWasiImport(bytes);
  } catch (err) {
    if (err instanceof ModuleLimitError) throw new LoadError(err.message, { reason: err.code });
    throw err;
  }
  if (why !== null) throw new LoadError(`not a WASI command: ${why}`);
}
