/**
 * `terrarium run MODULE.wasm`: runs a module with exactly the folders and variables named on the
 * command line, wiring the process's own stdio to the guest's.
 */
import fs from 'node:fs';
import path from 'node:path';
import tty from 'node:tty';
import { hostLog } from '../launcher/host-log.ts';
import { dataHome } from '../library/home.ts';
import { Filetype } from '../runtime/abi.ts';
import { LoadError, loadCommand } from '../runtime/load.ts';
import { isInside, pinFolder, plantedLink } from '../runtime/pinned-folder.ts';
import { type Preopen, type RunHandle, type RunOutcome, type RunSpec, startRun } from '../runtime/run.ts';
import { ExitCode } from './exit-codes.ts';
import type { Parsed } from './define.ts';
import { type RunArgs, runArgsFrom } from './run-args.ts';
import { UsageError } from './usage-error.ts';
import { visible } from '../../preload/safe-text.ts';
import { terrariumNotice } from './tty-screen.ts';

const MiB = 1024 * 1024;
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

/** The filetype the guest is told for host fd `fd`. */
function stdioType(fd: number): number {
  if (tty.isatty(fd)) return Filetype.character_device;
  try {
    const st = fs.fstatSync(fd);
    return st.isFile() ? Filetype.regular_file : st.isCharacterDevice() ? Filetype.character_device : Filetype.unknown;
  } catch {
    return Filetype.unknown;
  }
}

/** True when what goes to host fd `fd` is watched by nobody live: a file, or a device that is not a terminal. */
function unwatched(fd: number): boolean {
  const t = stdioType(fd);
  return t === Filetype.regular_file || (t === Filetype.character_device && !tty.isatty(fd));
}

/** Resolves `--env` into the guest's exact environment. */
function environment(a: RunArgs): [string, string][] {
  const env = new Map<string, string>();
  for (const e of a.env) {
    if ('value' in e) env.set(e.name, e.value);
    else if (process.env[e.name] !== undefined) env.set(e.name, process.env[e.name]!);
  }
  return [...env];
}

/**
 * Checks the `--dir` folders and records what each one is now (pinned-folder.ts), so the worker
 * opens exactly these folders. A folder reached through a symbolic link inside another read-write
 * `--dir` folder is refused (the app could have put the link there in an earlier run), and a
 * read-write folder inside a read-only one is read-only (least access wins).
 */
function checkDirs(a: RunArgs): void {
  const resolved = a.dirs.map((d) => {
    const abs = path.resolve(d.hostPath);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new UsageError(`--dir ${d.hostPath}: no such folder`);
    }
    if (!st.isDirectory()) throw new UsageError(`--dir ${d.hostPath}: not a folder`);
    return fs.realpathSync(abs);
  });
  a.dirs.forEach((d, i) => {
    const writable = resolved.filter((r, j) => j !== i && !a.dirs[j]!.readOnly && r !== resolved[i]);
    const planted = plantedLink(path.resolve(d.hostPath), writable);
    if (planted !== null) {
      throw new UsageError(`--dir ${d.hostPath}: its path passes through the symbolic link ${planted.link} inside ${planted.inside}, a read-write --dir folder of this command (the app could have put it there); name the folder it leads to instead`);
    }
  });
  for (const d of a.dirs) {
    d.hostPath = path.resolve(d.hostPath);
    d.pin = pinFolder(d.hostPath);
  }
  for (const d of a.dirs) {
    if (!d.readOnly && a.dirs.some((o) => o.readOnly && isInside(d.pin!.resolved, o.pin!.resolved))) d.readOnly = true;
  }
}

/** How the process should exit after `o`, with one line on stderr when it was not a plain exit. */
function outcomeToExit(o: RunOutcome, timeoutMs: number | undefined, memoryMaxBytes: number | undefined): number {
  // The app ran before these lines (not before a load error's): it must not be able to hide them.
  const say = (line: string): void => void process.stderr.write(terrariumNotice(line, process.stderr.isTTY === true));
  switch (o.kind) {
    case 'exit':
      return o.code;
    case 'timeout':
      say(`terrarium: time limit of ${(timeoutMs ?? 0) / 1000} s reached; the app was stopped\n`);
      return ExitCode.timeout;
    case 'cancelled':
      say('terrarium: interrupted\n');
      return ExitCode.interrupted;
    case 'trap':
      say(o.memoryAtCap
        ? `terrarium: the app ran out of memory (limit ${(memoryMaxBytes ?? 0) / MiB} MiB) and crashed: ${visible(o.message)}\n`
        : `terrarium: the app crashed (wasm trap: ${visible(o.message)})\n`);
      return ExitCode.trap;
    case 'load-error':
      process.stderr.write(`terrarium: ${visible(o.message)}\n`);
      return ExitCode.load;
    case 'crash':
      say(`terrarium: internal error: ${visible(o.message)}\n`);
      return ExitCode.internal;
  }
}

