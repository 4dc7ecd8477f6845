/**
 * `terrarium run`'s way into the core (DESIGN §1: cli → api): a run wired to this process's own
 * stdin, stdout and stderr, byte for byte, Ctrl+C stopping it. The window's runs are sessions
 * (output as events, answers as requests: `runs.start` in ./index.ts); a terminal run is the same
 * runtime handed the process's stdio instead (stdin read by the guest itself when it is a file,
 * /dev/null or, when the run may, a pipe; output that nobody watches live gathered into larger
 * writes; EPIPE ending the run).
 *
 * `runModuleFile` runs a module file with exactly the folders and variables named on the command
 * line; an installed app with its stored grants runs through ./terminal-app.ts (`runApp`, which
 * the CLI loads only for it) on `runInTerminal`. This module loads the runtime and nothing of the library, SQLite or the
 * contract's schemas, so `terrarium run FILE.wasm` starts as fast as it can (issue 14.2).
 */
import fs from 'node:fs';
import path from 'node:path';
import { hostLog } from '../launcher/host-log.ts';
import { dataHome } from '../library/home.ts';
import { Filetype } from '../runtime/abi.ts';
import { LoadError, loadCommand } from '../runtime/load.ts';
import type { Program } from '../runtime/p2/program.ts';
import { type Preopen, type RunHandle, type RunOutcome, type RunSpec, startRun } from '../runtime/run.ts';
import { fitsPipeStdin } from '../runtime/same-thread.ts';
import { noteStartUse } from '../runtime/start-use.ts';

export type { Preopen, RunOutcome } from '../runtime/run.ts';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of `data` to host fd `fd`, waiting out EAGAIN on an inherited non-blocking fd. */
function writeAll(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) {
    try {
      off += fs.writeSync(fd, data, off, data.length - off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(sleeper, 0, 0, 1); // the fd is non-blocking and full; there is nothing to wait on
    }
  }
}

const NULL_DEVICE = '/dev/null';

/**
 * Whether host fd `fd` is a terminal. node:tty (with node:net, ~2–4 ms at start) is loaded only
 * for a character device that is not the null device, which is where output goes in scripts.
 */
export function isTerminal(fd: number): boolean {
  let st: fs.Stats;
  try {
    st = fs.fstatSync(fd);
  } catch {
    return process.getBuiltinModule('node:tty').isatty(fd); // as below: node:tty decides
  }
  return terminalWith(fd, st);
}

/** `isTerminal(fd)` for an fd whose `fstat` gave `st`. */
function terminalWith(fd: number, st: fs.Stats): boolean {
  try {
    if (!st.isCharacterDevice()) return false;
    const nul = fs.statSync(NULL_DEVICE);
    if (st.rdev === nul.rdev && st.dev === nul.dev) return false;
  } catch {
    // no null device to compare with (Windows): ask node:tty
  }
  return process.getBuiltinModule('node:tty').isatty(fd);
}

/**
 * What a run needs to know of host fd `fd`, from one `fstat` (a start asked it up to four times
 * per fd, each a Stats object; docs/design/start2.md, "Tables and checks at first use"):
 * - `type`: the filetype the guest is told;
 * - `unwatched`: no live person's: a file, or a device that is not a terminal (/dev/null);
 * - `pipe`: a pipe or a socket (what `cat f | terrarium run app` and a spawning program give).
 */
export function stdioFacts(fd: number): { type: number; unwatched: boolean; pipe: boolean } {
  let st: fs.Stats;
  try {
    st = fs.fstatSync(fd);
  } catch {
    // Not an fd fstat answers: a terminal if node:tty says so (then watched), otherwise unknown.
    return { type: process.getBuiltinModule('node:tty').isatty(fd) ? Filetype.character_device : Filetype.unknown, unwatched: false, pipe: false };
  }
  const type = st.isFile() ? Filetype.regular_file : st.isCharacterDevice() ? Filetype.character_device : Filetype.unknown;
  return {
    type,
    unwatched: type === Filetype.regular_file || (type === Filetype.character_device && !terminalWith(fd, st)),
    pipe: st.isFIFO() || st.isSocket(),
  };
}

/** A run wired to this process's own stdio. */
export interface TerminalRun {
  module: Promise<Program>;
  args: string[];
  env: [string, string][];
  preopens: Preopen[];
  memoryMaxBytes?: number;
  timeoutMs?: number;
  onAsk?: RunSpec['onAsk'];
  /** Called with the run once it has started. */
  onStart?: (handle: RunHandle, preopens: readonly Preopen[]) => void;
  onStale?: RunSpec['onStale'];
  readOnlyDirs?: RunSpec['readOnlyDirs'];
  /**
   * A host error met while running (the app got EIO): its one-line `message` and the log file
   * holding its details; called for the run's first entries only (launcher/host-log.ts).
   */
  onHostError?: (message: string, logFile: string) => void;
}

