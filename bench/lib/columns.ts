// The three ways of running a benchmark program: Terrarium's CLI, node:wasi, and native.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Arg, Invocation } from './benchmarks.ts';

export type ColumnId = 'terrarium' | 'nodewasi' | 'native';

export interface Command {
  file: string;
  args: string[];
  /** Variables set for this command over the bench's own environment. */
  env?: Record<string, string>;
}

export interface Column {
  id: ColumnId;
  label: string;
  /** Why the column is skipped altogether (e.g. no C compiler), if it is. */
  unavailable?: string;
  /** Builds the command line for `program`, or throws (e.g. a native build failed). */
  command(program: string, inv: Invocation): Command;
}

export interface Paths {
  repo: string; // /work/main
  bench: string; // /work/main/bench
  work: string; // /work/main/bench/.work
}

function dirFlags(inv: Invocation): string[] {
  return inv.grants.flatMap((g) => ['--dir', `${g.host}::${g.guest}${g.readOnly ? ':ro' : ''}`]);
}

const guestArgs = (args: Arg[]): string[] => args.map((a) => (typeof a === 'string' ? a : a.guest));
const hostArgs = (args: Arg[]): string[] => args.map((a) => (typeof a === 'string' ? a : a.host));

/** `node bin/terrarium.js run [--dir HOST::GUEST[:ro]]... MODULE.wasm [-- ARGS...]`, like node:wasi's runner. */
function wasiCommand(script: string, wasm: string, inv: Invocation): Command {
  const args = guestArgs(inv.args);
  return {
    file: process.execPath,
    args: [script, ...(script.endsWith('terrarium.js') ? ['run'] : []), ...dirFlags(inv), wasm, ...(args.length ? ['--', ...args] : [])],
  };
}

export function terrariumColumn(paths: Paths): Column {
  const cli = join(paths.repo, 'bin', 'terrarium.js');
  return {
    id: 'terrarium',
    label: 'Terrarium',
    command: (program, inv) => (inv.app !== undefined
      ? { file: process.execPath, args: [cli, 'run', inv.app.name], env: { TERRARIUM_HOME: inv.app.home } }
      : wasiCommand(cli, join(paths.bench, 'programs', `${program}.wasm`), inv)),
  };
}

export function nodeWasiColumn(paths: Paths): Column {
  const runner = join(paths.bench, 'node-wasi-runner.mjs');
  return {
    id: 'nodewasi',
    label: 'node:wasi',
    command: (program, inv) => wasiCommand(runner, join(paths.bench, 'programs', `${program}.wasm`), inv),
  };
}

/** Native binaries are compiled from the same C source into bench/.work/native/ (never committed). */
export function nativeColumn(paths: Paths): Column {
  const cc = process.env['CC'] ?? 'cc';
  const probe = spawnSync(cc, ['--version'], { encoding: 'utf8' });
  const unavailable = probe.error || probe.status !== 0 ? `no C compiler (\`${cc}\`) found; native column skipped` : undefined;
  const outDir = join(paths.work, 'native');
  const built = new Map<string, string>(); // program → binary, or an Error message
  const build = (program: string): string => {
    const cached = built.get(program);
    if (cached !== undefined) return cached;
    const src = join(paths.bench, 'programs', `${program}.c`);
    const bin = join(outDir, program);
    if (!existsSync(bin) || statSync(bin).mtimeMs < statSync(src).mtimeMs) {
      mkdirSync(outDir, { recursive: true });
      const r = spawnSync(cc, ['-O2', src, '-o', bin], { encoding: 'utf8' });
      if (r.error || r.status !== 0) {
        throw new Error(`native build failed: ${(r.stderr || String(r.error)).split('\n')[0]}`);
      }
    }
    built.set(program, bin);
    return bin;
  };
  const column: Column = {
    id: 'native',
    label: 'native',
    command: (program, inv) => ({ file: build(program), args: hostArgs(inv.args) }),
  };
  if (unavailable !== undefined) column.unavailable = unavailable;
  return column;
}
