/**
 * Chromium's performance trace of a stretch of a page's life (bench:window --chrome-trace), and a
 * summary of its main thread: each task from the first pointerdown on, with what took its time.
 */
import fs from 'node:fs';
import type { RawPage } from '../../test/helpers/e2e/cdp.ts';

interface TraceEvent { name: string; cat: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: { name?: string; data?: Record<string, unknown> } }

const CATEGORIES = 'devtools.timeline,disabled-by-default-devtools.timeline,toplevel,blink.user_timing,v8.execute,disabled-by-default-v8.cpu_profiler';

/** Runs `what` while Chromium traces `page`; writes the trace to `file` and prints its summary. */
export async function chromeTrace<T>(page: RawPage, file: string, what: () => Promise<T>): Promise<T> {
  const events: TraceEvent[] = [];
  page.on('Tracing.dataCollected', (p) => events.push(...(p as { value: TraceEvent[] }).value));
  let complete!: () => void;
  const done = new Promise<void>((r) => (complete = r));
  page.on('Tracing.tracingComplete', () => complete());
  await page.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
  const result = await what();
  await page.send('Tracing.end');
  await done;
  fs.writeFileSync(file, JSON.stringify({ traceEvents: events }));
  summarize(events);
  return result;
}

function summarize(events: TraceEvent[]): void {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return;
  const on = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  const down = on.find((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'pointerdown');
  if (!down) return;
  // Tasks of 0.5 ms or more in the 100 ms from the pointerdown (one name per task: Chromium logs both).
  const tasks = on.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && (e.dur ?? 0) >= 500 && e.ts + (e.dur ?? 0) >= down.ts && e.ts < down.ts + 100_000);
  console.log('  main thread tasks of ≥ 0.5 ms in the 100 ms from the pointerdown (ms: start +duration, then what inside took ≥ 0.3 ms):');
  for (const t of tasks) {
    const inside = on.filter((e) => e !== t && e.ts >= t.ts && e.ts < t.ts + (t.dur ?? 0) && (e.dur ?? 0) >= 300 && e.name !== 'RunTask' && e.name !== 'ThreadControllerImpl::RunTask');
    const label = (e: TraceEvent): string => {
      const d = e.args?.data ?? {};
      const detail = (d.type ?? d.functionName ?? (typeof d.url === 'string' ? d.url.split('/').pop() : undefined)) as string | undefined;
      return `${e.name}${detail ? `(${detail})` : ''} ${((e.dur ?? 0) / 1000).toFixed(1)}`;
    };
    console.log(`    +${((t.ts - down.ts) / 1000).toFixed(1)} +${((t.dur ?? 0) / 1000).toFixed(1)}: ${inside.slice(0, 8).map(label).join(', ')}`);
  }
  scripts(events, main.pid, down.ts);
}

/** The page's functions by inclusive sampled time in the 60 ms from `from` (V8's samples in the trace). */
function scripts(events: TraceEvent[], pid: number, from: number): void {
  type Node = { id: number; parent?: number; callFrame: { functionName: string; url: string; lineNumber: number } };
  const nodes = new Map<number, Node>();
  const samples: { ts: number; id: number }[] = [];
  let ts = events.find((e) => e.pid === pid && e.name === 'Profile')?.args?.data?.startTime as number | undefined;
  if (ts === undefined) return;
  for (const e of events) {
    if (e.pid !== pid || e.name !== 'ProfileChunk') continue;
    const d = e.args!.data as { cpuProfile?: { nodes?: Node[]; samples?: number[] }; timeDeltas?: number[] };
    for (const n of d.cpuProfile?.nodes ?? []) nodes.set(n.id, n);
    (d.cpuProfile?.samples ?? []).forEach((id, i) => samples.push({ ts: (ts = ts! + (d.timeDeltas?.[i] ?? 0)), id }));
  }
  const incl = new Map<string, number>();
  const inWindow = samples.filter((x) => x.ts >= from && x.ts < from + 60_000);
  for (const x of inWindow) {
    const seen = new Set<string>();
    for (let n = nodes.get(x.id); n; n = n.parent === undefined ? undefined : nodes.get(n.parent)) {
      const f = n.callFrame;
      if (!f.url) continue;
      const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
      if (!seen.has(key)) incl.set(key, (incl.get(key) ?? 0) + 1);
      seen.add(key);
    }
  }
  console.log(`  page scripts in the 60 ms from the pointerdown (samples of ${inWindow.length}, inclusive):`);
  for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`    ${String(v).padStart(4)}  ${k}`);
}
