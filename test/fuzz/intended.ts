/**
 * Every intended difference between Terrarium and Wasmtime (the differential reference), as
 * data: the README's "Fuzzing" table lists each by id (a test checks it), and the differential
 * test fails on any difference no rule explains. A rule names the functions, the errno each
 * engine answers, and whether the two runs' states stay the same afterwards (then the
 * comparison goes on; otherwise it ends there for that script).
 */
import { Errno as E } from '../../main/runtime/abi.ts';
import type { Difference } from './differential.ts';

/** One intended difference. */
export interface Intended {
  id: string;
  functions: RegExp;
  terrarium: readonly number[];
  wasmtime: readonly number[];
  /** The states are still the same after it: compare the rest of the script. */
  sameState: boolean;
  why: string;
}

const MUTATING = /^(path_(create_directory|link|open|remove_directory|rename|symlink|unlink_file|filestat_set_times)|fd_(filestat_set_times|filestat_set_size|allocate|write|pwrite))$/;

/** The table (also in the README). */
export const INTENDED: readonly Intended[] = [
  {
    id: 'read-only-grant',
    functions: MUTATING,
    terrarium: [E.notcapable],
    wasmtime: [E.perm, E.badf, E.acces, E.rofs],
    sameState: true,
    why: 'A change inside a read-only grant is `notcapable` (the capability is missing); Wasmtime says `perm` or `badf`.',
  },
  {
    id: 'check-order',
    functions: /./,
    terrarium: [E.notcapable, E.badf, E.inval, E.ilseq, E.nametoolong, E.perm, E.noent, E.notdir, E.exist, E.isdir, E.loop, E.fault, E.notempty],
    wasmtime: [E.badf, E.inval, E.ilseq, E.perm, E.busy, E.noent, E.notdir, E.exist, E.isdir, E.loop, E.notempty, E.notcapable, E.nametoolong],
    sameState: true,
    why: 'When a call is wrong in several ways at once both refuse it but name a different fault first (Terrarium checks the grant and the path before the arguments; Wasmtime decodes UTF-8 first, then flags, then the grant).',
  },
  {
    id: 'proc-raise',
    functions: /^proc_raise$/,
    terrarium: [E.nosys],
    wasmtime: [E.notsup],
    sameState: true,
    why: '`proc_raise` (deprecated) is `nosys` in Terrarium, `notsup` in Wasmtime.',
  },
  {
    id: 'directory-descriptor',
    functions: /^fd_(sync|datasync|fdstat_set_flags|filestat_set_times)$/,
    terrarium: [E.success],
    wasmtime: [E.badf],
    sameState: true,
    why: 'Syncing a directory descriptor (POSIX fsync, what makes a rename durable), setting its flags, or setting its times (in a read-write grant) works in Terrarium; Wasmtime answers `badf` for a directory.',
  },
  {
    id: 'poll-event-errors',
    functions: /^poll_oneoff$/,
    terrarium: [E.success],
    wasmtime: [E.badf, E.inval],
    sameState: true,
    why: 'A subscription on a bad descriptor gets its error in its event (the call succeeds), and zero subscriptions return zero events; Wasmtime fails the whole call with `badf` / `inval`.',
  },
];

/** The rule explaining `d`, if any. */
export function explain(d: Difference): Intended | undefined {
  if (typeof d.terrarium !== 'number' || typeof d.wasmtime !== 'number') return undefined;
  return INTENDED.find((r) => r.functions.test(d.fn) && r.terrarium.includes(d.terrarium as number) && r.wasmtime.includes(d.wasmtime as number));
}
