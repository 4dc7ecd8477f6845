/**
 * Which host calls this thread uses, decided once, at its first host call: the native ones when
 * they load and pass their self-test, else the portable ones (with a note saying why, for the one
 * line in Terrarium's log, see `onHostCallsNote`). `TERRARIUM_HOST_CALLS=native|portable` forces either (native
 * forced but unavailable is an error); `TERRARIUM_RESOLVER=portable` (the by-path resolver) implies
 * portable. Windows has no native calls by design (see portable.ts, `symlink`).
 */
import fs from 'node:fs';
import { GUARD } from './load-guard.ts';
import { loadNative, nativeSetup, searchFrom } from './native.ts';
import { provenSetup, rememberProven, sameSetup } from './proven-cache.ts';
import { portableCalls } from './portable.ts';
import { selfTest } from './self-test.ts';
import { earlierVerdict, recordVerdict } from './verdict.ts';
import { onMainThread } from './thread-data.ts';
import { noteStartUse } from '../start-use.ts';
import type { HostCalls } from './types.ts';

export type { DirEntries, EntryKind, HostCalls, HostStat, TimeSpec } from './types.ts';

/**
 * Loads and proves the native calls; throws why they cannot be used. The self-test runs once per
 * process: later workers trust (or skip) what the first one found (verdict.ts); a later process on
 * the same host setup trusts what an earlier one wrote down (proven-cache.ts), and loads koffi
 * from where that one found it.
 */
function proveNative(): HostCalls {
  const earlier = earlierVerdict();
  if (earlier === 'failed') throw new Error('they failed in an earlier run');
  try {
    const known = provenSetup(searchFrom);
    const calls = loadNative(known);
    const loaded = nativeSetup();
    if (earlier !== 'proven' && !sameSetup(known, loaded)) {
      selfTest(calls);
      rememberProven(searchFrom, loaded);
    }
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

let chosen: { calls: HostCalls; note?: string } | undefined;
let ledger: SharedArrayBuffer | undefined;
let noteSink: ((note: string) => void) | undefined;
let guard: Int32Array | undefined;

/**
 * See load-guard.ts: marks this worker's loads of the native calls in the run's guard word. With
 * the native calls forced (a diagnostic switch) they are loaded now, so a missing or broken
 * native module fails the run as it starts rather than at a guest's call.
 */
export function guardLoading(shared: SharedArrayBuffer): void {
  guard = new Int32Array(shared);
  if (process.env.TERRARIUM_HOST_CALLS === 'native') real();
}

/**
 * The chosen calls, picked at the first host call: a run that never touches a file (a filter on
 * stdio, `hello`) does not pay for loading koffi and its self-test.
 */
function real(): HostCalls {
  if (chosen === undefined) {
    noteStartUse('files'); // the CLI's script cache then holds the file path's functions (compile-cache.js)
    if (guard !== undefined && Atomics.compareExchange(guard, 0, GUARD.idle, GUARD.loading) !== GUARD.idle) {
      // The run is ending: no native module is loaded any more.
      chosen = { calls: portableCalls };
      return chosen.calls;
    }
    try {
      chosen = pickHostCalls(process.env);
    } finally {
      if (guard !== undefined) {
        Atomics.store(guard, 0, GUARD.idle);
        Atomics.notify(guard, 0);
      }
    }
    if (ledger !== undefined) chosen.calls.trackIn(ledger);
    if (chosen.note !== undefined) noteSink?.(chosen.note);
    settle(chosen.calls);
  }
  return chosen.calls;
}

/** The calls `hostCalls` forwards to the chosen implementation until `settle` puts it in place. */
const DIRECT = ['open', 'close', 'stat', 'fstat', 'setTimes', 'fsetTimes', 'rename', 'link', 'symlink', 'unlink', 'rmdir', 'mkdir', 'readlink'] as const;

/**
 * Once chosen, `hostCalls` holds the implementation's own functions (and its `kind`, `listDir`,
 * `isDirAt`, `statMode`, `putStat`, `readAt`, `writeAt`): a walk's every step then calls them without the forwarding layer (two or three
 * calls per guest path; the layer is also code V8 has to warm up and optimise).
 */
function settle(calls: HostCalls): void {
  const target = hostCalls as unknown as Record<string, unknown>;
  for (const name of DIRECT) target[name] = calls[name];
  for (const name of ['kind', 'listDir', 'isDirAt', 'statMode', 'putStat', 'statPlain', 'keepPlain', 'readAt', 'writeAt'] as const) {
    Object.defineProperty(hostCalls, name, { value: calls[name], enumerable: true, configurable: true });
  }
}


/** This thread's host calls (chosen at first use; see `real`). */
export const hostCalls: HostCalls = {
  get kind() {
    return real().kind;
  },
  open: (dir, name, flags, mode) => real().open(dir, name, flags, mode),
  // Nothing native was opened before the calls were chosen: closing needs no koffi (and must not
  // load it while a run ends).
  close: (fd) => (chosen === undefined ? fs.closeSync(fd) : chosen.calls.close(fd)),
  trackIn: (shared) => {
    ledger = shared;
    chosen?.calls.trackIn(shared);
  },
  stat: (dir, name, follow) => real().stat(dir, name, follow),
  fstat: (fd) => real().fstat(fd),
  setTimes: (dir, name, follow, atim, mtim) => real().setTimes(dir, name, follow, atim, mtim),
  fsetTimes: (fd, atim, mtim) => real().fsetTimes(fd, atim, mtim),
  rename: (from, fromName, to, toName) => real().rename(from, fromName, to, toName),
  link: (from, fromName, to, toName) => real().link(from, fromName, to, toName),
  symlink: (target, dir, name) => real().symlink(target, dir, name),
  unlink: (dir, name) => real().unlink(dir, name),
  rmdir: (dir, name) => real().rmdir(dir, name),
  mkdir: (dir, name, mode) => real().mkdir(dir, name, mode),
  readlink: (dir, name) => real().readlink(dir, name),
  get listDir() {
    return real().listDir;
  },
  get isDirAt() {
    return real().isDirAt;
  },
  get statMode() {
    return real().statMode;
  },
  get putStat() {
    return real().putStat;
  },
  get statPlain() {
    return real().statPlain;
  },
  get keepPlain() {
    return real().keepPlain;
  },
  get readAt() {
    return real().readAt;
  },
  get writeAt() {
    return real().writeAt;
  },
};

// Forced native calls fail when a thread that is not a run's worker starts (a run's: guardLoading).
if (process.env.TERRARIUM_HOST_CALLS === 'native' && onMainThread()) real();

/**
 * Where the one log line goes that says why the native calls were not used when they should have
 * been (given once, when the calls are chosen).
 */
export function onHostCallsNote(sink: (note: string) => void): void {
  noteSink = sink;
  if (chosen?.note !== undefined) sink(chosen.note);
}
