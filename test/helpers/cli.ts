/**
 * The `terrarium` command in a child process, for every test that drives it: `runCli` runs the
 * source entry (main/cli.ts) with byte-exact stdio, `cli`/`spawnCli` run the installed command
 * (bin/terrarium.js) against a given data folder with text output. Both collect through one
 * function, and a hung child is killed so that it fails the test instead of hanging it.
 */
import { type ChildProcess, spawn, type StdioOptions } from 'node:child_process';
import type { AppRecord } from '../../main/library/types.ts';
import { CLI, CLI_SOURCE, nodeBin, repoRoot } from './paths.ts';

export { CLI as cliPath, nodeBin, repoRoot } from './paths.ts';

/** How a child ended, with its output as bytes. */
export interface CliBytes {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
  /** Wall-clock milliseconds from the start of collecting to exit. */
  ms: number;
}

/** Collects a started child's stdout and stderr until it ends; SIGKILLs it after `timeoutMs`. */
export function collectBytes(child: ChildProcess, timeoutMs = 60_000): Promise<CliBytes> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      child.stdin?.destroy();
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err), ms: performance.now() - start });
    });
  });
}

// --- the source entry, byte-exact --------------------------------------------------------------

export type CliResult = CliBytes;

export interface RunCliOptions {
  /** Bytes for stdin, then EOF; 'open' keeps stdin open (and empty) until the child exits. Default: empty. */
  input?: Buffer | string | 'open';
  /** Variables added to this process's environment for the CLI itself. */
  env?: Record<string, string>;
  /** Use exactly this environment for the CLI instead of inheriting. */
  exactEnv?: Record<string, string>;
  /** Host fds to use as the child's stdin/stdout instead of pipes. */
  stdinFd?: number;
  stdoutFd?: number;
  /** Kill the child after this long (a hung runtime must fail the test, not hang it). */
  killAfterMs?: number;
}

/** Runs `node main/cli.ts ARGS` (e.g. ['run', '--dir', ..., 'x.wasm', '--', ...]) to the end. */
export function runCli(args: string[], opts: RunCliOptions = {}): Promise<CliBytes> {
  const stdio: StdioOptions = [opts.stdinFd ?? 'pipe', opts.stdoutFd ?? 'pipe', 'pipe'];
  const child = spawn(process.execPath, [CLI_SOURCE, ...args], {
    cwd: repoRoot,
    stdio,
    env: opts.exactEnv ?? { ...process.env, ...opts.env },
  });
  if (child.stdin) {
    child.stdin.on('error', () => {}); // the guest may exit before reading everything
    if (opts.input !== 'open') child.stdin.end(opts.input ?? ''); // 'open': no data and no EOF
  }
  return collectBytes(child, opts.killAfterMs ?? 50_000);
}

/**
 * The runtime's resolvers as (name, CLI environment) pairs, each forced: the native host calls
 * (openat & co. through koffi: Linux and macOS, the default there), the portable host calls on
 * Linux (/proc/self/fd, the fallback when native ones fail), and the by-path resolver (lstat per
 * step, fstat check after the open: Windows, and macOS's fallback).
 */
export const RESOLVERS: [string, Record<string, string>][] = [
  ...(process.platform === 'linux' || process.platform === 'darwin'
    ? [['native host calls', { TERRARIUM_HOST_CALLS: 'native' }] as [string, Record<string, string>]] : []),
  ...(process.platform === 'linux'
    ? [['portable host calls (/proc)', { TERRARIUM_HOST_CALLS: 'portable' }] as [string, Record<string, string>]] : []),
  ['portable resolver (by path)', { TERRARIUM_RESOLVER: 'portable' }],
];

// --- the installed command, against a data folder ----------------------------------------------

/** How `terrarium ARGS` ended, with its output as UTF-8 text. */
export interface CliText {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Extra environment (merged over a copy of this process's, TERRARIUM_HOME always set). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
  /** Node options placed before bin/terrarium.js (e.g. `--import` of a fault injector). */
  nodeArgs?: string[];
  /** The child's stdio, for a test that needs a file or a slow pipe as its stdout (default: stdin closed, stdout/stderr piped). */
  stdio?: StdioOptions;
}

function childEnv(home: string | null, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra, ...(home === null ? {} : { TERRARIUM_HOME: home }) };
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  return env;
}

/**
 * Starts `terrarium ARGS` with data folder `home` (null: this process's, for commands that use none,
 * like `run FILE`); stdin is closed, stdout/stderr piped (unless `opts.stdio` says otherwise).
 */
export function spawnCli(home: string | null, args: string[], opts: CliOptions = {}): ChildProcess {
  return spawn(nodeBin, [...(opts.nodeArgs ?? []), CLI, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: childEnv(home, opts.env),
    stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'],
  });
}

/** Collects a started child's output, as text, until it ends. */
export async function collect(child: ChildProcess, timeoutMs = 60_000): Promise<CliText> {
  const r = await collectBytes(child, timeoutMs);
  return { code: r.code, signal: r.signal, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

/** Runs `terrarium ARGS` with data folder `home` (null: this process's) to the end. */
export function cli(home: string | null, args: string[], opts: CliOptions = {}): Promise<CliText> {
  return collect(spawnCli(home, args, opts), opts.timeoutMs);
}

/** Runs `terrarium ARGS`, expects exit 0 and parses stdout as JSON. */
export async function cliJson<T = unknown>(home: string, args: string[], opts: CliOptions = {}): Promise<T> {
  const r = await cli(home, args, opts);
  if (r.code !== 0) throw new Error(`terrarium ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** What `terrarium install --json` answers. */
export interface CliInstalled {
  action: 'installed' | 'updated' | 'unchanged';
  app: AppRecord;
}

/** `terrarium install FILE --json EXTRA...` into data folder `home`; expects exit 0. */
export function cliInstall(home: string, file: string, ...extra: string[]): Promise<CliInstalled> {
  return cliJson<CliInstalled>(home, ['install', file, '--json', ...extra]);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves once `child`'s stdout has contained `text` (rejects if it ends first or after `ms`). */
export function waitForOutput(child: ChildProcess, text: string, ms = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no "${text}" on stdout within ${ms} ms (got ${JSON.stringify(seen)})`)), ms);
    child.stdout?.on('data', (b: Buffer) => {
      seen += b.toString('utf8');
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`ended before "${text}" appeared on stdout (got ${JSON.stringify(seen)})`));
    });
  });
}
