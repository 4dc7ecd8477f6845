/**
 * A component ready for the WASI 0.2 host: jco's generated bindings (sync instantiation, hybrid
 * bindings, never its optimiser) and their core modules, compiled. Made once at install time and
 * stored (library/transpiled-store.ts), or, for a component that is not installed, when it runs.
 */
import { capMemory } from '../module-limits.ts';
import type { TranspiledFiles } from '../../wasm/transpile.ts';

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

export { TRANSPILER, type TranspiledFiles, transpileComponent } from '../../wasm/transpile.ts';

/** Compiles transpiled files, every core memory capped at `maxPages` (as for preview1 modules). */
export async function compileProgram(files: TranspiledFiles, maxPages: number): Promise<ComponentProgram> {
  const js = Object.entries(files).find(([name]) => name.endsWith('.js'));
  if (js === undefined) throw new Error('the transpiled component has no bindings');
  const cores = await Promise.all(Object.entries(files).filter(([name]) => name.endsWith('.wasm')).map(
    async ([name, b]): Promise<[string, WebAssembly.Module]> => [name, await WebAssembly.compile(capMemory(b, maxPages) as Uint8Array<ArrayBuffer>)],
  ));
  return { kind: 'component', js: Buffer.from(js[1]).toString('utf8'), cores };
}
