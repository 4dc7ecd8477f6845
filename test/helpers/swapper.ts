/**
 * The race test's adversary, run as its own process: swaps GRANT/swap between a real
 * directory and symlinks to the outside folder (relative and absolute), and GRANT/swapf between
 * a real file and symlinks to the outside secret, as fast as renames allow.
 *
 * Usage: node swapper.ts GRANT STASH STOPFILE MAX_MS
 * STASH (beside GRANT, same filesystem) holds the spare states: dir, rel, abs, file, frel, fabs;
 * GRANT/swap and GRANT/swapf start as moved-in copies of `dir` and `file` (the test sets that up).
 * Prints "ready" once swapping, and "cycles=N" when STOPFILE appears or MAX_MS has passed.
 * The loop is synchronous on purpose (nothing else would run between swaps), so it checks the
 * stop file and the clock itself every few hundred swaps.
 */
import { existsSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const argv = process.argv.slice(2);
if (argv.length !== 4) {
  process.stderr.write('usage: swapper.ts GRANT STASH STOPFILE MAX_MS\n');
  process.exit(2);
}
const [grant, stash, stopFile, maxMsArg] = argv as [string, string, string, string];
const deadline = Date.now() + Number(maxMsArg);

/** One swapped name in the grant and the states it cycles through (stash names). */
interface Slot {
  live: string;
  states: string[];
  current: number;
}
const slots: Slot[] = [
  { live: join(grant, 'swap'), states: ['dir', 'rel', 'dir', 'abs'], current: 0 },
  { live: join(grant, 'swapf'), states: ['file', 'frel', 'file', 'fabs'], current: 0 },
];

function step(slot: Slot): void {
  const next = (slot.current + 1) % slot.states.length;
  renameSync(slot.live, join(stash, slot.states[slot.current]!));
  renameSync(join(stash, slot.states[next]!), slot.live);
  slot.current = next;
}

let cycles = 0;
writeSync(1, 'ready\n');
for (;;) {
  for (const slot of slots) step(slot);
  cycles++;
  if (cycles % 256 === 0 && (Date.now() > deadline || existsSync(stopFile))) break;
}
writeSync(1, `cycles=${cycles}\n`);
