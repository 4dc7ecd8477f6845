/**
 * Everything the native host calls need to know about one platform, in ONE table: which C library
 * to load, the symbol names, the `*at` flag values, UTIME_NOW/UTIME_OMIT, and where the fields of
 * the stat structure are. O_* open flags are not here: Node's `fs.constants` already holds the
 * host's values, and callers pass those.
 *
 * Linux uses `statx` (one structure on every architecture, glibc ≥ 2.28 and musl ≥ 1.2.5);
 * macOS uses `fstatat` with the 64-bit-inode `struct stat` (the `$INODE64` symbols on x64).
 * Only little-endian 64-bit targets are listed; anything else has no entry and runs portable.
 */

/** Where a field is in the stat buffer, and how wide it is (bytes). */
export interface Field {
  at: number;
  bytes: 2 | 4 | 8;
}

/** The stat structure the platform's stat call fills. */
export interface StatLayout {
  /** `statx` (Linux) or `stat` (macOS, 64-bit inodes). */
  kind: 'statx' | 'stat64';
  bytes: number;
  mode: Field;
  nlink: Field;
  ino: Field;
  size: Field;
  /** statx: dev_major at `dev`, dev_minor right after; stat64: one dev_t. */
  dev: Field;
  /** Seconds at `at`; nanoseconds at `at + nsecAt` (a u32 for statx, a long for stat64). */
  atime: Field;
  mtime: Field;
  ctime: Field;
  nsecAt: number;
  nsecBytes: 4 | 8;
}

/** One platform's entry. */
export interface Platform {
  /** C library sonames to try, in order. */
  libraries: string[];
  /** Symbol names (they differ on macOS x64). */
  symbols: { stat: string; fstat?: string };
  /** openat is variadic; where variadic arguments travel differently (macOS arm64), call it so. */
  variadicOpen: boolean;
  AT_SYMLINK_NOFOLLOW: number;
  AT_SYMLINK_FOLLOW: number;
  AT_REMOVEDIR: number;
  /** statx on an fd with an empty path (Linux only). */
  AT_EMPTY_PATH?: number;
  O_CLOEXEC: number;
  UTIME_NOW: bigint;
  UTIME_OMIT: bigint;
  /**
   * Reading a directory from its descriptor: `getdents64` (glibc; musl names it `getdents`) and
   * where the fields of `struct dirent64` are. Absent: listing goes by path.
   */
  dirents?: { symbols: string[]; ino: number; reclen: number; type: number; name: number };
  /** Size of `struct timespec` (two 64-bit longs on every listed target). */
  timespecBytes: 16;
  stat: StatLayout;
}

let table: Record<string, Platform> | undefined;

/**
 * The table: `${process.platform}-${process.arch}` → its entry. Built at its first use, not when
 * the script loads: only the native host calls read it (a run given folders), and a `run FILE`
 * start would pay for its literals, spreads and bigints for nothing (docs/design/start2.md).
 */
export function platforms(): Record<string, Platform> {
  return (table ??= buildPlatforms());
}

function buildPlatforms(): Record<string, Platform> {
  const STATX: StatLayout = {
    kind: 'statx', bytes: 256,
    nlink: { at: 16, bytes: 4 }, mode: { at: 28, bytes: 2 }, ino: { at: 32, bytes: 8 }, size: { at: 40, bytes: 8 },
    atime: { at: 64, bytes: 8 }, ctime: { at: 96, bytes: 8 }, mtime: { at: 112, bytes: 8 },
    nsecAt: 8, nsecBytes: 4, dev: { at: 136, bytes: 4 },
  };

  const LINUX = {
    symbols: { stat: 'statx' },
    variadicOpen: false,
    AT_SYMLINK_NOFOLLOW: 0x100, AT_SYMLINK_FOLLOW: 0x400, AT_REMOVEDIR: 0x200, AT_EMPTY_PATH: 0x1000,
    O_CLOEXEC: 0o2000000,
    UTIME_NOW: (1n << 30n) - 1n, UTIME_OMIT: (1n << 30n) - 2n,
    timespecBytes: 16 as const,
    stat: STATX,
    dirents: { symbols: ['getdents64', 'getdents'], ino: 0, reclen: 16, type: 18, name: 19 },
  };

  // glibc first, then musl's soname (Alpine names it after the loader).
  const LINUX_X64_LIBS = ['libc.so.6', 'libc.musl-x86_64.so.1', 'ld-musl-x86_64.so.1'];
  const LINUX_ARM64_LIBS = ['libc.so.6', 'libc.musl-aarch64.so.1', 'ld-musl-aarch64.so.1'];

  const STAT64: StatLayout = {
    kind: 'stat64', bytes: 144,
    dev: { at: 0, bytes: 4 }, mode: { at: 4, bytes: 2 }, nlink: { at: 6, bytes: 2 }, ino: { at: 8, bytes: 8 },
    atime: { at: 32, bytes: 8 }, mtime: { at: 48, bytes: 8 }, ctime: { at: 64, bytes: 8 }, size: { at: 96, bytes: 8 },
    nsecAt: 8, nsecBytes: 8,
  };

  const DARWIN = {
    libraries: ['libSystem.B.dylib', '/usr/lib/libSystem.B.dylib'],
    AT_SYMLINK_NOFOLLOW: 0x20, AT_SYMLINK_FOLLOW: 0x40, AT_REMOVEDIR: 0x80,
    O_CLOEXEC: 0x1000000,
    UTIME_NOW: -1n, UTIME_OMIT: -2n,
    timespecBytes: 16 as const,
    stat: STAT64,
  };

  return {
    'linux-x64': { ...LINUX, libraries: LINUX_X64_LIBS },
    'linux-arm64': { ...LINUX, libraries: LINUX_ARM64_LIBS },
    'darwin-x64': { ...DARWIN, symbols: { stat: 'fstatat$INODE64', fstat: 'fstat$INODE64' }, variadicOpen: false },
    'darwin-arm64': { ...DARWIN, symbols: { stat: 'fstatat', fstat: 'fstat' }, variadicOpen: true },
  };
}

/** This process's entry, or undefined when the native calls do not support it. */
export function currentPlatform(): Platform | undefined {
  return platforms()[`${process.platform}-${process.arch}`];
}

/**
 * The `dev_t` glibc's `makedev` builds from a statx major/minor pair, which is what Node (libuv)
 * reports as `st.dev` on Linux.
 */
export function makedev(major: number, minor: number): bigint {
  const M = BigInt(major >>> 0);
  const m = BigInt(minor >>> 0);
  return ((M & 0xfffff000n) << 32n) | ((M & 0xfffn) << 8n) | ((m & 0xffffff00n) << 12n) | (m & 0xffn);
}
