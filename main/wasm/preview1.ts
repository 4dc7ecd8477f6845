/**
 * `wasi_snapshot_preview1` as data: its module name, its 46 function names and the core-wasm
 * signature of each, lowered from the witx definitions (WebAssembly/WASI,
 * legacy/preview1/witx/wasi_snapshot_preview1.witx): handles, sizes and pointers are i32, 64-bit
 * values (timestamps, offsets, rights, cookies) are i64, and every function returns an i32 errno
 * except `proc_exit`. Written as "params->results".
 *
 * This is the one list: the runtime's providers are keyed by `Preview1Name` (runtime/context.ts),
 * so a missing or misspelt function does not compile, and the library's inspection and the
 * loader judge imports by it.
 *
 * A module that imports one of these names with another type would hand the host values it
 * never expects (a BigInt where a pointer goes, a fraction where a descriptor goes), so it is
 * refused at load, as Wasmtime refuses it at link time.
 */
import { functionImports } from './imports.ts';

/** The module name of WASI preview 1 imports. */
export const WASI_MODULE = 'wasi_snapshot_preview1';

/** Every preview1 function's core-wasm signature, by name. */
export const PREVIEW1_SIGNATURES = Object.freeze({
  args_get: 'i32,i32->i32',
  args_sizes_get: 'i32,i32->i32',
  environ_get: 'i32,i32->i32',
  environ_sizes_get: 'i32,i32->i32',
  clock_res_get: 'i32,i32->i32',
  clock_time_get: 'i32,i64,i32->i32',
  fd_advise: 'i32,i64,i64,i32->i32',
  fd_allocate: 'i32,i64,i64->i32',
  fd_close: 'i32->i32',
  fd_datasync: 'i32->i32',
  fd_fdstat_get: 'i32,i32->i32',
  fd_fdstat_set_flags: 'i32,i32->i32',
  fd_fdstat_set_rights: 'i32,i64,i64->i32',
  fd_filestat_get: 'i32,i32->i32',
  fd_filestat_set_size: 'i32,i64->i32',
  fd_filestat_set_times: 'i32,i64,i64,i32->i32',
  fd_pread: 'i32,i32,i32,i64,i32->i32',
  fd_prestat_get: 'i32,i32->i32',
  fd_prestat_dir_name: 'i32,i32,i32->i32',
  fd_pwrite: 'i32,i32,i32,i64,i32->i32',
  fd_read: 'i32,i32,i32,i32->i32',
  fd_readdir: 'i32,i32,i32,i64,i32->i32',
  fd_renumber: 'i32,i32->i32',
  fd_seek: 'i32,i64,i32,i32->i32',
  fd_sync: 'i32->i32',
  fd_tell: 'i32,i32->i32',
  fd_write: 'i32,i32,i32,i32->i32',
  path_create_directory: 'i32,i32,i32->i32',
  path_filestat_get: 'i32,i32,i32,i32,i32->i32',
  path_filestat_set_times: 'i32,i32,i32,i32,i64,i64,i32->i32',
  path_link: 'i32,i32,i32,i32,i32,i32,i32->i32',
  path_open: 'i32,i32,i32,i32,i32,i64,i64,i32,i32->i32',
  path_readlink: 'i32,i32,i32,i32,i32,i32->i32',
  path_remove_directory: 'i32,i32,i32->i32',
  path_rename: 'i32,i32,i32,i32,i32,i32->i32',
  path_symlink: 'i32,i32,i32,i32,i32->i32',
  path_unlink_file: 'i32,i32,i32->i32',
  poll_oneoff: 'i32,i32,i32,i32->i32',
  proc_exit: 'i32->',
  proc_raise: 'i32->i32',
  sched_yield: '->i32',
  random_get: 'i32,i32->i32',
  sock_accept: 'i32,i32,i32->i32',
  sock_recv: 'i32,i32,i32,i32,i32,i32->i32',
  sock_send: 'i32,i32,i32,i32,i32->i32',
  sock_shutdown: 'i32,i32->i32',
} as const satisfies Record<string, `${string}->${string}`>);

/** The name of a `wasi_snapshot_preview1` function. */
export type Preview1Name = keyof typeof PREVIEW1_SIGNATURES;

/** The 46 function names, in the witx order. */
export const PREVIEW1_NAMES: readonly Preview1Name[] = Object.freeze(Object.keys(PREVIEW1_SIGNATURES) as Preview1Name[]);

/** True when `name` is a preview1 function (own names only: `toString` is not one). */
export function isPreview1Name(name: string): name is Preview1Name {
  return Object.hasOwn(PREVIEW1_SIGNATURES, name);
}

/**
 * Why `bytes` cannot be linked against preview1: the first function it imports from
 * `wasi_snapshot_preview1` with a type other than the spec's, or null when every one matches.
 * Unknown names are not judged here (they answer `nosys`). Throws WasmBinaryError for a
 * binary whose type or import section cannot be read.
 */
export function mistypedWasiImport(bytes: Uint8Array): string | null {
  for (const imp of functionImports(bytes)) {
    if (imp.module !== WASI_MODULE || !isPreview1Name(imp.name)) continue;
    const want = PREVIEW1_SIGNATURES[imp.name];
    if (imp.type !== want) {
      return `it imports "${imp.module}.${imp.name}" as (${imp.type}), but WASI defines it as (${want})`;
    }
  }
  return null;
}
