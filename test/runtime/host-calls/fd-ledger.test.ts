/**
 * Native descriptors and terminated runs: Node closes what its own `fs` opened in a worker that is
 * terminated, but not what the native host calls opened; the run's ledger lets the main thread
 * close those once the worker is gone (main/runtime/host-calls/fd-ledger.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadCommand } from '../../../main/runtime/load.ts';
import { startRun } from '../../../main/runtime/run.ts';
import { FdLedger, LEDGER_SLOTS, closeLeftovers, createLedger } from '../../../main/runtime/host-calls/fd-ledger.ts';
import { fixture } from '../../helpers/paths.ts';

const wasm = fixture('exact_times');
const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** This process's descriptors that lead to `file`. */
function openOn(file: string): string[] {
  const out: string[] = [];
  for (const n of fs.readdirSync('/proc/self/fd')) {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${n}`) === file) out.push(n);
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

describe('FdLedger', () => {
  test('marks what is open in the shared slots and forgets what is closed', () => {
    const ledger = new FdLedger();
    ledger.add(7); // before attaching: copied in on attach
    ledger.add(8);
    const shared = createLedger();
    ledger.attach(new Int32Array(shared));
    ledger.add(9);
    ledger.add(LEDGER_SLOTS + 5);
    expect(ledger.take(7)).toBe(true);
    expect(ledger.take(7)).toBe(false);
    expect(ledger.take(11)).toBe(false);
    expect(ledger.take(LEDGER_SLOTS + 5)).toBe(true);
    expect(ledger.take(LEDGER_SLOTS + 5)).toBe(false);
    const marked = [...new Int32Array(shared)].flatMap((v, fd) => (v !== 0 ? [fd] : []));
    expect(marked).toEqual([8, 9]);
  });

  // attach copies only up to the highest descriptor ever added: the last slot and one taken back must still come out right.
  test('attach copies what is open before it, up to the last slot, and not what was taken back', () => {
    const ledger = new FdLedger();
    ledger.add(LEDGER_SLOTS - 1);
    ledger.add(3);
    ledger.add(LEDGER_SLOTS - 2);
    expect(ledger.take(LEDGER_SLOTS - 2)).toBe(true);
    const first = createLedger();
    ledger.attach(new Int32Array(first));
    const marked = (s: SharedArrayBuffer) => [...new Int32Array(s)].flatMap((v, fd) => (v !== 0 ? [fd] : []));
    expect(marked(first)).toEqual([3, LEDGER_SLOTS - 1]);
    // A second run's ledger gets the same (the thread's ledger outlives a run).
    const second = createLedger();
    ledger.attach(new Int32Array(second));
    expect(marked(second)).toEqual([3, LEDGER_SLOTS - 1]);
  });

  test('closeLeftovers closes every marked descriptor and empties the ledger', () => {
    const fd = fs.openSync(os.tmpdir(), 'r');
    const shared = createLedger();
    new Int32Array(shared)[fd] = 1;
    closeLeftovers(shared);
    expect(() => fs.fstatSync(fd)).toThrow(expect.objectContaining({ code: 'EBADF' }));
    expect(new Int32Array(shared).every((v) => v === 0)).toBe(true);
  });
});

test.runIf(process.platform === 'linux')('a run cancelled while it holds a native descriptor leaves none open', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-ledger-'));
  made.push(dir);
  const saved = process.env.TERRARIUM_HOST_CALLS;
  process.env.TERRARIUM_HOST_CALLS = 'native'; // the worker copies the environment when it starts
  let out = '';
  try {
    const handle = startRun({
      module: loadCommand(fs.readFileSync(wasm)),
      args: ['exact_times.wasm', 'hold'],
      env: [],
      preopens: [{ hostPath: dir, guestPath: '/sandbox', readOnly: false }],
      onOutput: (_s, d) => {
        out += Buffer.from(d).toString('utf8');
      },
    });
    await until(() => out.includes('holding'), 10_000);
    expect(out).toBe('holding SUCCESS\n');
    const file = path.join(fs.realpathSync(dir), 't.txt');
    expect(openOn(file)).toHaveLength(1);
    handle.cancel();
    expect(await handle.done).toEqual({ kind: 'cancelled' });
    await until(() => openOn(file).length === 0, 3_000);
    expect(openOn(file)).toEqual([]);
  } finally {
    if (saved === undefined) delete process.env.TERRARIUM_HOST_CALLS;
    else process.env.TERRARIUM_HOST_CALLS = saved;
  }
});
