/**
 * The 46 `wasi_snapshot_preview1` functions as the fuzz interpreter (test/fixtures/fuzz_interp.c)
 * numbers them, each with the role of every argument, from which the generator draws hostile
 * values. The index of a function here is its number in the script.
 */

/** What an argument means, which decides how the generator picks a value for it. */
export type Role =
  | 'fd' // a descriptor (open, closed, preopen, stdio, huge)
  | 'fdKeep' // a descriptor that is closed, renumbered or loses rights: never stdout
  | 'out' // pointer the call writes a result to
  | 'buf' // pointer to a buffer the call fills, followed by its length ('len')
  | 'len'
  | 'iovs' // pointer to an iovec array, followed by its count ('count')
  | 'ciovs' // the same for data written out
  | 'count'
  | 'path' // pointer to a path, followed by its length ('len')
  | 'rights'
  | 'lookupflags'
  | 'oflags'
  | 'fdflags'
  | 'fstflags'
  | 'riflags'
  | 'siflags'
  | 'sdflags'
  | 'u64' // offsets, sizes, timestamps, precision
  | 'cookie'
  | 'whence'
  | 'advice'
  | 'clock'
  | 'subs' // poll subscriptions, followed by events out ('out') and a count ('count')
  | 'signal'
  | 'exitCode';

/** One preview1 function: its name and its arguments' roles, in order. */
export interface WasiFunction {
  name: string;
  args: Role[];
}

const f = (name: string, ...args: Role[]): WasiFunction => ({ name, args });

/** All of preview1, in the interpreter's order. */
export const FUNCTIONS: readonly WasiFunction[] = [
  f('args_get', 'out', 'buf'),
  f('args_sizes_get', 'out', 'out'),
  f('environ_get', 'out', 'buf'),
  f('environ_sizes_get', 'out', 'out'),
  f('clock_res_get', 'clock', 'out'),
  f('clock_time_get', 'clock', 'u64', 'out'),
  f('fd_advise', 'fd', 'u64', 'u64', 'advice'),
  f('fd_allocate', 'fd', 'u64', 'u64'),
  f('fd_close', 'fdKeep'),
  f('fd_datasync', 'fd'),
  f('fd_fdstat_get', 'fd', 'out'),
  f('fd_fdstat_set_flags', 'fd', 'fdflags'),
  f('fd_fdstat_set_rights', 'fdKeep', 'rights', 'rights'),
  f('fd_filestat_get', 'fd', 'out'),
  f('fd_filestat_set_size', 'fd', 'u64'),
  f('fd_filestat_set_times', 'fd', 'u64', 'u64', 'fstflags'),
  f('fd_pread', 'fd', 'iovs', 'count', 'u64', 'out'),
  f('fd_prestat_get', 'fd', 'out'),
  f('fd_prestat_dir_name', 'fd', 'buf', 'len'),
  f('fd_pwrite', 'fd', 'ciovs', 'count', 'u64', 'out'),
  f('fd_read', 'fd', 'iovs', 'count', 'out'),
  f('fd_readdir', 'fd', 'buf', 'len', 'cookie', 'out'),
  f('fd_renumber', 'fdKeep', 'fdKeep'),
  f('fd_seek', 'fd', 'u64', 'whence', 'out'),
  f('fd_sync', 'fd'),
  f('fd_tell', 'fd', 'out'),
  f('fd_write', 'fd', 'ciovs', 'count', 'out'),
  f('path_create_directory', 'fd', 'path', 'len'),
  f('path_filestat_get', 'fd', 'lookupflags', 'path', 'len', 'out'),
  f('path_filestat_set_times', 'fd', 'lookupflags', 'path', 'len', 'u64', 'u64', 'fstflags'),
  f('path_link', 'fd', 'lookupflags', 'path', 'len', 'fd', 'path', 'len'),
  f('path_open', 'fd', 'lookupflags', 'path', 'len', 'oflags', 'rights', 'rights', 'fdflags', 'out'),
  f('path_readlink', 'fd', 'path', 'len', 'buf', 'len', 'out'),
  f('path_remove_directory', 'fd', 'path', 'len'),
  f('path_rename', 'fd', 'path', 'len', 'fd', 'path', 'len'),
  f('path_symlink', 'path', 'len', 'fd', 'path', 'len'),
  f('path_unlink_file', 'fd', 'path', 'len'),
  f('poll_oneoff', 'subs', 'out', 'count', 'out'),
  f('proc_exit', 'exitCode'),
  f('proc_raise', 'signal'),
  f('sched_yield'),
  f('random_get', 'buf', 'len'),
  f('sock_accept', 'fd', 'fdflags', 'out'),
  f('sock_recv', 'fd', 'iovs', 'count', 'riflags', 'out', 'out'),
  f('sock_send', 'fd', 'ciovs', 'count', 'siflags', 'out'),
  f('sock_shutdown', 'fd', 'sdflags'),
];

/** A function's number by name. */
export function functionIndex(name: string): number {
  const i = FUNCTIONS.findIndex((fn) => fn.name === name);
  if (i < 0) throw new Error(`no WASI function ${name}`);
  return i;
}
