// Times one whole process and checks what it printed.
import { spawnSync, type StdioOptions } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { Command } from './columns.ts';

export type Outcome = { ok: true; ms: number } | { ok: false; reason: string };

export interface MeasureOptions {
  resultOn: 'stdout' | 'stderr';
  expected: string;
  stdinFile?: string;
  timeoutMs: number;
}

/** Node's own noise on stderr (warnings), which is never the interesting line. */
function isNodeNoise(line: string): boolean {
  return line.startsWith('(node:') || line.startsWith('(Use `node --trace-warnings');
}

/**
 * The line that best explains a failure: the first stderr line that names an error, else the
 * first non-empty line that is not a Node warning.
 */
export function firstErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !isNodeNoise(l));
  return lines.find((l) => /\b\w*(Error|error)\b/.test(l)) ?? lines[0] ?? '(no stderr)';
}

export function measure(cmd: Command, opts: MeasureOptions): Outcome {
  const stdinFd = opts.stdinFile !== undefined ? openSync(opts.stdinFile, 'r') : 'ignore';
  const devNull = openSync('/dev/null', 'w');
  const stdio: StdioOptions = [stdinFd, opts.resultOn === 'stdout' ? 'pipe' : devNull, 'pipe'];
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd.file, cmd.args, {
      stdio,
      ...(cmd.env !== undefined ? { env: { ...process.env, ...cmd.env } } : {}),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: opts.timeoutMs,
      killSignal: 'SIGKILL',
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const stderr = r.stderr ?? '';
    if (r.error) {
      const timedOut = (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
      return { ok: false, reason: timedOut ? `timed out after ${opts.timeoutMs} ms` : r.error.message };
    }
    if (r.status !== 0) {
      const how = r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
      return { ok: false, reason: `${how}: ${firstErrorLine(stderr)}` };
    }
    const channel = opts.resultOn === 'stdout' ? (r.stdout ?? '') : stderr;
    const result = channel.split('\n').find((l) => l.startsWith('RESULT '));
    if (result === undefined) return { ok: false, reason: `no RESULT line; stderr: ${firstErrorLine(stderr)}` };
    if (result !== opts.expected) return { ok: false, reason: `wrong output: "${result}", expected "${opts.expected}"` };
    return { ok: true, ms };
  } finally {
    if (typeof stdinFd === 'number') closeSync(stdinFd);
    closeSync(devNull);
  }
}
