/**
 * The fallback as a run sees it: when the native host calls fail their self-test (here: no
 * writable temporary folder), the run still works on the portable ones, Terrarium's log gets one
 * line saying why, and the next run of the same process neither repeats the test nor the line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { loadCommand } from '../../../main/runtime/load.ts';
import { startRun } from '../../../main/runtime/run.ts';
import { fixture } from '../../helpers/paths.ts';

const wasm = fixture('exact_times');
const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function runOnce(): Promise<{ logs: string[]; out: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-fallback-'));
  made.push(dir);
  const logs: string[] = [];
  let out = '';
  const saved = { TMPDIR: process.env.TMPDIR, HC: process.env.TERRARIUM_HOST_CALLS };
  process.env.TMPDIR = path.join(dir, 'missing'); // the worker copies the environment when it starts
  delete process.env.TERRARIUM_HOST_CALLS;
  try {
    const handle = startRun({
      module: loadCommand(fs.readFileSync(wasm)),
      args: ['exact_times.wasm', 'report'],
      env: [],
      preopens: [{ hostPath: dir, guestPath: '/sandbox', readOnly: false }],
      onOutput: (_s, d) => {
        out += Buffer.from(d).toString('utf8');
      },
      onLog: (m) => logs.push(m),
    });
    handle.endStdin();
    expect(await handle.done).toEqual({ kind: 'exit', code: 0 });
  } finally {
    for (const [k, v] of [['TMPDIR', saved.TMPDIR], ['TERRARIUM_HOST_CALLS', saved.HC]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return { logs, out };
}

test.runIf(process.platform === 'linux' || process.platform === 'darwin')(
  'a failed self-test falls back to the portable calls with one log line, once per process',
  async () => {
    const first = await runOnce();
    expect(first.logs).toHaveLength(1);
    expect(first.logs[0]).toMatch(/^host calls: using the portable ones \(ENOENT: .*mkdtemp/);
    // Portable calls: the odd nanoseconds did not survive.
    expect(first.out).toMatch(/^fd atim set=1234567890123456789 got=(?!1234567890123456789\n)\d+$/m);
    const second = await runOnce();
    expect(second.logs).toEqual([]);
    expect(second.out).toMatch(/^fd atim set=1234567890123456789 got=(?!1234567890123456789\n)\d+$/m);
  },
);
