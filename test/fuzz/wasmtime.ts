/**
 * Wasmtime as the differential reference: its Python wheel installed into a virtual environment
 * under .cache/ (never globally), and a long-lived Python process (wasmtime_runner.py) that runs
 * fuzz scripts with the same grants Terrarium gives. When the wheel cannot be installed, setting
 * up throws with the reason: the differential test fails, it never skips.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../helpers/sandbox-box.ts';

/** The pinned reference version (pip on the build machines serves this wheel). */
export const WASMTIME_VERSION = '49.0.0';
const venv = join(repoRoot, '.cache', 'wasmtime-venv');
const python = join(venv, 'bin', 'python');

function sh(cmd: string, args: string[]): string | undefined {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 600_000 });
  if (r.error) return r.error.message;
  return r.status === 0 ? undefined : (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' / ');
}

/** Creates the virtual environment and installs the wheel when needed; throws why it cannot. */
export function ensureWasmtime(): string {
  const installed = (): boolean =>
    existsSync(python) && sh(python, ['-c', `import wasmtime, importlib.metadata as m; assert m.version("wasmtime") == "${WASMTIME_VERSION}"`]) === undefined;
  if (installed()) return python;
  const venvErr = sh('python3', ['-m', 'venv', venv]);
  if (venvErr) throw new Error(`cannot create the Python virtual environment for Wasmtime (Debian: apt-get install python3-venv): ${venvErr}`);
  const pipErr = sh(join(venv, 'bin', 'pip'), ['install', '--quiet', '--retries', '1', `wasmtime==${WASMTIME_VERSION}`]);
  if (pipErr) throw new Error(`cannot install the wasmtime ${WASMTIME_VERSION} wheel with pip: ${pipErr}`);
  if (!installed()) throw new Error(`wasmtime ${WASMTIME_VERSION} was installed but does not import`);
  return python;
}

/** One job for the runner; paths are host paths. */
export interface WasmtimeJob {
  wasm: string;
  script: string;
  rw: string;
  ro: string;
  stdout: string;
  stderr: string;
}

/** How a Wasmtime run ended. */
export type WasmtimeOutcome = { exit: number } | { trap: string };

/** A Python process running jobs one after another. */
export class WasmtimeRunner {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((line: string) => void)[] = [];
  private stderr = '';

  constructor() {
    this.child = spawn(ensureWasmtime(), [join(repoRoot, 'test', 'fuzz', 'wasmtime_runner.py')], { stdio: 'pipe' });
    createInterface({ input: this.child.stdout }).on('line', (l) => this.waiting.shift()?.(l));
    this.child.stderr.on('data', (b: Buffer) => (this.stderr += b.toString()));
    this.child.on('exit', () => {
      for (const w of this.waiting.splice(0)) w(JSON.stringify({ trap: `the Wasmtime runner ended: ${this.stderr.trim()}` }));
    });
  }

  run(job: WasmtimeJob): Promise<WasmtimeOutcome> {
    return new Promise((resolve) => {
      this.waiting.push((l) => resolve(JSON.parse(l) as WasmtimeOutcome));
      this.child.stdin.write(`${JSON.stringify(job)}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
  }
}
