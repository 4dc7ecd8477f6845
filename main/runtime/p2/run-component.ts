/**
 * Runs a component in a run's worker (issue 15.2): its generated bindings are instantiated with
 * the WASI 0.2 host, then its `wasi:cli/run` export is called. Exit codes and traps come back as
 * for a preview1 run: `exit` → ProcExit, a trap → an exception.
 */
import type { WasiContext } from '../context.ts';
import { ProcExit } from '../errors.ts';
import type { HostReport } from '../host.ts';
import { createP2Imports } from './host.ts';
import type { ComponentProgram } from './program.ts';

interface Bindings {
  instantiate(getCoreModule: (name: string) => WebAssembly.Module, imports: unknown): Record<string, { run?: () => void }>;
}

/** Instantiates `program` against the run's context and calls `run`; throws ProcExit with its exit code. */
export async function runComponent(program: ComponentProgram, ctx: WasiContext, report: HostReport): Promise<void> {
  const imports = createP2Imports(ctx, report);
  // jco's glue reads process.env.JCO_DEBUG on every host call, and each read of Node's env object
  // asks the C library (getenv); a plain copy makes it a property read (~8 µs less per call).
  // The run's worker reads no environment variable after this point.
  process.env = { ...process.env };
  const bindings = await import(`data:text/javascript;base64,${Buffer.from(program.js).toString('base64')}`) as Bindings;
  const cores = new Map(program.cores);
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
}
