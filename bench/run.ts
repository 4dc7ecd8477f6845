// npm run bench [-- --runs N] [--only NAME[,NAME...]] [--quick] [--timeout SECONDS] [--load quiet|loaded|both]
// Runs each benchmark program under Terrarium's CLI, node:wasi and natively; prints Markdown tables
// of medians and ratios to stdout and writes them to bench/.work/results.md. Progress goes to stderr.
// With `--load both` (the default) everything runs twice: on the machine as it is, then with a
// second CPU-bound process running, so a design that needs two busy threads shows it.
import { lookupTable } from './lookup.ts';
import { COMPONENT_ROWS, componentRoot, runTable as componentTable } from './lib/components.ts';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCHMARKS, type Bench } from './lib/benchmarks.ts';
import { nativeColumn, nodeWasiColumn, terrariumColumn, type Column, type ColumnId, type Paths } from './lib/columns.ts';
import { buildPeak, measure } from './lib/measure.ts';
import { renderMarkdown, median, type BenchResult, type ColumnResult, type Section } from './lib/report.ts';

interface Options {
  runs: number;
  only: string[] | undefined;
  quick: boolean;
  timeoutMs: number;
  load: 'quiet' | 'loaded' | 'both';
  components: boolean;
}

const USAGE = 'usage: node bench/run.ts [--runs N] [--only NAME[,NAME...]] [--quick] [--timeout SECONDS] [--load quiet|loaded|both] [--no-components]';

function parseOptions(argv: readonly string[]): Options {
  const o: Options = { runs: 5, only: undefined, quick: false, timeoutMs: 300_000, load: 'both', components: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--runs') o.runs = Number(value());
    else if (a === '--only') o.only = [...(o.only ?? []), ...value().split(',').filter(Boolean)];
    else if (a === '--quick') o.quick = true;
    else if (a === '--no-components') o.components = false;
    else if (a === '--timeout') o.timeoutMs = Number(value()) * 1000;
    else if (a === '--load') {
      const v = value();
      if (v !== 'quiet' && v !== 'loaded' && v !== 'both') throw new Error(`--load must be quiet, loaded or both\n${USAGE}`);
      o.load = v;
    }    else if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\nbenchmarks: ${BENCHMARKS.map((b) => b.name).join(', ')}\n`);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error('--runs must be a positive integer');
  if (!(o.timeoutMs > 0)) throw new Error('--timeout must be positive');
  const unknown = (o.only ?? []).filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length) throw new Error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  return o;
}

function tempRoot(): { root: string; note?: string } {
  if (existsSync('/dev/shm')) return { root: mkdtempSync('/dev/shm/terrarium-bench-') };
  return { root: mkdtempSync(join(tmpdir(), 'terrarium-bench-')), note: 'no /dev/shm; file benchmarks ran in the OS temp folder' };
}

function runBench(bench: Bench, columns: readonly Column[], root: string, o: Options, peak: string | undefined): BenchResult {
  const shared = mkdtempSync(join(root, `${bench.name}-`));
  const times: Record<ColumnId, number[]> = { terrarium: [], nodewasi: [], native: [] };
  const peaks: Record<ColumnId, number[]> = { terrarium: [], nodewasi: [], native: [] };
  const results = {} as Record<ColumnId, ColumnResult>;
  for (const c of columns) if (c.unavailable !== undefined) results[c.id] = { skipped: c.unavailable };
  try {
    const tty = process.stderr.isTTY === true;
    if (tty) process.stderr.write(`${bench.name}: setting up…`);
    bench.setup?.(shared, o.quick);
    const expected = bench.expected(o.quick);
    for (let run = 0; run < o.runs; run++) {
      if (tty) process.stderr.write(`\r${bench.name}: run ${run + 1}/${o.runs}   `);
      // Rotate the column order each run so no column always runs first (or after another's I/O).
      for (let k = 0; k < columns.length; k++) {
        const col = columns[(k + run) % columns.length]!;
        if (results[col.id] !== undefined) continue; // skipped or already failed
        const runDir = mkdtempSync(join(root, `${bench.name}-run-`));
        try {
          const inv = bench.invocation({ shared, run: runDir, quick: o.quick });
          const outcome = measure(col.command(bench.program, inv), {
            resultOn: bench.resultOn,
            expected,
            timeoutMs: o.timeoutMs,
            ...(peak !== undefined ? { peak } : {}),
            ...(inv.stdinFile !== undefined ? { stdinFile: inv.stdinFile } : {}),
          });
          if (outcome.ok) {
            times[col.id].push(outcome.ms);
            if (outcome.peakKiB !== undefined) peaks[col.id].push(outcome.peakKiB);
          }
          else results[col.id] = { failed: outcome.reason };
        } catch (e) {
          results[col.id] = { failed: (e as Error).message };
        } finally {
          rmSync(runDir, { recursive: true, force: true });
        }
      }
    }
  } finally {
    rmSync(shared, { recursive: true, force: true });
  }
  for (const c of columns) results[c.id] ??= { times: times[c.id], peaksKiB: peaks[c.id] };
  const summary = columns
    .map((c) => {
      const r = results[c.id];
      return `${c.label} ${'times' in r ? `${median(r.times).toFixed(1)} ms` : 'failed' in r ? 'FAILED' : 'skipped'}`;
    })
    .join(', ');
  process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[K' : ''}${bench.name}: ${summary}\n`);
  return { bench, columns: results };
}

