/**
 * Runs `node main/cli.ts ...` in a child process for the conformance and CLI tests, with byte-exact
 * stdio, and hands out temporary folders that are removed after each test.
 */
import { spawn, type StdioOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cliPath = join(repoRoot, 'main', 'cli.ts');

/** Absolute path of test/fixtures/NAME.wasm. */
export function fixture(name: string): string {
  return join(repoRoot, 'test', 'fixtures', `${name}.wasm`);
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
  /** Wall-clock milliseconds from spawn to exit. */
  ms: number;
}

export interface CliOptions {
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

/** Runs the CLI with `args` (e.g. ['run', '--dir', ..., 'x.wasm', '--', ...]). */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const stdio: StdioOptions = [opts.stdinFd ?? 'pipe', opts.stdoutFd ?? 'pipe', 'pipe'];
    const start = performance.now();
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: repoRoot,
      stdio,
      env: opts.exactEnv ?? { ...process.env, ...opts.env },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    if (child.stdin) {
      child.stdin.on('error', () => {}); // the guest may exit before reading everything
      if (opts.input === 'open') {
        // left open: the child sees no data and no EOF
      } else {
        child.stdin.end(opts.input ?? '');
      }
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs ?? 50_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      child.stdin?.destroy();
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err), ms: performance.now() - start });
    });
  });
}

/** Temporary folders made by `tempDir`, removed by `removeTempDirs` (call it in afterEach). */
const made: string[] = [];

/** A new empty folder under the OS temp dir. */
export function tempDir(label = 'conf'): string {
  const dir = mkdtempSync(join(tmpdir(), `terrarium-${label}-`));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
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
