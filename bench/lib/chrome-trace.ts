/**
 * Chromium's performance trace of a stretch of a page's life (bench:window --chrome-trace), and a
 * summary of its main thread: each task from the first pointerdown on, with what took its time.
 */
import fs from 'node:fs';
import type { RawPage } from '../../test/helpers/e2e/cdp.ts';

interface TraceEvent { name: string; cat: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: { name?: string; data?: Record<string, unknown> } }

const CATEGORIES = 'devtools.timeline,disabled-by-default-devtools.timeline,toplevel,blink.user_timing,v8.execute';

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
  const tasks = on.filter((e) => e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask').filter((t) => t.ts + (t.dur ?? 0) >= down.ts).slice(0, 40);
  console.log('  main thread tasks from the pointerdown (ms: start +duration, then what inside took ≥ 0.3 ms):');
  for (const t of tasks) {
    const inside = on.filter((e) => e !== t && e.ts >= t.ts && e.ts < t.ts + (t.dur ?? 0) && (e.dur ?? 0) >= 300 && e.name !== 'RunTask' && e.name !== 'ThreadControllerImpl::RunTask');
    const label = (e: TraceEvent): string => {
      const d = e.args?.data ?? {};
      const detail = (d.type ?? d.functionName ?? (typeof d.url === 'string' ? d.url.split('/').pop() : undefined)) as string | undefined;
      return `${e.name}${detail ? `(${detail})` : ''} ${((e.dur ?? 0) / 1000).toFixed(1)}`;
    };
    console.log(`    +${((t.ts - down.ts) / 1000).toFixed(1)} +${((t.dur ?? 0) / 1000).toFixed(1)}: ${inside.slice(0, 8).map(label).join(', ')}`);
  }
}
