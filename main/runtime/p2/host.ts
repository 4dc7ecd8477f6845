/**
 * The WASI 0.2 host's import object, keyed as jco's generated bindings import it (interface names
 * without a version, so 0.2.0–0.2.x are served by one host). `wasi:sockets` and `wasi:http` are
 * not provided: a component importing them is refused at instantiation, which is the deny.
 */
import type { WasiContext } from '../context.ts';
import { type HostReport, providers, wrap } from '../host.ts';
import { GuestMemory } from '../memory.ts';
import { cliInterfaces, clockRandomInterfaces } from './cli.ts';
import { filesystemInterfaces } from './filesystem.ts';
import { InputStream, IoError, OutputStream, Pollable, poll } from './io.ts';
import { Scratch } from './scratch.ts';

/** The 0.2 imports for a run whose preview1 context is `ctx` (its memory becomes the scratch). */
export function createP2Imports(ctx: WasiContext, report: HostReport): Record<string, Record<string, unknown>> {
  const all = providers(ctx);
  const p1 = Object.fromEntries(Object.entries(all).map(([name, f]) => [name, wrap(name, f, report)]));
  const s = new Scratch(p1, () => ctx.mem);
  ctx.mem = new GuestMemory(s.memory);
  return {
    ...cliInterfaces(ctx, s),
    ...clockRandomInterfaces(),
    ...filesystemInterfaces(s),
    'wasi:io/error': { Error: IoError },
    'wasi:io/poll': { Pollable, poll },
    'wasi:io/streams': { InputStream, OutputStream },
  };
}
