/**
 * A question is put only after everything the guest wrote before asking has been delivered
 * (issue 9, point 4): otherwise output queued behind a slow consumer would reach the terminal
 * after the prompt and could draw over it.
 */
import fs from 'node:fs';
import os from 'node:os';
import { expect, test } from 'vitest';
import { loadCommand } from '../../main/runtime/load.ts';
import { startRun } from '../../main/runtime/run.ts';
import { fixture } from '../helpers/paths.ts';

/** More than the output ring holds (1 MiB), so the guest is still writing when the host pauses. */
const FILL = 1_500_000;
const program = fixture('ask_hostile');

test('output written before an ask reaches the consumer before the question does', async () => {
  const events: string[] = [];
  const handle = startRun({
    module: loadCommand(fs.readFileSync(program)),
    args: ['ask_hostile', `fill:${FILL}`, 'print:\\e[8mlast', `read:${fs.realpathSync(os.tmpdir())}/terrarium-ask-order-none`],
    env: [],
    preopens: [{ hostPath: '/', guestPath: '/', readOnly: false, ask: true }],
    onOutput: (_s, d) => {
      events.push(`out ${Buffer.from(d).toString('utf8')}`);
    },
    // A slow consumer: after each batch the ring is left alone for a while (the guest, blocked on
    // the full ring, finishes its writes and asks meanwhile).
    backpressure: () => new Promise((r) => setTimeout(r, 300)),
    onAsk: async (op, p) => {
      events.push(`ask ${op} ${p}`);
      return false;
    },
  });
  handle.endStdin();
  expect(await handle.done).toEqual({ kind: 'exit', code: 0 });
  const ask = events.findIndex((e) => e.startsWith('ask '));
  expect(ask).toBeGreaterThan(0);
  const before = events.slice(0, ask).map((e) => e.slice('out '.length)).join('');
  expect(before).toBe(`${'.'.repeat(FILL)}\x1b[8mlast`);
});
