/**
 * Builds the `wasi_snapshot_preview1` import object from the syscall families (uwasi's shape):
 * each function is wrapped once so a thrown `WasiError` becomes its errno, any other host
 * exception becomes `io` (and is reported: one line, the stack apart), and `proc_exit` unwinds. Functions a module imports
 * that preview1 does not define answer `nosys`.
 */
import { WASI_MODULE, isPreview1Name } from '../wasm/preview1.ts';
import { Errno } from './abi.ts';
import type { Preview1Imports, WasiContext, WasiFunction } from './context.ts';
import { ProcExit, WasiError, errnoFromNode } from './errors.ts';
import { argsEnv } from './families/args-env.ts';
import { clockRandom, clockTimeGet } from './families/clock-random.ts';
import { clockTimeGetImport } from './clock-shim.ts';
import { fdMeta } from './families/fd-meta.ts';
import { fdIo } from './families/fd.ts';
import { pathOps } from './families/path.ts';
import { poll } from './families/poll.ts';
import { proc } from './families/proc.ts';
import { sock } from './families/sock.ts';

/** The 46 functions of `wasi_snapshot_preview1`, by family (one missing does not compile). */
export function providers(ctx: WasiContext): Preview1Imports {
  return {
    ...argsEnv(ctx), ...clockRandom(ctx), ...fdIo(ctx), ...fdMeta(ctx), ...pathOps(ctx),
    ...poll(ctx), ...proc(), ...sock(ctx),
  };
}

/**
 * Where host errors go: `message` is one line naming the function and the error (no stack);
 * `detail` is the stack, for Terrarium's own log only, never for the app's output.
 */
export type HostReport = (message: string, detail?: string) => void;

/** `f` wrapped as an import: a thrown WasiError becomes its errno, any other host error `io` (reported). */
export function wrap(name: string, f: WasiFunction, report: HostReport): WasiFunction {
  // `apply` with `arguments` avoids allocating a rest array on every call of a hot syscall.
  return function wrapped(this: unknown) {
    try {
      // eslint-disable-next-line prefer-rest-params, prefer-spread -- no rest array per call of a hot syscall
      return f.apply(undefined, arguments as unknown as never[]) ?? 0;
    } catch (err) {
      if (err instanceof WasiError) return err.errno;
      if (err instanceof ProcExit) throw err;
      const errno = errnoFromNode(err);
      if (errno !== undefined) return errno;
      const what = (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).split('\n', 1)[0];
      report(`internal error in ${name}: ${what}`, err instanceof Error ? err.stack : undefined);
      return Errno.io;
    }
  };
}

/**
 * The import object for `module`: every preview1 function it imports, wrapped; unknown
 * preview1 names answer `nosys`.
 */
export function createImports(
  ctx: WasiContext, module: WebAssembly.Module, report: HostReport,
): WebAssembly.Imports {
  const all = providers(ctx);
  const wasi: Record<string, WasiFunction> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module !== WASI_MODULE || imp.kind !== 'function') continue;
    // Only preview1's own names: an import named "toString" is no host function.
    if (imp.name === 'clock_time_get') {
      // The hot clock read skips its ignored i64 argument in wasm (clock-shim.ts).
      wasi[imp.name] = clockTimeGetImport(wrap(imp.name, clockTimeGet(ctx), report) as (id: number, out: number) => number);
      continue;
    }
    wasi[imp.name] = isPreview1Name(imp.name) ? wrap(imp.name, all[imp.name], report) : () => Errno.nosys;
  }
  return { [WASI_MODULE]: wasi };
}
