/**
 * Runs a component (issue 15.2): its generated bindings are loaded (asynchronously: an ES module),
 * then instantiated with the WASI 0.2 host and its `wasi:cli/run` export called, synchronously, so
 * a run on the command's own thread (same-thread.ts) bounds it as it does a preview1 module. Exit
 * codes and traps come back as for a preview1 run: `exit` → ProcExit, a trap → an exception.
 */
import vm from 'node:vm';
import type { WasiContext } from '../context.ts';
import { ProcExit } from '../errors.ts';
import type { HostReport } from '../host.ts';
import { createP2Imports } from './host.ts';
import type { ComponentProgram } from './program.ts';

/** A component's generated bindings, loaded. */
export interface Bindings {
  instantiate(getCoreModule: (name: string) => WebAssembly.Module, imports: unknown): Record<string, { run?: () => void }>;
}

/**
 * jco's sync bindings as the body of a function returning them: its two exports (`instantiate`,
 * `_util`) made local, strict as a module is. Undefined when the source has any other import or
 * export (another jco): it is then loaded as the module it is.
 */
export function bindingsBody(js: string): string | undefined {
  const body = js.replace(/^export function instantiate\(/m, 'function instantiate(').replace(/^export const _util = /m, 'const _util = ');
  if (/^\s*(export|import)\b|\bimport\s*[.(]/m.test(body)) return undefined;
  return `"use strict";\n${body}\nreturn { instantiate };`;
}

/**
 * Loads `program`'s generated bindings: compiled as a function (bindingsBody), which takes a
 * tenth of the time of importing the same source as an ES module from a data: URL (which is
 * base64-encoded, decoded and parsed again by the module loader: 40–90 ms a run for write16's
 * 400 KB of glue); as a module otherwise.
 */
export async function loadBindings(program: ComponentProgram): Promise<Bindings> {
  const body = bindingsBody(program.js);
  let made: (() => Bindings) | undefined;
  try {
    if (body !== undefined) made = vm.compileFunction(body, [], { filename: 'component-bindings.js' }) as () => Bindings;
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err; // e.g. a top-level await: a module after all
  }
  if (made !== undefined) return made();
  return await import(`data:text/javascript;base64,${Buffer.from(program.js).toString('base64')}`) as Bindings;
}

/**
 * Instantiates `program` (its `bindings` loaded) against the run's context and calls `run`, both
 * inside `start` (which may bound them); throws ProcExit with its exit code.
 */
export function runLoaded(program: ComponentProgram, bindings: Bindings, ctx: WasiContext, report: HostReport, start: (run: () => void) => void): void {
  const imports = createP2Imports(ctx, report);
  // jco's glue reads process.env.JCO_DEBUG on every host call, and each read of Node's env object
  // asks the C library (getenv); a plain copy makes it a property read (~8 µs less per call).
  // Node's own object is back after the run (on the command's thread the process goes on).
  const env = process.env;
  process.env = { ...env };
  const cores = new Map(program.cores);
  try {
    start(() => {
      const root = bindings.instantiate((name) => {
        const m = cores.get(name);
        if (m === undefined) throw new Error(`the bindings ask for a core module ${name} that was not compiled`);
        return m;
      }, imports);
      const run = Object.entries(root).find(([name]) => name.startsWith('wasi:cli/run@'))?.[1].run ?? root.run?.run;
      if (run === undefined) throw new Error('the component does not export wasi:cli/run');
      try {
        run();
      } catch (err) {
        // `run` returning its error result: exit code 1, as wasmtime does.
        if (err !== null && typeof err === 'object' && 'payload' in err && !(err instanceof ProcExit)) throw new ProcExit(1);
        throw err;
      }
    });
  } finally {
    process.env = env;
  }
}

/** A component whose bindings are loaded: `run` is runLoaded for it. */
export interface LoadedComponent {
  run(ctx: WasiContext, report: HostReport, start: (run: () => void) => void): void;
}

/** Loads `program`'s bindings for a synchronous run later (the command's thread: same-thread.ts). */
export async function loadComponent(program: ComponentProgram): Promise<LoadedComponent> {
  const bindings = await loadBindings(program);
  return { run: (ctx, report, start) => runLoaded(program, bindings, ctx, report, start) };
}

/** Loads `program`'s bindings, then runs it (runLoaded) unbounded: a run's worker. */
export async function runComponent(program: ComponentProgram, ctx: WasiContext, report: HostReport): Promise<void> {
  runLoaded(program, await loadBindings(program), ctx, report, (run) => run());
}
