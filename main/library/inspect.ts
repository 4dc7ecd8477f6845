/**
 * Inspecting a module without running it (DESIGN §4): is it a valid core module (or a component,
 * named as such), a WASI command, which preview1 functions it imports and so what it can possibly
 * do, what its `producers` and `name` sections say, and what memory it asks for.
 */
import { WasmBinaryError } from '../wasm/binary.ts';
import { parseModuleName, parseProducers } from '../wasm/custom-sections.ts';
import { memoryLimits } from '../wasm/memory.ts';
import { WASI_MODULE, mistypedWasiImport } from '../wasm/preview1.ts';
import { CodedError } from '../shared/coded-error.ts';
import type { Capability, Inspection } from './types.ts';
// Issue 15 (components): component inspection lives in its own module.
import { inspectComponent } from './inspect-component.ts';
import { binaryKind } from '../wasm/component.ts';
import { sha256Hex } from './hash.ts';

export type { Capability, Inspection } from './types.ts';

/** What a module can possibly do, by the preview1 functions it imports. */
export const CAPABILITIES: Record<Capability, RegExp> = {
  files: /^(path_|fd_readdir|fd_prestat_|fd_filestat_set_|fd_allocate|fd_renumber)/,
  environment: /^environ_/,
  arguments: /^args_/,
  clocks: /^(clock_|poll_oneoff)/,
  randomness: /^random_get$/,
  sockets: /^sock_/,
  'process exit': /^proc_/,
  'terminal i/o': /^(fd_read|fd_write)$/,
};

export { InspectError } from './inspect-error.ts';

function custom(module: WebAssembly.Module, name: string): Uint8Array | undefined {
  const s = WebAssembly.Module.customSections(module, name)[0];
  return s === undefined ? undefined : new Uint8Array(s);
}

/** Inspects `bytes`; throws a CodedError naming the problem (empty, not-wasm, component, malformed, unsupported-imports, not-command) for anything Terrarium cannot run. */
export async function inspectModule(bytes: Uint8Array): Promise<Inspection> {
  if (bytes.length === 0) throw new CodedError('empty', 'the file is empty');
  // Issue 15: a WASI 0.2 component (header layer 1) is inspected as one.
  if (binaryKind(bytes) === 'component') return inspectComponent(bytes, sha256Hex(bytes), inspectModule);
  let memory: Inspection['memory'];
  try {
    memory = memoryLimits(bytes);
  } catch (err) {
    if (!(err instanceof WasmBinaryError)) throw err;
    const code = err.code === 'not-wasm' || err.code === 'component' ? err.code : 'malformed';
    throw new CodedError(code, err.message);
  }
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  } catch (err) {
    throw new CodedError('malformed', `not a valid WebAssembly module: ${(err as Error).message.replace(/^WebAssembly\.compile\(\): /, '')}`);
  }
  const imports = WebAssembly.Module.imports(module);
  const foreign = imports.filter((i) => i.module !== WASI_MODULE || i.kind !== 'function');
  if (foreign.length > 0) {
    const names = foreign.slice(0, 3).map((i) => `${i.module}.${i.name}`).join(', ');
    throw new CodedError('unsupported-imports', `not a WASI preview1 command: it imports ${names}${foreign.length > 3 ? ', …' : ''}`);
  }
  const mistyped = mistypedWasiImport(bytes);
  if (mistyped !== null) throw new CodedError('unsupported-imports', `not a WASI preview1 command: ${mistyped}`);
  const exports = WebAssembly.Module.exports(module).map((e) => ({ name: e.name, kind: e.kind }));
  if (!exports.some((e) => e.name === '_start' && e.kind === 'function')) {
    throw new CodedError('not-command', 'not a WASI command: it has no "_start" function to run (it may be a library or reactor)');
  }
  if (!exports.some((e) => e.name === 'memory' && e.kind === 'memory')) {
    throw new CodedError('not-command', 'not a WASI command: it does not export its "memory"');
  }
  const wasiFunctions = [...new Set(imports.map((i) => i.name))].sort();
  const capabilities: Inspection['capabilities'] = {};
  for (const [cap, re] of Object.entries(CAPABILITIES) as [Capability, RegExp][]) {
    const fns = wasiFunctions.filter((f) => re.test(f));
    if (fns.length > 0) capabilities[cap] = fns;
  }
  let producers: Inspection['producers'] = {};
  let moduleName: string | null = null;
  // A malformed custom section is not a reason to refuse a module; it just tells us nothing.
  try {
    const p = custom(module, 'producers');
    if (p) producers = parseProducers(p);
  } catch {
    producers = {};
  }
  try {
    const n = custom(module, 'name');
    if (n) moduleName = parseModuleName(n);
  } catch {
    moduleName = null;
  }
  return {
    sha256: sha256Hex(bytes),
    size: bytes.length,
    kind: 'command',
    wasi: 'preview1',
    exports,
    wasiFunctions,
    capabilities,
    producers,
    moduleName,
    memory,
  };
}
