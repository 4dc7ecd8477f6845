/**
 * `terrarium run MODULE.wasm`: runs a module with exactly the folders and variables named on the
 * command line, wiring the process's own stdio to the guest's (main/api/terminal-run.ts). This
 * file turns the words into the run's settings (checking the `--dir` folders the person named)
 * and the run's outcome into an exit code and, when it was not a plain exit, one line on stderr.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type RunOutcome, type TerminalResult, runModuleFile } from '../api/terminal-run.ts';
import { NamedFolderError, isInside, openNamed, pinFolder, plantedLink } from '../shared/folder-pin.ts';
import { ExitCode } from './exit-codes.ts';
import type { Parsed } from './define.ts';
import { type RunArgs, runArgsFrom } from './run-args.ts';
import { UsageError } from './usage-error.ts';
import { visible } from '../../preload/safe-text.ts';
import { terrariumNotice } from './tty-screen.ts';

const MiB = 1024 * 1024;

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
  // One folder has no other read-write folder to have a link planted in: its open says the rest.
  if (a.dirs.length > 1) checkPlantedLinks(a);
  for (const d of a.dirs) {
    const named = d.hostPath;
    d.hostPath = path.resolve(named);
    let opened: ReturnType<typeof openNamed>;
    try {
      opened = openNamed(d.hostPath);
    } catch (err) {
      if (!(err instanceof NamedFolderError)) throw err;
      throw new UsageError(`--dir ${named}: ${err.why === 'missing' ? 'no such folder' : err.why === 'not-folder' ? 'not a folder' : `cannot be opened (${err.why})`}`);
    }
    if (opened === null) {
      statFolder(named);
      d.pin = pinFolder(d.hostPath);
    } else {
      // The run starts from this descriptor: the folder pinned is the folder open (folder-pin.ts).
      d.pin = opened.pin;
      d.hostFd = opened.fd;
    }
  }
  for (const d of a.dirs) {
    if (!d.readOnly && a.dirs.some((o) => o.readOnly && isInside(d.pin!.resolved, o.pin!.resolved))) d.readOnly = true;
  }
}

/** Refuses `--dir` folder `named` when it is missing or no folder. */
function statFolder(named: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(path.resolve(named));
  } catch {
    throw new UsageError(`--dir ${named}: no such folder`);
  }
  if (!st.isDirectory()) throw new UsageError(`--dir ${named}: not a folder`);
}

/** Refuses a `--dir` folder reached through a symbolic link inside another read-write `--dir` folder. */
function checkPlantedLinks(a: RunArgs): void {
  const resolved = a.dirs.map((d) => {
    statFolder(d.hostPath);
    return fs.realpathSync(path.resolve(d.hostPath));
  });
  a.dirs.forEach((d, i) => {
    const writable = resolved.filter((r, j) => j !== i && !a.dirs[j]!.readOnly && r !== resolved[i]);
    const planted = plantedLink(path.resolve(d.hostPath), writable);
    if (planted !== null) {
      throw new UsageError(`--dir ${d.hostPath}: its path passes through the symbolic link ${planted.link} inside ${planted.inside}, a read-write --dir folder of this command (the app could have put it there); name the folder it leads to instead`);
    }
  });
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

/** The exit code for a terminal run's `result` (an EPIPE is 141), saying why when it was not a plain exit. */
export function terminalExit(result: TerminalResult, timeoutMs: number | undefined, memoryMaxBytes: number | undefined): number {
  return result.brokenPipe ? ExitCode.brokenPipe : outcomeToExit(result.outcome, timeoutMs, memoryMaxBytes);
}

/** The one line for a host error the app got EIO for (details in Terrarium's log). */
export function hostErrorLine(message: string, logFile: string): void {
  process.stderr.write(`terrarium: ${visible(message)} (the app got EIO; details in ${logFile})\n`);
}

/**
 * Runs `terrarium run [OPTIONS] MODULE.wasm ARGV...` (parsed); resolves to the process exit code.
 *
 * Ambient Authority: checks the `--dir` folders by the host paths the person typed; the guest
 * gets only those folders.
 */
export async function runCommand(p: Parsed): Promise<number> {
  const a = runArgsFrom(p);
  checkDirs(a);
  const memoryMaxBytes = a.memoryMaxMiB === undefined ? undefined : Math.floor(a.memoryMaxMiB * MiB);
  const timeoutMs = a.timeoutSeconds === undefined ? undefined : a.timeoutSeconds * 1000;
  const result = await runModuleFile({
    module: a.module,
    args: a.args,
    env: environment(a),
    preopens: a.dirs,
    memoryMaxBytes,
    timeoutMs,
    onStale: (p, reason) => process.stderr.write(`terrarium: --dir ${p.hostPath} was left out: it changed after the command started (${reason})\n`),
    onHostError: hostErrorLine,
  });
  return terminalExit(result, timeoutMs, memoryMaxBytes);
}