/** How a terminal run ended: the outcome, the bytes the app wrote, and whether stdout's reader left. */
export interface TerminalResult {
  outcome: RunOutcome;
  bytesOut: number;
  /** The reader of stdout or stderr went away (EPIPE); the run was stopped. */
  brokenPipe: boolean;
}

/**
 * Runs a module with this process's stdin, stdout and stderr, Ctrl+C stopping it; resolves when
 * it has ended and all its output is written.
 */
export async function runInTerminal(r: TerminalRun): Promise<TerminalResult> {
  // A file, or a device that is not a terminal (/dev/null), is read straight from fd 0 by the guest.
  const stdio = [stdioFacts(0), stdioFacts(1), stdioFacts(2)] as const;
  const stdinType = stdio[0].type;
  const stdinIsFile = stdio[0].unwatched;
  let brokenPipe = false;
  let bytesOut = 0;
  const log = hostLog(() => dataHome(), `run ${r.args[0] ?? ''}`);
  const spec: RunSpec = {
    module: r.module,
    args: r.args,
    env: r.env,
    preopens: r.preopens,
    stdioTypes: [stdinType, stdio[1].type, stdio[2].type],
    memoryMaxBytes: r.memoryMaxBytes,
    stdinFd: stdinIsFile ? 0 : undefined,
    timeoutMs: r.timeoutMs,
    onAsk: r.onAsk,
    onStale: r.onStale,
    readOnlyDirs: r.readOnlyDirs,
    sameThread: true,
    holdOutput: [stdio[1].unwatched, stdio[2].unwatched],
    onOutput: (stream, data) => {
      bytesOut += data.length;
      if (brokenPipe) return;
      try {
        writeAll(stream, data);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
        brokenPipe = true;
        handle.cancel();
      }
    },
    onLog: (message, detail) => {
      // The stack goes to Terrarium's log; the terminal gets one line, marked as Terrarium's.
      if (log.write(message, detail)) r.onHostError?.(message, log.file);
    },
  };
  // A pipe is read by the guest itself too when it may be (no worker, no stdin ring, no chunks).
  if (!stdinIsFile && stdio[0].pipe && (await fitsPipeStdin(spec))) {
    spec.stdinFd = 0;
  }
  const handle = startRun(spec);
  r.onStart?.(handle, r.preopens);
  const onSigint = (): void => handle.cancel();
  process.on('SIGINT', onSigint);
  if (spec.stdinFd === undefined) pumpStdin(handle);
  const outcome = await handle.done;
  process.off('SIGINT', onSigint);
  // The module loaded and ran: the CLI's script cache may be written from this start (compile-cache.js).
  if (outcome.kind !== 'load-error') noteStartUse('run');
  return { outcome, bytesOut, brokenPipe };
}

/**
 * A module file to run, with exactly what the command line grants it: a `TerminalRun` with no
 * asking, no read-only folders of a grant and no start hook. `args` are the app's own (argv[0] is
 * the file's name); `preopens` the folders, already checked and pinned by the caller.
 */
export interface ModuleFileRun extends Pick<TerminalRun, 'args' | 'env' | 'preopens' | 'memoryMaxBytes' | 'timeoutMs' | 'onStale' | 'onHostError'> {
  /** The module file's path, as typed. */
  module: string;
}

/**
 * Runs module file `f.module` with this process's stdio (a LoadError when it cannot be read).
 *
 * Ambient Authority: reads the module file by the host path the person typed.
 */
export async function runModuleFile(f: ModuleFileRun): Promise<TerminalResult> {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(f.module);
  } catch (err) {
    throw new LoadError(`cannot read ${f.module}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return runInTerminal({
    module: loadCommand(bytes, f.memoryMaxBytes),
    args: [path.basename(f.module), ...f.args],
    env: f.env,
    preopens: f.preopens,
    memoryMaxBytes: f.memoryMaxBytes,
    timeoutMs: f.timeoutMs,
    onStale: f.onStale,
    onHostError: f.onHostError,
  });
}

/**
 * Copies the process's stdin into the guest's, with backpressure, then ends it. Uses
 * `process.stdin` (libuv's own pipe/tty handling): a blocking read of fd 0 in the thread pool
 * would keep the process from exiting after the run while the pipe stays open.
 */
function pumpStdin(handle: RunHandle): void {
  const input = process.stdin;
  input.on('data', (chunk: Buffer) => {
    input.pause();
    void handle.writeStdin(chunk).then(() => input.resume());
  });
  input.on('end', () => handle.endStdin());
  input.on('error', () => handle.endStdin());
}
