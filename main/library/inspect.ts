/**
 * Inspecting a module without running it (DESIGN §4): is it a valid core module (or a component,
 * named as such), a WASI command, which preview1 functions it imports and so what it can possibly
 * do, what its `producers` and `name` sections say, and what memory it asks for.
 */
import crypto from 'node:crypto';
import { WASI_MODULE } from '../runtime/abi.ts';
import { ModuleLimitError, memoryLimits, readU32Leb } from '../runtime/module-limits.ts';
import { mistypedWasiImport } from '../runtime/preview1-signatures.ts';
import type { Capability, Inspection } from './types.ts';
// Issue 15 (components): component inspection lives in its own module.
import { InspectError } from './inspect-error.ts';
import { inspectComponent } from './inspect-component.ts';
import { binaryKind } from '../runtime/p2/component-binary.ts';

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

function readName(b: Uint8Array, at: number): [string, number] {
  const [len, p] = readU32Leb(b, at);
  if (p + len > b.length) throw new ModuleLimitError('malformed', 'name runs past its section');
  return [new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(p, p + len)), p + len];
}

/** Parses a `producers` custom section (tool-conventions/ProducersSection.md). */
export function parseProducers(section: Uint8Array): Inspection['producers'] {
  const out: Inspection['producers'] = {};
  let [fields, p] = readU32Leb(section, 0);
  for (let i = 0; i < fields; i++) {
    let field: string;
    [field, p] = readName(section, p);
    let count: number;
    [count, p] = readU32Leb(section, p);
    const values: { name: string; version: string }[] = [];
    for (let j = 0; j < count; j++) {
      let name: string;
      let version: string;
      [name, p] = readName(section, p);
      [version, p] = readName(section, p);
      values.push({ name, version });
    }
    out[field] = values;
  }
  return out;
}

/** The module name from a `name` custom section (subsection 0), if any. */
export function parseModuleName(section: Uint8Array): string | null {
  let p = 0;
  while (p < section.length) {
    const id = section[p++]!;
    let size: number;
    [size, p] = readU32Leb(section, p);
    if (id === 0) return readName(section, p)[0];
    p += size;
  }
  return null;
}

function custom(module: WebAssembly.Module, name: string): Uint8Array | undefined {
  const s = WebAssembly.Module.customSections(module, name)[0];
  return s === undefined ? undefined : new Uint8Array(s);
}

const sha256Of = (bytes: Uint8Array): string => crypto.createHash('sha256').update(bytes).digest('hex');

/** Inspects `bytes`; throws InspectError naming the problem for anything Terrarium cannot run. */
export async function inspectModule(bytes: Uint8Array): Promise<Inspection> {
  if (bytes.length === 0) throw new InspectError('empty', 'the file is empty');
  // Issue 15: a WASI 0.2 component (header layer 1) is inspected as one.
  if (binaryKind(bytes) === 'component') return inspectComponent(bytes, sha256Of(bytes), inspectModule);
  let memory: Inspection['memory'];
  try {
    memory = memoryLimits(bytes);
  } catch (err) {
    if (!(err instanceof ModuleLimitError)) throw err;
    const code = err.code === 'not-wasm' || err.code === 'component' ? err.code : 'malformed';
    throw new InspectError(code, err.message);
  }
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  } catch (err) {
    throw new InspectError('malformed', `not a valid WebAssembly module: ${(err as Error).message.replace(/^WebAssembly\.compile\(\): /, '')}`);
  }
  const imports = WebAssembly.Module.imports(module);
  const foreign = imports.filter((i) => i.module !== WASI_MODULE || i.kind !== 'function');
  if (foreign.length > 0) {
    const names = foreign.slice(0, 3).map((i) => `${i.module}.${i.name}`).join(', ');
    throw new InspectError('unsupported-imports', `not a WASI preview1 command: it imports ${names}${foreign.length > 3 ? ', …' : ''}`);
  }
  const mistyped = mistypedWasiImport(bytes);
  if (mistyped !== null) throw new InspectError('unsupported-imports', `not a WASI preview1 command: ${mistyped}`);
  const exports = WebAssembly.Module.exports(module).map((e) => ({ name: e.name, kind: e.kind }));
  if (!exports.some((e) => e.name === '_start' && e.kind === 'function')) {
    throw new InspectError('not-command', 'not a WASI command: it has no "_start" function to run (it may be a library or reactor)');
  }
  if (!exports.some((e) => e.name === 'memory' && e.kind === 'memory')) {
    throw new InspectError('not-command', 'not a WASI command: it does not export its "memory"');
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
    sha256: sha256Of(bytes),
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
