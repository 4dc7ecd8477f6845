/**
 * A component ready for the WASI 0.2 host: jco's generated bindings (sync instantiation, hybrid
 * bindings, never its optimiser) and their core modules, compiled. Made once at install time and
 * stored (library/transpiled-store.ts), or, for a component that is not installed, when it runs.
 */
import { capMemory } from '../module-limits.ts';
import { type TranspiledFiles, checkCoreNames } from '../../wasm/transpile.ts';

/** What a run's worker instantiates for a component. */
export interface ComponentProgram {
  kind: 'component';
  /** The generated ES module's source; it exports `instantiate(getCoreModule, imports)`. */
  js: string;
  /** Core modules by the file name the bindings ask for. */
  cores: [string, WebAssembly.Module][];
}

/** What a run executes: a preview1 core module or a component. */
export type Program = WebAssembly.Module | ComponentProgram;

/** True for a component program. */
export const isComponentProgram = (p: Program): p is ComponentProgram => !(p instanceof WebAssembly.Module);

/**
 * What a component may call that decides where it may run (same-thread.ts): a path operation or
 * a directory listing (either may ask the person), a read of an input stream (stdin among them),
 * and any reach of a preopened folder (the filesystem interface at all). Read from the WIT names
 * jco's glue spells out for every function the component lowers (`[method]descriptor.open-at`):
 * a function it does not import is in no glue. Glue that imports the filesystem but spells no
 * descriptor method by that name (another jco) counts as asking.
 */
export function componentReach(p: ComponentProgram): { asks: boolean; reads: boolean; folders: boolean } {
  const asks = /\[method\]descriptor\.([a-z-]+-at|read-directory)\b/.test(p.js)
    || (p.js.includes('wasi:filesystem/types') && !p.js.includes('[method]descriptor.'));
  const reads = /\[method\]input-stream\.|\[method\]output-stream\.(blocking-)?splice\b|wasi:io\/poll/.test(p.js);
  // Any of the filesystem interface: a preopened folder's descriptor is its way in.
  const folders = p.js.includes('wasi:filesystem/');
  return { asks, reads, folders };
}

export { TRANSPILER, type TranspiledFiles, transpileComponent } from '../../wasm/transpile.ts';

/**
 * Compiles transpiled files, every core memory capped at `maxPages` (as for preview1 modules).
 * Refuses core modules with a name jco's bindings cannot hold (checkCoreNames, secreview3 hole 1)
 * before anything compiles the bindings: every run, an output stored by an earlier version too.
 */
export async function compileProgram(files: TranspiledFiles, maxPages: number): Promise<ComponentProgram> {
  const js = Object.entries(files).find(([name]) => name.endsWith('.js'));
  if (js === undefined) throw new Error('the transpiled component has no bindings');
  const cores = await Promise.all(Object.entries(files).filter(([name]) => name.endsWith('.wasm')).map(
    async ([name, b]): Promise<[string, WebAssembly.Module]> => [name, await WebAssembly.compile(capMemory(b, maxPages) as Uint8Array<ArrayBuffer>)],
  ));
  checkCoreNames(cores.map(([, m]) => m));
  return { kind: 'component', js: Buffer.from(js[1]).toString('utf8'), cores };
}
