// Times one whole process and checks what it printed.
import { spawnSync, type StdioOptions } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from './columns.ts';

/** A run's wall time, and its peak resident set in KiB when `peak` measured it. */
export type Outcome = { ok: true; ms: number; peakKiB?: number } | { ok: false; reason: string };

/**
 * bench/lib/peak.c compiled into `work` with `cc` (the native column's compiler), or undefined
 * when there is none: then cells have no peak memory and their wall time is taken here.
 */
export function buildPeak(work: string, cc: string): string | undefined {
  const src = join(import.meta.dirname, 'peak.c');
  const bin = join(work, 'peak');
  if (existsSync(bin) && statSync(bin).mtimeMs >= statSync(src).mtimeMs) return bin;
  mkdirSync(work, { recursive: true });
  const r = spawnSync(cc, ['-O2', src, '-o', bin], { encoding: 'utf8' });
  return r.error || r.status !== 0 ? undefined : bin;
}

export interface MeasureOptions {
  resultOn: 'stdout' | 'stderr';
  expected: string;
  stdinFile?: string;
  timeoutMs: number;
  /** bench/lib/peak.c's binary: runs the command, timing it and reading its peak memory. */
  peak?: string;
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
  const peakOut = opts.peak === undefined ? undefined : join(opts.peak, '..', `peak-${process.pid}.out`);
  try {
    if (peakOut !== undefined) rmSync(peakOut, { force: true });
    const t0 = process.hrtime.bigint();
    const r = spawnSync(opts.peak ?? cmd.file, opts.peak === undefined ? cmd.args : [peakOut!, cmd.file, ...cmd.args], {
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
    if (peakOut === undefined) return { ok: true, ms };
    // The wrapper's own times: from just before its fork to the command's exit, so its exec is not counted.
    const [ns, kib] = readFileSync(peakOut, 'utf8').trim().split(' ').map(Number);
    return { ok: true, ms: ns! / 1e6, peakKiB: kib! };
  } finally {
    if (peakOut !== undefined) rmSync(peakOut, { force: true });
    if (typeof stdinFd === 'number') closeSync(stdinFd);
    closeSync(devNull);
  }
}
