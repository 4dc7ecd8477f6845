/**
 * ABI constants and struct layouts of `wasi_snapshot_preview1`, with the spec's names.
 * Source: WebAssembly/WASI `legacy/preview1/witx/typenames.witx`.
 */

/** Error codes returned by every WASI function (`errno`, u16). */
export const Errno = {
  success: 0, '2big': 1, acces: 2, addrinuse: 3, addrnotavail: 4, afnosupport: 5, again: 6,
  already: 7, badf: 8, badmsg: 9, busy: 10, canceled: 11, child: 12, connaborted: 13,
  connrefused: 14, connreset: 15, deadlk: 16, destaddrreq: 17, dom: 18, dquot: 19, exist: 20,
  fault: 21, fbig: 22, hostunreach: 23, idrm: 24, ilseq: 25, inprogress: 26, intr: 27, inval: 28,
  io: 29, isconn: 30, isdir: 31, loop: 32, mfile: 33, mlink: 34, msgsize: 35, multihop: 36,
  nametoolong: 37, netdown: 38, netreset: 39, netunreach: 40, nfile: 41, nobufs: 42, nodev: 43,
  noent: 44, noexec: 45, nolck: 46, nolink: 47, nomem: 48, nomsg: 49, noprotoopt: 50, nospc: 51,
  nosys: 52, notconn: 53, notdir: 54, notempty: 55, notrecoverable: 56, notsock: 57, notsup: 58,
  notty: 59, nxio: 60, overflow: 61, ownerdead: 62, perm: 63, pipe: 64, proto: 65,
  protonosupport: 66, prototype: 67, range: 68, rofs: 69, spipe: 70, srch: 71, stale: 72,
  timedout: 73, txtbsy: 74, xdev: 75, notcapable: 76,
} as const;

/** Rights bits (`rights`, u64; all defined bits fit in 30 bits, so they are kept as numbers). */
export const Rights = {
  fd_datasync: 1 << 0, fd_read: 1 << 1, fd_seek: 1 << 2, fd_fdstat_set_flags: 1 << 3,
  fd_sync: 1 << 4, fd_tell: 1 << 5, fd_write: 1 << 6, fd_advise: 1 << 7, fd_allocate: 1 << 8,
  path_create_directory: 1 << 9, path_create_file: 1 << 10, path_link_source: 1 << 11,
  path_link_target: 1 << 12, path_open: 1 << 13, fd_readdir: 1 << 14, path_readlink: 1 << 15,
  path_rename_source: 1 << 16, path_rename_target: 1 << 17, path_filestat_get: 1 << 18,
  path_filestat_set_size: 1 << 19, path_filestat_set_times: 1 << 20, fd_filestat_get: 1 << 21,
  fd_filestat_set_size: 1 << 22, fd_filestat_set_times: 1 << 23, path_symlink: 1 << 24,
  path_remove_directory: 1 << 25, path_unlink_file: 1 << 26, poll_fd_readwrite: 1 << 27,
  sock_shutdown: 1 << 28, sock_accept: 1 << 29,
} as const;

/** Every defined right. */
export const RIGHTS_ALL = (1 << 30) - 1;

const R = Rights;

/** Rights that change a file's contents or metadata through its descriptor. */
export const RIGHTS_FILE_MUTATE =
  R.fd_write | R.fd_allocate | R.fd_filestat_set_size | R.fd_filestat_set_times | R.fd_datasync | R.fd_sync;

/** Rights that change a directory's entries or their metadata. */
export const RIGHTS_DIR_MUTATE =
  R.path_create_directory | R.path_create_file | R.path_link_source | R.path_link_target |
  R.path_rename_source | R.path_rename_target | R.path_filestat_set_size | R.path_filestat_set_times |
  R.path_symlink | R.path_remove_directory | R.path_unlink_file;

/** Rights a descriptor inside a read-only grant never has. */
export const RIGHTS_READ_ONLY_DENIED = RIGHTS_FILE_MUTATE | RIGHTS_DIR_MUTATE;

/** Rights that make sense on a regular file. */
export const RIGHTS_REGULAR_FILE =
  R.fd_datasync | R.fd_read | R.fd_seek | R.fd_fdstat_set_flags | R.fd_sync | R.fd_tell | R.fd_write |
  R.fd_advise | R.fd_allocate | R.fd_filestat_get | R.fd_filestat_set_size | R.fd_filestat_set_times |
  R.poll_fd_readwrite;

/** Rights that make sense on a directory. */
export const RIGHTS_DIRECTORY =
  R.fd_fdstat_set_flags | R.fd_sync | R.fd_datasync | R.fd_advise | RIGHTS_DIR_MUTATE | R.path_open |
  R.fd_readdir | R.path_readlink | R.path_filestat_get | R.fd_filestat_get | R.fd_filestat_set_times;

/** `filetype` (u8). */
export const Filetype = {
  unknown: 0, block_device: 1, character_device: 2, directory: 3, regular_file: 4,
  socket_dgram: 5, socket_stream: 6, symbolic_link: 7,
} as const;

/** `whence` (u8). */
export const Whence = { set: 0, cur: 1, end: 2 } as const;

/** `fdflags` (u16). */
export const Fdflags = { append: 1, dsync: 2, nonblock: 4, rsync: 8, sync: 16 } as const;

/** Every defined `fdflags` bit. */
export const FDFLAGS_ALL = Fdflags.append | Fdflags.dsync | Fdflags.nonblock | Fdflags.rsync | Fdflags.sync;

/** `oflags` (u16). */
export const Oflags = { creat: 1, directory: 2, excl: 4, trunc: 8 } as const;

/** Every defined `oflags` bit. */
export const OFLAGS_ALL = Oflags.creat | Oflags.directory | Oflags.excl | Oflags.trunc;

/** `lookupflags` (u32). */
export const Lookupflags = { symlink_follow: 1 } as const;

/** `fstflags` (u16). */
export const Fstflags = { atim: 1, atim_now: 2, mtim: 4, mtim_now: 8 } as const;

/** `clockid` (u32). */
export const Clockid = { realtime: 0, monotonic: 1, process_cputime_id: 2, thread_cputime_id: 3 } as const;

/** `eventtype` (u8). */
export const Eventtype = { clock: 0, fd_read: 1, fd_write: 2 } as const;

/** `subclockflags` (u16). */
export const Subclockflags = { subscription_clock_abstime: 1 } as const;

/** `advice` (u8): the largest valid value. */
export const ADVICE_MAX = 5;

/** `preopentype` (u8). */
export const Preopentype = { dir: 0 } as const;

/** Struct sizes and field offsets (wasm32). */
export const Layout = {
  iovec: { size: 8, buf: 0, buf_len: 4 },
  fdstat: { size: 24, fs_filetype: 0, fs_flags: 2, fs_rights_base: 8, fs_rights_inheriting: 16 },
  filestat: { bytes: 64, dev: 0, ino: 8, filetype: 16, nlink: 24, size: 32, atim: 40, mtim: 48, ctim: 56 },
  dirent: { size: 24, d_next: 0, d_ino: 8, d_namlen: 16, d_type: 20 },
  prestat: { size: 8, tag: 0, pr_name_len: 4 },
  subscription: { size: 48, userdata: 0, tag: 8, clock_id: 16, clock_timeout: 24, clock_precision: 32, clock_flags: 40, fd: 16 },
  event: { size: 32, userdata: 0, error: 8, type: 10, nbytes: 16, flags: 24 },
} as const;