function firstLine(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.error || r.status !== 0 ? 'none' : (r.stdout.split('\n')[0] ?? '').trim();
}

function main(): void {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) throw new Error(`Node ${process.version} is too old; run with Node 24 (npm run bench uses the pinned one)`);
  const o = parseOptions(process.argv.slice(2));
  const bench = dirname(fileURLToPath(import.meta.url));
  const paths: Paths = { repo: dirname(bench), bench, work: join(bench, '.work') };
  mkdirSync(paths.work, { recursive: true });

  const columns = [nativeColumn(paths), nodeWasiColumn(paths), terrariumColumn(paths)];
  const selected = BENCHMARKS.filter((b) => o.only === undefined || o.only.includes(b.name));
  const peak = buildPeak(paths.work, process.env['CC'] ?? 'cc');
  const { root, note } = tempRoot();
  const cleanup = (): void => rmSync(root, { recursive: true, force: true });
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });

  const passes = o.load === 'both' ? (['quiet', 'loaded'] as const) : [o.load];
  const sections: Section[] = [];
  try {
    for (const pass of passes) {
      // The load: one process spinning on a core for the whole pass (killed after it).
      const spinner = pass === 'loaded' ? spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' }) : undefined;
      process.stderr.write(`-- ${pass === 'loaded' ? 'loaded (a second CPU-bound process running)' : 'quiet'}\n`);
      try {
        const results: BenchResult[] = [];
        for (const b of selected) results.push(runBench(b, columns, root, o, peak));
        sections.push({ title: pass === 'loaded' ? 'Loaded: a second CPU-bound process running' : 'Quiet', results });
      } finally {
        spinner?.kill('SIGKILL');
      }
    }
  } finally {
    cleanup();
  }

  const native = columns.find((c) => c.id === 'native');
  const noPeak = peak === undefined ? 'bench/lib/peak.c could not be built (no C compiler): no peak memory, wall times taken by the bench' : undefined;
  const notes = [note, native?.unavailable, noPeak].filter((n): n is string => n !== undefined);
  const markdown = renderMarkdown(
    {
      cpu: cpus()[0]?.model.trim() ?? 'unknown',
      cores: cpus().length,
      node: process.version,
      cc: native?.unavailable === undefined ? firstLine(process.env['CC'] ?? 'cc', ['--version']) : 'none',
      mode: o.quick ? 'quick' : 'full',
      runs: o.runs,
      tmp: existsSync('/dev/shm') && note === undefined ? '/dev/shm (tmpfs)' : tmpdir(),
      date: new Date().toISOString(),
      notes,
    },
    sections,
  );
  // The resolver's cost per path component (issue 11), beside the walk it explains.
  let lookup = '';
  if (selected.some((b) => b.name === 'walk')) {
    process.stderr.write('lookup: µs per path component…\n');
    lookup = `\n${lookupTable(o.quick ? 2000 : 10_000, o.runs)}`;
  }
  // Issue 15.6: the same programs as adapter-built components on the WASI 0.2 host (quiet only).
  let components = '';
  const rows = selected.filter((b) => COMPONENT_ROWS.includes(b.name)).map((b) => b.name);
  if (o.components && rows.length > 0) {
    process.stderr.write('components: the WASI 0.2 host beside preview1…\n');
    const croot = componentRoot();
    try {
      components = `\n### WASI 0.2 components (adapter-built, full 0.2 host; npm run bench:components)\n\n${componentTable({ runs: o.runs, quick: o.quick, only: rows, transpile: false }, croot)}\n`;
    } finally {
      rmSync(croot, { recursive: true, force: true });
    }
  }
  writeFileSync(join(paths.work, 'results.md'), markdown + lookup + components);
  process.stdout.write(markdown + lookup + components);
}

try {
  main();
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exitCode = 2;
}