/** A run wired to this process's own stdio. */
export interface TerminalRun {
  module: Promise<WebAssembly.Module>;
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
}

/** How a terminal run ended: the process exit code, the outcome and the bytes the app wrote. */
export interface TerminalResult {
  exitCode: number;
  outcome: RunOutcome;
  bytesOut: number;
}

/**
 * Runs a module with this process's stdin, stdout and stderr, Ctrl+C stopping it; resolves when
 * it has ended and all its output is written.
 */
export async function runInTerminal(r: TerminalRun): Promise<TerminalResult> {
  // A file, or a device that is not a terminal (/dev/null), is read straight from fd 0 by the guest.
  const stdinType = stdioType(0);
  const stdinIsFile = stdinType === Filetype.regular_file || (stdinType === Filetype.character_device && !tty.isatty(0));
  let brokenPipe = false;
  let bytesOut = 0;
  const log = hostLog(dataHome(), `run ${r.args[0] ?? ''}`);
  const handle = startRun({
    module: r.module,
    args: r.args,
    env: r.env,
    preopens: r.preopens,
    stdioTypes: [stdioType(0), stdioType(1), stdioType(2)],
    memoryMaxBytes: r.memoryMaxBytes,
    stdinFd: stdinIsFile ? 0 : undefined,
    timeoutMs: r.timeoutMs,
    onAsk: r.onAsk,
    onStale: r.onStale,
    readOnlyDirs: r.readOnlyDirs,
    sameThread: true,
    holdOutput: [unwatched(1), unwatched(2)],
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
      if (log.write(message, detail)) process.stderr.write(`terrarium: ${visible(message)} (the app got EIO; details in ${log.file})\n`);
    },
  });
  r.onStart?.(handle, r.preopens);
  const onSigint = (): void => handle.cancel();
  process.on('SIGINT', onSigint);
  if (!stdinIsFile) pumpStdin(handle);
  const outcome = await handle.done;
  process.off('SIGINT', onSigint);
  const exitCode = brokenPipe ? ExitCode.brokenPipe : outcomeToExit(outcome, r.timeoutMs, r.memoryMaxBytes);
  return { exitCode, outcome, bytesOut };
}

/**
 * Runs `terrarium run [OPTIONS] MODULE.wasm ARGV...` (parsed); resolves to the process exit code.
 *
 * Ambient Authority: reads the module file and checks the `--dir` folders by the host paths the
 * person typed; the guest gets only those folders.
 */
export async function runCommand(p: Parsed): Promise<number> {
  const a = runArgsFrom(p);
  checkDirs(a);
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(a.module);
  } catch (err) {
    throw new LoadError(`cannot read ${a.module}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const memoryMaxBytes = a.memoryMaxMiB === undefined ? undefined : Math.floor(a.memoryMaxMiB * MiB);
  const result = await runInTerminal({
    module: loadCommand(bytes, memoryMaxBytes),
    args: [path.basename(a.module), ...a.args],
    env: environment(a),
    preopens: a.dirs,
    memoryMaxBytes,
    timeoutMs: a.timeoutSeconds === undefined ? undefined : a.timeoutSeconds * 1000,
    onStale: (p, reason) => process.stderr.write(`terrarium: --dir ${p.hostPath} was left out: it changed after the command started (${reason})\n`),
  });
  return result.exitCode;
}

/**
 * Copies the process's stdin into the guest's, with backpressure, then ends it. Uses
 * `process.stdin` (libuv's own pipe/tty handling): a blocking read of fd 0 in the thread pool
 * would keep the process from exiting after the run while the pipe stays open.
 */
function pumpStdin(handle: ReturnType<typeof startRun>): void {
  const input = process.stdin;
  input.on('data', (chunk: Buffer) => {
    input.pause();
    void handle.writeStdin(chunk).then(() => input.resume());
  });
  input.on('end', () => handle.endStdin());
  input.on('error', () => handle.endStdin());
}
