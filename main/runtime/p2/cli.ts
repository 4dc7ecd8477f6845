/**
 * `wasi:cli`, `wasi:clocks` and `wasi:random` for the WASI 0.2 host: arguments and environment
 * as the run was given them (no more), exit codes, stdio through the run's rings, terminals as the
 * preview1 host reports them, clocks, and secure randomness with a bounded size per call.
 */
import crypto from 'node:crypto';
import { Errno, Filetype } from '../abi.ts';
import type { WasiContext } from '../context.ts';
import { ProcExit } from '../errors.ts';
import { InputStream, OutputStream, Pollable } from './io.ts';
import { Resource } from './lower.ts';
import { P1Error, type Scratch } from './scratch.ts';

const decode = (b: Uint8Array): string => Buffer.from(b.subarray(0, b.length - 1)).toString('utf8');

/** A terminal resource (`wasi:cli/terminal-input|output`): it has no methods. */
class Terminal extends Resource {}

/** The `wasi:cli/*` interfaces, keyed as the generated bindings import them. */
export function cliInterfaces(ctx: WasiContext, s: Scratch): Record<string, Record<string, unknown>> {
  // Stdio goes straight to the run's rings (what preview1's fd_read/fd_write on fds 0-2 do, minus
  // the descriptor lookup: a 0.2 guest has no descriptor numbers). A fresh resource per call: a
  // guest may drop each handle it is given.
  const stdin = (): InputStream => new InputStream((len) => {
    const into = s.view(len);
    return into.subarray(0, ctx.stdio.read([into]));
  });
  const output = (stream: 1 | 2) => (): OutputStream => new OutputStream((src, at, len) => {
    if (!ctx.stdio.writeFrom(stream, src, at, len)) throw new P1Error(Errno.pipe, 'output closed');
  });
  /** A terminal when the preview1 host reports the stdio fd as a character device (isatty). */
  const terminal = (fd: number): Terminal | undefined => {
    s.call('fd_fdstat_get', fd, s.out());
    return s.m.u8At(s.out()) === Filetype.character_device ? new Terminal() : undefined;
  };
  return {
    'wasi:cli/environment': {
      getEnvironment: (): [string, string][] => ctx.env.map(decode).map((e) => {
        const eq = e.indexOf('=');
        return [e.slice(0, eq), e.slice(eq + 1)];
      }),
      getArguments: (): string[] => ctx.args.map(decode),
      initialCwd: (): string | undefined => undefined,
    },
    'wasi:cli/exit': {
      exit: (status: { tag: 'ok' | 'err' }): never => {
        throw new ProcExit(status.tag === 'ok' ? 0 : 1);
      },
      exitWithCode: (code: number): never => {
        throw new ProcExit(code);
      },
    },
    'wasi:cli/stdin': { getStdin: stdin },
    'wasi:cli/stdout': { getStdout: output(1) },
    'wasi:cli/stderr': { getStderr: output(2) },
    'wasi:cli/terminal-input': { TerminalInput: Terminal },
    'wasi:cli/terminal-output': { TerminalOutput: Terminal },
    'wasi:cli/terminal-stdin': { getTerminalStdin: () => terminal(0) },
    'wasi:cli/terminal-stdout': { getTerminalStdout: () => terminal(1) },
    'wasi:cli/terminal-stderr': { getTerminalStderr: () => terminal(2) },
  };
}

/**
 * Bytes of randomness one call may ask for: a hostile guest must not make the host allocate
 * without bound, but the preview1 adapter turns one `random_get` of any size into one call, so
 * this is far above what programs ask for (Wasmtime's default limit is the same).
 */
const MAX_RANDOM = 64 << 20;

function randomBytes(len: bigint): Uint8Array {
  if (len > BigInt(MAX_RANDOM)) throw new RangeError(`random bytes over ${MAX_RANDOM} in one call`);
  // A fresh Uint8Array, not a Buffer: a small Buffer is a view into a shared pool, and jco's glue
  // lowers a list<u8> from the whole underlying ArrayBuffer.
  const out = new Uint8Array(Number(len));
  for (let off = 0; off < out.length; off += 65536) crypto.getRandomValues(out.subarray(off, off + 65536));
  return out;
}

const u64 = (): bigint => crypto.randomBytes(8).readBigUInt64LE();

/** `wasi:clocks/*` and `wasi:random/*`. */
export function clockRandomInterfaces(): Record<string, Record<string, unknown>> {
  const wallNow = (): { seconds: bigint; nanoseconds: number } => {
    const ns = BigInt(Date.now()) * 1_000_000n;
    return { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) };
  };
  return {
    'wasi:clocks/wall-clock': { now: wallNow, resolution: () => ({ seconds: 0n, nanoseconds: 1_000_000 }) },
    'wasi:clocks/monotonic-clock': {
      now: () => process.hrtime.bigint(),
      resolution: () => 1n,
      subscribeInstant: (when: bigint) => new Pollable(when),
      subscribeDuration: (d: bigint) => new Pollable(process.hrtime.bigint() + d),
    },
    'wasi:random/random': { getRandomBytes: randomBytes, getRandomU64: u64 },
    'wasi:random/insecure': { getInsecureRandomBytes: randomBytes, getInsecureRandomU64: u64 },
    'wasi:random/insecure-seed': { insecureSeed: (): [bigint, bigint] => [u64(), u64()] },
  };
}
