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
    terrarium: [E.notcapable, E.badf, E.inval, E.ilseq, E.nametoolong, E.perm, E.noent, E.notdir, E.exist, E.isdir, E.loop, E.fault, E.notempty, E.notsock, E.fbig],
    wasmtime: [E.badf, E.inval, E.ilseq, E.perm, E.busy, E.noent, E.notdir, E.exist, E.isdir, E.loop, E.notempty, E.notcapable, E.nametoolong, E.fbig],
    sameState: true,
    why: 'When a call is wrong in several ways at once both refuse it but name a different fault first (Terrarium checks the grant and the path before the arguments; Wasmtime decodes UTF-8 first, then flags, then the grant).',
  },
  {
    id: 'rights',
    functions: /^(fd_|path_open$)/,
    terrarium: [E.notcapable, E.isdir],
    wasmtime: [E.success],
    sameState: false,
    why: 'A descriptor holds only the rights it was opened with (and a folder is never opened for writing: `isdir`); Wasmtime 49 ignores rights beyond read/write.',
  },
  {
    id: 'trailing-slash',
    functions: /^path_(filestat_get|filestat_set_times|open|remove_directory)$/,
    terrarium: [E.notdir, E.loop, E.perm, E.success],
    wasmtime: [E.success, E.inval],
    sameState: false,
    why: 'A trailing slash follows the last symlink and requires a folder (POSIX): `f/` is `notdir`, `loop/` is `loop`, a link out of the grant is `perm`, and `rmdir d/` works; Wasmtime stats the name itself and refuses `d/` for removal.',
  },
  {
    id: 'offset-range',
    functions: /^fd_(seek|pread|pwrite|read|write|filestat_set_size)$/,
    terrarium: [E.inval, E.fbig],
    wasmtime: [E.success, E.fbig, E.inval],
    sameState: false,
    why: 'File offsets and sizes stop at 2^53 - 1 (9 PB; Node\'s file positions are JavaScript numbers), checked even when nothing is transferred: past that `inval` (`fbig` for a size); Wasmtime accepts up to 2^63 - 1 and says `fbig` or `inval` past it.',
  },
  {
    id: 'set-times-resolves',
    functions: /^path_filestat_set_times$/,
    terrarium: [E.nametoolong, E.noent, E.notdir, E.loop, E.notcapable, E.ilseq, E.inval],
    wasmtime: [E.success],
    sameState: true,
    why: 'With no time to set, Terrarium still resolves the path (and refuses a bad one); Wasmtime returns success without looking.',
  },
  {
    id: 'readlink-absolute',
    functions: /^path_readlink$/,
    terrarium: [E.success],
    wasmtime: [E.perm],
    sameState: true,
    why: 'Reading a symlink whose target is absolute returns its text (it is never followed); Wasmtime refuses with `perm`. The text can name a host path: only links someone else put in a grant hold one (a guest cannot create an absolute link).',
  },
  {
    id: 'link-follow',
    functions: /^path_link$/,
    terrarium: [E.success, E.perm, E.loop, E.noent, E.notdir],
    wasmtime: [E.inval],
    sameState: false,
    why: '`path_link` with `symlink_follow` links what the source link points to (inside the grant; a link out is `perm`); Wasmtime refuses the flag with `inval`.',
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
    wasmtime: [E.badf, E.inval, E.perm],
    sameState: true,
    why: 'A subscription on a bad descriptor gets its error in its event (the call succeeds), and zero subscriptions return zero events; Wasmtime fails the whole call with `badf` / `inval`.',
  },
];

/**
 * Differences the differential run does not generate (generate.ts `strict`), because one of the
 * two engines would stop comparing: listed in the README too.
 */
export const AVOIDED: readonly { id: string; why: string }[] = [
  { id: 'bad-pointer', why: 'A pointer or length out of bounds or misaligned is `fault` in Terrarium; Wasmtime traps (the run ends).' },
  { id: 'bad-enum', why: 'Undefined bits in flags or rights, and out-of-range enums (whence, advice, clock, event type), are `inval`/`notcapable` in Terrarium; Wasmtime traps.' },
  { id: 'random-size', why: 'A `random_get` larger than Wasmtime\'s limit traps in Wasmtime; Terrarium fills it (or answers `fault`). Scripts ask for at most 64 KiB.' },
  { id: 'cpu-clocks', why: 'The process and thread CPU-time clocks exist in Terrarium; Wasmtime answers `badf`/`inval`.' },
  { id: 'sync-flags', why: '`dsync`, `rsync` and `sync` at open are honoured by Terrarium; Wasmtime answers `notsup`.' },
  { id: 'set-flags-rights', why: '`fd_fdstat_set_flags` (append, nonblock) and `fd_fdstat_set_rights` (narrowing) work in Terrarium; Wasmtime 49 answers `badf`/`notsup`.' },
  { id: 'allocate', why: '`fd_allocate` works in Terrarium; Wasmtime 49 answers `notsup`.' },
  { id: 'short-transfers', why: 'Wasmtime reads or writes only the first non-empty iovec per call (a short transfer, which POSIX allows); Terrarium moves them all. Scripts pass at most one iovec.' },
  { id: 'pwrite-append', why: '`fd_pwrite` on an `append` descriptor writes at the offset given (POSIX); Wasmtime appends (the Linux pwrite bug).' },
  { id: 'fd-numbers', why: 'A new descriptor gets the lowest free number in Terrarium (POSIX), which can be a closed preopen\'s; Wasmtime does not reuse that one. Scripts never close or renumber the grants.' },
  { id: 'stdio', why: 'Terrarium\'s stdio are streams (`spipe` on seek); the reference reads its stdin from a file. Scripts leave fds 0-2 alone.' },
  { id: 'exit-code', why: '`proc_exit` with 126 or more ends the run with that code in Terrarium; Wasmtime traps.' },
];

/** The rule explaining `d`, if any. */
export function explain(d: Difference): Intended | undefined {
  if (typeof d.terrarium !== 'number' || typeof d.wasmtime !== 'number') return undefined;
  return INTENDED.find((r) => r.functions.test(d.fn) && r.terrarium.includes(d.terrarium as number) && r.wasmtime.includes(d.wasmtime as number));
}
