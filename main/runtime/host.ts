/**
 * Builds the `wasi_snapshot_preview1` import object from the syscall families (uwasi's shape):
 * each function is wrapped once so a thrown `WasiError` becomes its errno, any other host
 * exception becomes `io` (and is reported: one line, the stack apart), and `proc_exit` unwinds. Functions a module imports
 * that preview1 does not define answer `nosys`.
 */
import { PREVIEW1_SIGNATURES, type Preview1Name, WASI_MODULE, isPreview1Name } from '../wasm/preview1.ts';
import { Errno } from './abi.ts';
import type { Preview1Imports, Provider, WasiContext, WasiFunction } from './context.ts';
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
/**
 * The families `providers` joins, most needed first. Their names are disjoint
 * (test/runtime/host.test.ts), so taking a name from the first family that has it gives the
 * function `providers` gives.
 */
const FAMILIES: readonly ((ctx: WasiContext) => Provider)[] = [fdIo, proc, fdMeta, argsEnv, clockRandom, pathOps, poll, sock];

/**
 * A lookup of the host function of each preview1 name, as `providers(ctx)[name]`, that makes a
 * family only when a name it has is asked for: a module that imports no path, poll or socket
 * function (hello: fd_close, fd_fdstat_get, fd_seek, fd_write, proc_exit) does not make those
 * families' closures, nor compile them (docs/design/start2.md, "Tables and checks at first use").
 */
export function providersOf(ctx: WasiContext): (name: Preview1Name) => WasiFunction {
  const made: Provider = {};
  let next = 0;
  return (name) => {
    while (made[name] === undefined && next < FAMILIES.length) Object.assign(made, FAMILIES[next++]!(ctx));
    return made[name] as WasiFunction;
  };
}

export type HostReport = (message: string, detail?: string) => void;

type Arg = number | bigint;

/** How many parameters preview1 function `name` takes in core wasm (its spec signature's). */
function paramCount(name: string): number | undefined {
  if (!isPreview1Name(name)) return undefined;
  const params = PREVIEW1_SIGNATURES[name].split('->', 1)[0]!;
  return params === '' ? 0 : params.split(',').length;
}

/**
 * `f` wrapped as an import: a thrown WasiError becomes its errno, any other host error `io`
 * (reported). The wrapper takes `arity` parameters (by default the preview1 signature's) and passes
 * them all on: a fixed-arity call costs a few ns less than `apply` with `arguments` (up to a tenth
 * of a clock read, issue 14.3); other arities (path_open's 9) take the general wrapper.
 */
export function wrap(name: string, f: WasiFunction, report: HostReport, arity = paramCount(name)): WasiFunction {
  const fail = (err: unknown): number => {
    if (err instanceof WasiError) return err.errno;
    if (err instanceof ProcExit) throw err;
    const errno = errnoFromNode(err);
    if (errno !== undefined) return errno;
    const what = (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).split('\n', 1)[0];
    report(`internal error in ${name}: ${what}`, err instanceof Error ? err.stack : undefined);
    return Errno.io;
  };
  const g = f as (...args: Arg[]) => number | void;
  // The call's result is returned last, after the catch: V8 optimises a function once its calls
  // have run ~400 times its length up to the return they took (iospeed.md, round 6).
  type R = number | void;
  switch (arity) {
    case 0: return () => { let r: R; try { r = g(); } catch (err) { return fail(err); } return r ?? 0; };
    case 1: return (a: Arg) => { let r: R; try { r = g(a); } catch (err) { return fail(err); } return r ?? 0; };
    case 2: return (a: Arg, b: Arg) => { let r: R; try { r = g(a, b); } catch (err) { return fail(err); } return r ?? 0; };
    case 3: return (a: Arg, b: Arg, c: Arg) => { let r: R; try { r = g(a, b, c); } catch (err) { return fail(err); } return r ?? 0; };
    case 4: return (a: Arg, b: Arg, c: Arg, d: Arg) => { let r: R; try { r = g(a, b, c, d); } catch (err) { return fail(err); } return r ?? 0; };
    case 5: return (a: Arg, b: Arg, c: Arg, d: Arg, e: Arg) => { let r: R; try { r = g(a, b, c, d, e); } catch (err) { return fail(err); } return r ?? 0; };
  }
  // `apply` with `arguments` avoids allocating a rest array on every call.
  return function wrapped(this: unknown) {
    try {
      // eslint-disable-next-line prefer-rest-params, prefer-spread -- no rest array per call
      return f.apply(undefined, arguments as unknown as never[]) ?? 0;
    } catch (err) {
      return fail(err);
    }
  };
}

/**
 * An import that calls `slot.f` as it is at the time of the call (a primed instance's imports,
 * instantiated before their host functions exist: guest.ts `primeInstance`). Like `wrap`, it takes
 * the preview1 signature's parameter count, so a primed run's calls pay no `arguments` object.
 */
export function forwarder(name: string, slot: { f: WasiFunction }): WasiFunction {
  const s = slot as { f: (...args: Arg[]) => number };
  switch (paramCount(name)) {
    case 0: return () => s.f();
    case 1: return (a: Arg) => s.f(a);
    case 2: return (a: Arg, b: Arg) => s.f(a, b);
    case 3: return (a: Arg, b: Arg, c: Arg) => s.f(a, b, c);
    case 4: return (a: Arg, b: Arg, c: Arg, d: Arg) => s.f(a, b, c, d);
    case 5: return (a: Arg, b: Arg, c: Arg, d: Arg, e: Arg) => s.f(a, b, c, d, e);
  }
  // eslint-disable-next-line prefer-rest-params -- no rest array per call
  return function forward(this: unknown) { return slot.f.apply(undefined, arguments as unknown as never[]); };
}

/**
 * The import object for `module`: every preview1 function it imports, wrapped; unknown
 * preview1 names answer `nosys`.
 */
export function createImports(
  ctx: WasiContext, module: WebAssembly.Module, report: HostReport,
): WebAssembly.Imports {
  const all = providersOf(ctx);
  const wasi: Record<string, WasiFunction> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module !== WASI_MODULE || imp.kind !== 'function') continue;
    // Only preview1's own names: an import named "toString" is no host function.
    if (imp.name === 'clock_time_get') {
      // The hot clock read skips its ignored i64 argument in wasm (clock-shim.ts).
      wasi[imp.name] = clockTimeGetImport(wrap(imp.name, clockTimeGet(ctx), report, 2) as (id: number, out: number) => number);
      continue;
    }
    wasi[imp.name] = isPreview1Name(imp.name) ? wrap(imp.name, all(imp.name), report) : () => Errno.nosys;
  }
  return { [WASI_MODULE]: wasi };
}
