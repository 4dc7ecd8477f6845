// Medians, ratios, targets and the Markdown table.
import type { Bench, Target } from './benchmarks.ts';
import type { ColumnId } from './columns.ts';

/** Per column: the run times in ms (and peak memory in KiB, when measured), or why the column failed / was skipped. */
export type ColumnResult = { times: number[]; peaksKiB?: number[] } | { failed: string } | { skipped: string };

export interface BenchResult {
  bench: Bench;
  columns: Record<ColumnId, ColumnResult>;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const medianOf = (c: ColumnResult): number | undefined => ('times' in c ? median(c.times) : undefined);
const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
const clip = (s: string, n = 90): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function cell(c: ColumnResult): string {
  if ('times' in c) {
    const m = median(c.times);
    return m >= 100 ? m.toFixed(0) : m.toFixed(1);
  }
  if ('failed' in c) return `FAILED: ${esc(clip(c.failed))}`;
  return 'skipped';
}

function ratio(r: BenchResult, against: ColumnId): number | undefined {
  const t = medianOf(r.columns.terrarium);
  const o = medianOf(r.columns[against]);
  return t !== undefined && o !== undefined && o > 0 ? t / o : undefined;
}

const fmtRatio = (x: number | undefined): string => (x === undefined ? '—' : `${x.toFixed(2)}×`);

/** Issue 14.3: a run's peak memory within this many times node:wasi's. */
export const PEAK_MAX = 1.5;

/** Median peak resident set of a column, in MiB, when measured. */
function peakMiB(c: ColumnResult): number | undefined {
  return 'times' in c && c.peaksKiB !== undefined && c.peaksKiB.length > 0 ? median(c.peaksKiB) / 1024 : undefined;
}

/** "Terrarium / node:wasi MiB (ratio)" of the median peaks, or — when either is missing. */
function peakCell(r: BenchResult): string {
  const t = peakMiB(r.columns.terrarium);
  const n = peakMiB(r.columns.nodewasi);
  if (t === undefined || n === undefined) return '—';
  return `${t.toFixed(0)} / ${n.toFixed(0)} (${(t / n).toFixed(2)}×)`;
}
const targetLabel = (t: Target): string => `≤ ${t.max.toFixed(2)}× ${t.against === 'native' ? 'native' : 'node:wasi'}`;

/** ✅ when every target holds, ❌ naming the ones that do not, n/a when a ratio is missing. */
function verdict(r: BenchResult): string {
  const misses: string[] = [];
  let unknown = false;
  for (const t of r.bench.targets) {
    const x = ratio(r, t.against);
    if (x === undefined) unknown = true;
    else if (x > t.max) misses.push(`${t.against === 'native' ? 'native' : 'node:wasi'} ${x.toFixed(2)}×`);
  }
  const t = peakMiB(r.columns.terrarium);
  const n = peakMiB(r.columns.nodewasi);
  if (t !== undefined && n !== undefined && t / n > PEAK_MAX) misses.push(`memory ${(t / n).toFixed(2)}×`);
  if (misses.length) return `❌ (${misses.join(', ')})`;
  return unknown ? 'n/a' : '✅';
}

export interface Header {
  cpu: string;
  cores: number;
  node: string;
  cc: string;
  mode: string;
  runs: number;
  tmp: string;
  date: string;
  notes: string[];
}

/** One table: the results of a pass (quiet, or with a second CPU-bound process running). */
export interface Section {
  title: string;
  results: readonly BenchResult[];
}

export function renderMarkdown(h: Header, sections: readonly Section[]): string {
  const lines = [
    '# Terrarium benchmarks',
    '',
    `- Date: ${h.date}`,
    `- CPU: ${h.cpu} (${h.cores} logical cores)`,
    `- Node: ${h.node}; native compiler: ${h.cc}`,
    `- Mode: ${h.mode}; ${h.runs} runs per cell, median wall time of the whole process in ms; peak memory: median peak resident set in MiB (target ≤ ${PEAK_MAX.toFixed(2)}× node:wasi)`,
    `- Temporary folders: ${h.tmp}`,
    ...h.notes.map((n) => `- Note: ${n}`),
  ];
  for (const { title, results } of sections) lines.push('', `## ${title}`, '', ...table(h, results));
  return `${lines.join('\n')}\n`;
}

function table(h: Header, results: readonly BenchResult[]): string[] {
  const lines = [
    '| Benchmark | Size | Terrarium | node:wasi | native | T / node:wasi | T / native | Target | Peak MiB T / node:wasi | Meets |',
    '|---|---|--:|--:|--:|--:|--:|---|--:|---|',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.bench.name} — ${r.bench.title} | ${r.bench.size(h.mode === 'quick')} | ${cell(r.columns.terrarium)} | ` +
        `${cell(r.columns.nodewasi)} | ${cell(r.columns.native)} | ${fmtRatio(ratio(r, 'nodewasi'))} | ` +
        `${fmtRatio(ratio(r, 'native'))} | ${r.bench.targets.map(targetLabel).join('; ')} | ${peakCell(r)} | ${verdict(r)} |`,
    );
  }
  return lines;
}
