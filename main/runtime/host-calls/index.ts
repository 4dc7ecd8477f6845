/**
 * Which host calls this thread uses, decided once when the module loads: the native ones when
 * they load and pass their self-test, else the portable ones (with `hostCallsNote` saying why, for
 * the one line in Terrarium's log). `TERRARIUM_HOST_CALLS=native|portable` forces either (native
 * forced but unavailable is an error); `TERRARIUM_RESOLVER=portable` (the by-path resolver) implies
 * portable. Windows has no native calls by design (see portable.ts, `symlink`).
 */
import { loadNative } from './native.ts';
import { portableCalls } from './portable.ts';
import { selfTest } from './self-test.ts';
import { earlierVerdict, recordVerdict } from './verdict.ts';
import type { HostCalls } from './types.ts';

export type { DirEntry, EntryKind, HostCalls, HostStat, TimeSpec } from './types.ts';

/**
 * Loads and proves the native calls; throws why they cannot be used. The self-test runs once per
 * process: later workers trust (or skip) what the first one found (verdict.ts).
 */
function proveNative(): HostCalls {
  const earlier = earlierVerdict();
  if (earlier === 'failed') throw new Error('they failed in an earlier run');
  try {
    const calls = loadNative();
    if (earlier !== 'proven') selfTest(calls);
    recordVerdict(true);
    return calls;
  } catch (err) {
    recordVerdict(false);
    throw err;
  }
}

/**
 * Picks the host calls for environment `env`: forced by TERRARIUM_HOST_CALLS, portable when the
 * by-path resolver is asked for or on Windows, else native when `load` proves them, portable
 * (with a note saying why) when it throws.
 */
export function pickHostCalls(
  env: NodeJS.ProcessEnv, load: () => HostCalls = proveNative,
): { calls: HostCalls; note?: string } {
  const forced = env.TERRARIUM_HOST_CALLS;
  if (forced !== undefined && forced !== '' && forced !== 'native' && forced !== 'portable') {
    throw new Error(`TERRARIUM_HOST_CALLS must be "native" or "portable", not ${JSON.stringify(forced)}`);
  }
  const byPath = env.TERRARIUM_RESOLVER === 'portable';
  if (forced === 'native') {
    if (byPath) throw new Error('TERRARIUM_HOST_CALLS=native conflicts with TERRARIUM_RESOLVER=portable');
    try {
      return { calls: load() };
    } catch (err) {
      throw new Error(`TERRARIUM_HOST_CALLS=native, but the native host calls are unavailable: ${(err as Error).message}`);
    }
  }
  if (forced === 'portable' || byPath || process.platform === 'win32') return { calls: portableCalls };
  const quiet = earlierVerdict() === 'failed'; // the first run that found out said so
  try {
    return { calls: load() };
  } catch (err) {
    return { calls: portableCalls, note: quiet ? undefined : `host calls: using the portable ones (${(err as Error).message})` };
  }
}

const chosen = pickHostCalls(process.env);

/** This thread's host calls. */
export const hostCalls: HostCalls = chosen.calls;

/** Why the native calls were not used when they should have been (one log line), else undefined. */
export const hostCallsNote: string | undefined = chosen.note;
