/**
 * Turns module bytes into a compiled WASI command, or one clear reason why not: not wasm, a
 * component, malformed, initial memory over the cap, imports something other than preview1
 * functions, or lacks the `_start` and `memory` exports.
 */
import { WasmBinaryError, sections } from '../wasm/binary.ts';
import { MAX_PAGES_32, PAGE_BYTES, isMemoryBearing, memorySpans } from '../wasm/memory.ts';
import { WASI_MODULE, mistypedWasiImport } from '../wasm/preview1.ts';
import { CodedError, type ErrorDetails } from '../shared/coded-error.ts';
import { capMemory } from './module-limits.ts';
import { preview1Core } from '../wasm/unbundle.ts';
import { binaryKind, componentOutline } from '../wasm/component.ts';
import { notACommand } from '../wasm/world.ts';
import { type Program, type TranspiledFiles, compileProgram } from './p2/program.ts';
import { transpileInWorker } from '../wasm/transpile.ts';

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

/** Where a component's output for the WASI 0.2 host comes from, and where one made now goes (issue 15). */
export interface ComponentSource {
  /** The output stored for it (at install, or by an earlier run), if any; asked only for a component on the 0.2 host. */
  stored?: () => TranspiledFiles | undefined;
  /**
   * Hears an output transpiled now because none was stored (once its core modules compiled), and
   * how long transpiling took: the launcher stores it, so the next run need not transpile.
   */
  made?: (files: TranspiledFiles, ms: number) => void;
}

/**
 * Compiles `bytes` as a WASI command, capping its memory at `memoryMaxBytes`: a preview1 module,
 * or a WASI 0.2 component (issue 15): an adapter-built one runs its preview1 core module 0
 * (wasm/unbundle.ts), any other on the WASI 0.2 host from `component`'s stored output or, failing
 * that, transpiled now in the transpiler's worker (never on this thread: the window's main process
 * keeps answering). `TERRARIUM_COMPONENT_HOST=wasi-0.2` forces the 0.2 host (tests). `sync`: a core
 * module is compiled on this thread at once (`new WebAssembly.Module`), for a thread with nothing
 * else to do (a run's worker loading its module: worker-main.ts), never main's.
 */
export async function loadCommand(bytes: Uint8Array, memoryMaxBytes?: number, component?: ComponentSource, sync = false): Promise<Program> {
  let prepared = bytes;
  // wasm32 memory ends at 4 GiB (65536 pages): a larger cap is no cap.
  const pages = memoryMaxBytes === undefined ? MAX_PAGES_32 : Math.min(MAX_PAGES_32, Math.max(1, Math.floor(memoryMaxBytes / PAGE_BYTES)));
  try {
    if (binaryKind(bytes) === 'component') {
      const core = componentCore(bytes);
      if (core === null) return await loadComponent(bytes, pages, component);
      bytes = core;
    }
    // Rewriting copies the whole binary (flite: 21 MB, 5-30 ms): only when the cap changes something.
    prepared = capChangesNothing(bytes, pages) ? bytes : capMemory(bytes, pages);
  } catch (err) {
    if (err instanceof WasmBinaryError) throw new LoadError(err.message, { reason: err.code });
    throw err;
  }
  let module: WebAssembly.Module;
  try {
    module = sync ? new WebAssembly.Module(prepared as Uint8Array<ArrayBuffer>) : await WebAssembly.compile(prepared as Uint8Array<ArrayBuffer>);
  } catch (err) {
    throw new LoadError(`not a valid WebAssembly module: ${(err as Error).message.replace(/^WebAssembly\.(compile|Module)\(\): /, '')}`);
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
  if (!sections(prepared).some((s) => s.id === START_SECTION)) runsNothingWhenInstantiated.add(module);
  return module;
}

/** The start section's id: a function the module runs when it is instantiated. */
const START_SECTION = 8;
/** Modules compiled by `loadCommand` that have no start section. */
const runsNothingWhenInstantiated = new WeakSet<WebAssembly.Module>();

/**
 * Notes that `module`, compiled by `loadCommand` in a run's worker and posted to this thread (run.ts
 * `loadInWorker`), has no start section, as that worker's `instantiatesInert` said: a structured
 * clone does not carry this thread's note.
 */
export function noteInert(module: WebAssembly.Module): void {
  runsNothingWhenInstantiated.add(module);
}

/**
 * True when `program` is a preview1 module compiled by `loadCommand` that has no start section:
 * instantiating it runs none of its code (only its memory and tables are initialised from its own
 * segments), so it may be instantiated before its run is configured (a primed spare, guest.ts
 * `primeInstance`).
 */
export function instantiatesInert(program: Program): boolean {
  return program instanceof WebAssembly.Module && runsNothingWhenInstantiated.has(program);
}

/**
 * True when `capMemory(bytes, pages)` would allow the module nothing less than `bytes` already does:
 * every memory declares a maximum of at most `pages`, or has none and `pages` is wasm32's own
 * ceiling (65536 pages, V8's limit for a memory without a maximum). Throws what `capMemory` would
 * for malformed bytes; false for a memory whose minimum is over the cap (`capMemory` says why).
 */
function capChangesNothing(bytes: Uint8Array, pages: number): boolean {
  for (const section of sections(bytes)) {
    if (!isMemoryBearing(section)) continue;
    for (const span of memorySpans(bytes, section)) {
      if (span.min > pages || (span.max === null ? pages < MAX_PAGES_32 : span.max > pages)) return false;
    }
  }
  return true;
}

/** Refuses a module that imports a preview1 function with a type other than the spec's. */
function checkImportTypes(bytes: Uint8Array): void {
  let why: string | null;
  try {
    why = mistypedWasiImport(bytes);
  } catch (err) {
    if (err instanceof WasmBinaryError) throw new LoadError(err.message, { reason: err.code });
    throw err;
  }
  if (why !== null) throw new LoadError(`not a WASI command: ${why}`);
}

/**
 * The preview1 core module of an adapter-built command component, null for one that needs the
 * WASI 0.2 host, or a LoadError saying what a non-command is.
 */
function componentCore(bytes: Uint8Array): Uint8Array | null {
  const what = notACommand(componentOutline(bytes).exports);
  if (what !== null) throw new LoadError(what);
  return preview1Core(bytes);
}

/**
 * A component for the WASI 0.2 host, or a LoadError naming why it cannot be one. An output made
 * now goes to `component.made` only once it has compiled (a broken one is never kept).
 */
async function loadComponent(bytes: Uint8Array, pages: number, component?: ComponentSource): Promise<Program> {
  try {
    const stored = component?.stored?.();
    if (stored !== undefined) return await compileProgram(stored, pages);
    const t0 = performance.now();
    const files = await transpileInWorker(bytes);
    const ms = Math.round(performance.now() - t0);
    const program = await compileProgram(files, pages);
    component?.made?.(files, ms);
    return program;
  } catch (err) {
    if (err instanceof WasmBinaryError) throw err;
    throw new LoadError(`not a component Terrarium can run: ${(err as Error).message.split('\n', 1)[0]}`);
  }
}
