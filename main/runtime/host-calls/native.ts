/**
 * The native host calls: the C library's `openat`, `statx`/`fstatat`, `utimensat`/`futimens`,
 * `renameat`, `linkat`, `symlinkat`, `unlinkat`, `mkdirat` and `readlinkat` through `koffi`. Each
 * names one component inside a directory descriptor the resolver holds, so no path is ever walked
 * by the kernel and no `/proc` is needed (Linux and macOS alike). Platform facts: platform.ts.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import type { DirRef } from '../path-resolve.ts';
import { type DirentLayout, parseDirents } from './dirents.ts';
import { DIRENTS, type DirentConverter, RECORDS, RECORDS_BYTES, direntConverter } from './dirents-wasm.ts';
import { FdLedger } from './fd-ledger.ts';
import { koffiAt, koffiFile, requireKoffi } from './koffi-load.ts';
import type { NativeSetup } from './proven-cache.ts';
import { threadData } from './thread-data.ts';
import { hostError } from './host-error.ts';
import { type Platform, currentPlatform, makedev } from './platform.ts';
import { type FilestatWriter, filestatWriter } from './filestat-wasm.ts';
import { type PlainStatter, type Statx, plainStatter } from './plain-stat-wasm.ts';
import { decodeStat, isDirectoryIn, modeIn, putFilestatFrom } from './stat.ts';
import type { DirEntries, HostCalls, HostStat, TimeSpec } from './types.ts';

type Koffi = typeof import('koffi');
type Fn = (...args: unknown[]) => number;

/** Where koffi is searched from (`createRequire`'s base): proven-cache.ts keeps a record per such folder. */
export const searchFrom = import.meta.url;

/**
 * Loads koffi and the C library; throws with the reason when this host cannot have native calls.
 * `known` is where an earlier process found them (proven-cache.ts): its koffi file is opened
 * without a search when it is still there at the same version, its C library tried first.
 */
export function loadNative(known?: NativeSetup): HostCalls {
  const P = currentPlatform();
  if (P === undefined) throw new Error(`no native host calls for ${process.platform}-${process.arch}`);
  // A packaged app keeps koffi's binary in its resources folder, where koffi looks through
  // process.resourcesPath; a run's worker is handed the main thread's (see run.ts).
  const resources = threadData()?.resourcesPath;
  const proc = process as { resourcesPath?: string };
  if (proc.resourcesPath === undefined && resources !== undefined) proc.resourcesPath = resources;
  // Required lazily: a missing or broken koffi binary must only mean "portable".
  const koffi = (known !== undefined && known.addon !== '' ? koffiAt<Koffi>(known.addon, known.koffi, searchFrom) : undefined)
    ?? requireKoffi<Koffi>(createRequire(searchFrom));
  let lib: ReturnType<Koffi['load']> | undefined;
  let libcName = '';
  const tried: string[] = [];
  const libraries = known !== undefined && P.libraries.includes(known.libc) ? [known.libc, ...P.libraries.filter((n) => n !== known.libc)] : P.libraries;
  for (const name of libraries) {
    try {
      lib = koffi.load(name);
      libcName = name;
      break;
    } catch (err) {
      tried.push(`${name}: ${(err as Error).message}`);
    }
  }
  if (lib === undefined) throw new Error(`no C library (${tried.join('; ')})`);
  setup = { addon: koffiFile(), koffi: koffi.version, libc: libcName, libcVersion: libcVersion(lib) };
  return bind(koffi, lib, P);
}

let setup: NativeSetup | undefined;

/** What `loadNative` loaded (koffi's file and version, the C library's name and version): what a self-test's verdict depends on. */
export function nativeSetup(): NativeSetup {
  if (setup === undefined) throw new Error('the native calls are not loaded');
  return setup;
}

/** glibc's version, or "" where the C library does not say (musl, macOS: its name is in the key). */
function libcVersion(lib: ReturnType<Koffi['load']>): string {
  try {
    return String((lib.func('const char *gnu_get_libc_version()') as () => string)());
  } catch {
    return '';
  }
}

const O_LIST = fs.constants.O_RDONLY | (fs.constants.O_DIRECTORY ?? 0);
// Read when used, not at load: node:os is loaded at its first use in the bundle (bundle-cli.ts).
const hostErrno = (): typeof os.constants.errno => os.constants.errno;

/** A held directory's fd: never a negative one (AT_FDCWD would mean the process's folder). */
function held(dir: DirRef): number {
  if (dir.fd < 0) throw hostError(hostErrno().EBADF, 'openat', dir.path);
  return dir.fd;
}

/** A name as a C string: a NUL byte would silently cut it short, so it is refused (as Node does). */
function cname(s: string): string {
  if (s.includes('\0')) throw hostError(hostErrno().EINVAL, 'path', s);
  return s;
}

/**
 * Memory the hot calls (stat, open, unlink, mkdir) pass by address: the stat buffer (a page of
 * wasm memory, see `statMemory`), and one name as a NUL-terminated C string. koffi passes a number to an `intptr_t` parameter as it is,
 * where a JS string costs a UTF-8 conversion into its own heap and a Buffer a lookup of its
 * backing store at every call (~70 ns each per call here). An ArrayBuffer's backing store never
 * moves, and every call is synchronous, so the address stays valid as long as `mem` is held.
 */
/** A one-page wasm memory, or undefined where the address space for one cannot be reserved. */
function newStatMemory(): WebAssembly.Memory | undefined {
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: 1 });
  } catch {
    return undefined;
  }
}

class Scratch {
  /** Where the name starts. */
  static readonly NAME = 0;
  private readonly address: (mem: Uint8Array) => bigint;
  private mem = new Uint8Array(0);
  private base = 0;
  /**
   * The stat buffer: the first 256 bytes of a one-page wasm memory that never grows (so neither
   * detached nor moved), which filestat-wasm.ts's writer reads as its second memory; a plain
   * ArrayBuffer where no wasm memory can be made (then nothing reads it but JavaScript).
   */
  readonly statMemory = newStatMemory();
  /** The stat buffer's view. */
  readonly stat = Buffer.from(this.statMemory?.buffer ?? new ArrayBuffer(256), 0, 256);
  /** The stat buffer's address. */
  readonly statAt: number;
  constructor(address: (mem: Uint8Array) => bigint, bytes: number) {
    this.address = address;
    this.statAt = Number(address(new Uint8Array(this.stat.buffer, 0, 256)));
    this.grow(bytes);
  }
  private grow(bytes: number): void {
    this.mem = new Uint8Array(new ArrayBuffer(bytes));
    this.base = Number(this.address(this.mem));
  }
  /**
   * Writes `s` as a C string and returns its address; a NUL byte in it is refused (EINVAL), as
   * `cname` refuses it. ASCII goes byte by byte; anything else through Buffer's UTF-8 encoder.
   */
  name(s: string): number {
    const n = s.length;
    if (Scratch.NAME + 3 * n + 1 > this.mem.length) this.grow(Scratch.NAME + 3 * n + 1 + 4096);
    const m = this.mem;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === 0 || c > 0x7f) return this.encoded(s);
      m[Scratch.NAME + i] = c;
    }
    m[Scratch.NAME + n] = 0;
    return this.base + Scratch.NAME;
  }
  /** `name` for a name that is not all ASCII (or has a NUL): kept apart so the loop above stays small. */
  private encoded(s: string): number {
    if (s.includes('\0')) throw hostError(hostErrno().EINVAL, 'path', s);
    const end = Scratch.NAME + Buffer.from(this.mem.buffer).write(s, Scratch.NAME, 'utf8');
    this.mem[end] = 0;
    return this.base + Scratch.NAME;
  }
}

/**
 * `getdents64` on a fresh descriptor of the held directory (openat(dirfd, ".") is no path walk,
 * and the guest's own descriptor keeps its position); undefined when the symbol is missing.
 * Where the listing takes dirents whole (`DirEntries.addDirents`) and the records are Linux's
 * layout, they are read into the wasm converter's memory and laid out there (dirents-wasm.ts); a
 * batch it declines (a name that is not ASCII, an unknown kind), and every other listing, is parsed
 * in JavaScript (dirents.ts).
 */
function direntLister(
  koffi: Koffi, lib: ReturnType<Koffi['load']>, L: DirentLayout & { symbols: string[] },
  openSelf: (dirFd: number, name: string) => number, closeFd: Fn,
): ((dir: DirRef, out: DirEntries) => void) | undefined {
  let getdents: Fn | undefined;
  for (const name of L.symbols) {
    try {
      getdents = lib.func(name, 'intptr_t', ['int', 'intptr_t', 'size_t']) as Fn;
      break;
    } catch {
      // try the next name
    }
  }
  if (getdents === undefined) return undefined;
  const linuxLayout = L.ino === 0 && L.reclen === 16 && L.type === 18 && L.name === 19;
  // Made at the first listing (a read or a write lists nothing).
  let conv: DirentConverter | undefined;
  let records: Uint8Array | undefined;
  let recordsAt = 0;
  return (dir, out) => {
    if (records === undefined) {
      conv = linuxLayout ? direntConverter() : undefined;
      records = conv === undefined ? new Uint8Array(RECORDS_BYTES) : conv.bytes.subarray(RECORDS, RECORDS + RECORDS_BYTES);
      recordsAt = Number(koffi.address(records));
    }
    const whole = conv !== undefined && out.addDirents !== undefined ? conv : undefined;
    const fd = openSelf(held(dir), '.');
    if (fd < 0) throw hostError(koffi.errno(), 'openat', dir.path);
    try {
      for (;;) {
        const n = Number(getdents!(fd, recordsAt, RECORDS_BYTES));
        if (n < 0) throw hostError(koffi.errno(), 'getdents64', dir.path);
        if (n === 0) return;
        if (whole !== undefined) {
          const base = out.end!;
          const k = whole.convert(n, out.count!, base);
          if (k >= 0) {
            out.addDirents!(whole.bytes, DIRENTS, k === 0 ? 0 : whole.ends[k - 1]! - base, whole.ends, k);
            continue;
          }
        }
        parseDirents(records, n, L, out);
      }
    } finally {
      closeFd(fd);
    }
  };
}

/** statx's `stx_mode` (u16 at 28), `stx_ino` (u64 at 32), `stx_dev_major`/`_minor` (u32 at 136, 140) as word indexes. */
const STATX_MODE16 = 14;
const STATX_INO32 = 8;
const STATX_DEV32 = 34;
const S_IFMT = fs.constants.S_IFMT;
const S_IFDIR = fs.constants.S_IFDIR;

/**
 * The statx buffer `b` read as words (little-endian host): its mode, and `isDirectoryIn` for
 * statx's layout (the same answer: directory `ino`, as its unsigned 32-bit halves, on device `dev`).
 */
function statxWords(b: Buffer) {
  const u16 = new Uint16Array(b.buffer, b.byteOffset, b.byteLength >> 1);
  const u32 = new Uint32Array(b.buffer, b.byteOffset, b.byteLength >> 2);
  // Files of a run are mostly on one device: its dev_t is built once.
  let major = -1;
  let minor = -1;
  let dev = 0n;
  return {
    u16,
    isDir(d: bigint, inoLo: number, inoHi: number): boolean {
      if ((u16[STATX_MODE16]! & S_IFMT) !== S_IFDIR || u32[STATX_INO32] !== inoLo || u32[STATX_INO32 + 1] !== inoHi) return false;
      const ma = u32[STATX_DEV32]!;
      const mi = u32[STATX_DEV32 + 1]!;
      if (ma !== major || mi !== minor) {
        dev = makedev(ma, mi);
        major = ma;
        minor = mi;
      }
      return dev === d;
    },
  };
}

function bind(koffi: Koffi, lib: ReturnType<Koffi['load']>, P: Platform): HostCalls {
  const f = (decl: string): Fn => lib.func(decl) as Fn;
  // The hot calls take their name and buffer as addresses in `mem` (Scratch); the rest take strings.
  const mem = new Scratch((m) => koffi.address(m), 16 * 1024);
  const openAt = P.variadicOpen
    ? ((v: Fn) => (d: number, n: number, fl: number, m: number) => v(d, n, fl, 'int', m))(f('int openat(int, intptr_t, int, ...)'))
    : f('int openat(int, intptr_t, int, int)');
  const openat = (d: number, name: string, fl: number, m: number): number => openAt(d, mem.name(name), fl, m);
  // Both stat calls are called as (fd, name address, flags, buffer address): statx asks for the
  // basic fields (0x7ff), macOS's fstatat takes (fd, name, buf, flags).
  const statx = P.stat.kind === 'statx' ? f(`int ${P.symbols.stat}(int, intptr_t, int, unsigned int, intptr_t)`) : undefined;
  const statAtRaw: (d: number, n: number, fl: number, b: number) => number = statx !== undefined
    ? (d: number, n: number, fl: number, b: number) => statx(d, n, fl, 0x7ff, b)
    : ((fa: Fn) => (d: number, n: number, fl: number, b: number) => fa(d, n, b, fl))(
      lib.func(P.symbols.stat, 'int', ['int', 'intptr_t', 'intptr_t', 'int']) as Fn);
  /** Stats `name` in `d` into the scratch stat buffer. */
  const statAt = (d: number, name: string, fl: number): number => statAtRaw(d, mem.name(name), fl, mem.statAt);
  const fstatRaw = P.stat.kind === 'statx' ? undefined : lib.func(P.symbols.fstat!, 'int', ['int', 'intptr_t']) as Fn;
  const fstatFd = (fd: number): number => fstatRaw === undefined ? statAt(fd, '', P.AT_EMPTY_PATH!) : fstatRaw(fd, mem.statAt);
  /**
   * A call bound at its first use: a read or a walk never changes times, names or links, and
   * binding one from its prototype costs ~30 us of every start that touches a file. The self-test
   * calls each of them, so the first process on this host setup binds and proves them all.
   */
  const later = (decl: string): Fn => {
    let fn: Fn | undefined;
    return (...args) => (fn ??= f(decl))(...args);
  };
  const utimensat = later('int utimensat(int, const char *, const uint8_t *, int)');
  const futimens = later('int futimens(int, const uint8_t *)');
  const renameat = later('int renameat(int, const char *, int, const char *)');
  const linkat = later('int linkat(int, const char *, int, const char *, int)');
  const symlinkat = later('int symlinkat(const char *, int, const char *)');
  const unlinkAt = later('int unlinkat(int, intptr_t, int)');
  const mkdirAt = later('int mkdirat(int, intptr_t, unsigned int)');
  const readlinkat = later('intptr_t readlinkat(int, const char *, _Out_ uint8_t *, size_t)');
  const closeFd = f('int close(int)');
  // off_t is 64 bits on every target (Linux x64/arm64, macOS). Bound at the first read or write
  // (a walk makes neither).
  let preadFn: Fn | undefined;
  let pwriteFn: Fn | undefined;
  // The guest memory view `readAt`/`writeAt` were last given and its buffer's address. A view's
  // buffer never changes (a grown memory is a new buffer, which the guest's memory gets a new view
  // of), so the view's identity stands for its buffer's: `m.buffer` is a C++ builtin call per chunk
  // in V8's lower tiers (~80 instructions, iospeed.md round 7).
  let ioView: Uint8Array | undefined;
  let ioBase = 0;
  const ioAddress = (m: Uint8Array): number => {
    ioView = m;
    ioBase = Number(koffi.address(m)) - m.byteOffset;
    return ioBase;
  };
  /**
   * A pread or pwrite that failed (`n` < 0): retried on EINTR (as libuv retries Node's), thrown as
   * Node's `fs` throws otherwise. Apart from `readAt`/`writeAt` so that each of those is one small
   * function ending in its hot return (V8 compiles each hot function of a per-chunk path on its own).
   */
  const retry = (fn: Fn, syscall: string, fd: number, m: Uint8Array, ptr: number, len: number, pos: number): number => {
    for (;;) {
      const errno = koffi.errno();
      if (errno !== hostErrno().EINTR) throw hostError(errno, syscall, String(fd));
      const n = Number(fn(fd, (m === ioView ? ioBase : ioAddress(m)) + ptr, len, pos));
      if (n >= 0) return n;
    }
  };
  const readAt = (fd: number, m: Uint8Array, ptr: number, len: number, pos: number): number => {
    const fn = preadFn ??= f('intptr_t pread(int, intptr_t, size_t, int64_t)');
    const n = Number(fn(fd, (m === ioView ? ioBase : ioAddress(m)) + ptr, len, pos));
    if (n < 0) return retry(fn, 'read', fd, m, ptr, len, pos);
    return n;
  };
  const writeAt = (fd: number, m: Uint8Array, ptr: number, len: number, pos: number): number => {
    const fn = pwriteFn ??= f('intptr_t pwrite(int, intptr_t, size_t, int64_t)');
    const n = Number(fn(fd, (m === ioView ? ioBase : ioAddress(m)) + ptr, len, pos));
    if (n < 0) return retry(fn, 'write', fd, m, ptr, len, pos);
    return n;
  };
  const ledger = new FdLedger();
  const listDir = P.dirents === undefined ? undefined : direntLister(koffi, lib, P.dirents, (d, n) => openat(d, n, O_LIST | P.O_CLOEXEC, 0), closeFd);

  const L = P.stat;
  // statx's mode, inode and device read as words of the stat buffer (Linux is little-endian on
  // every target; checked, as the offsets are): the walk's two per-entry reads (`statMode`, `isDirAt`) are then a few
  // loads TurboFan inlines into the walk, not DataView helpers it also compiles on their own
  // (walk2.md round 6). Elsewhere `modeIn`/`isDirectoryIn` read the layout's fields.
  const words = L.kind === 'statx' && L.mode.at === 2 * STATX_MODE16 && L.ino.at === 4 * STATX_INO32 && L.dev.at === 4 * STATX_DEV32
    && new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
    ? statxWords(mem.stat)
    : undefined;
  // putStat's wasm writer for the guest memory it was last given (a thread runs one guest at a time).
  let writerFor: WebAssembly.Memory | undefined;
  let writer: FilestatWriter | undefined;
  const writerOf = (memory: WebAssembly.Memory): FilestatWriter | undefined => {
    if (memory !== writerFor) {
      writerFor = memory;
      writer = L.kind === 'statx' && mem.statMemory !== undefined ? filestatWriter(memory, mem.statMemory) : undefined;
    }
    return writer;
  };
  // statPlain's walk in wasm (plain-stat-wasm.ts): where statx's words are read (Linux) and its
  // flag is Linux's, for the guest memory it was last given, and the folder it was last told.
  const plain = words !== undefined && statx !== undefined && mem.statMemory !== undefined && P.AT_SYMLINK_NOFOLLOW === 0x100;
  let statterFor: WebAssembly.Memory | undefined;
  let statter: PlainStatter | undefined;
  let kept: Parameters<PlainStatter['keep']> = [-1, '', -1, 0n, 0n];
  const statterOf = (memory: WebAssembly.Memory): PlainStatter | undefined => {
    if (memory !== statterFor) {
      statterFor = memory;
      const put = writerOf(memory);
      statter = put === undefined ? undefined : plainStatter(memory, mem.statMemory!, mem.statAt, statx as Statx, put);
      statter?.keep(...kept);
    }
    return statter;
  };
  const timesBuf = Buffer.alloc(2 * P.timespecBytes);
  let linkBuf = Buffer.alloc(4096);

  const check = (r: number, syscall: string, name: string): number => {
    if (r < 0) throw hostError(koffi.errno(), syscall, name);
    return r;
  };
  const stat = (d: number, name: string, flags: number): HostStat => {
    check(statAt(d, name, flags), 'stat', name);
    return decodeStat(mem.stat, L);
  };
  const setSpec = (i: number, t: TimeSpec): void => {
    const at = i * P.timespecBytes;
    if (t === 'now' || t === 'omit') {
      timesBuf.writeBigInt64LE(0n, at);
      timesBuf.writeBigInt64LE(t === 'now' ? P.UTIME_NOW : P.UTIME_OMIT, at + 8);
    } else {
      if (t < 0n || t >= 1n << 63n) throw hostError(hostErrno().EINVAL, 'utimensat', String(t));
      timesBuf.writeBigInt64LE(t / 1_000_000_000n, at);
      timesBuf.writeBigInt64LE(t % 1_000_000_000n, at + 8);
    }
  };
  const times = (atim: TimeSpec, mtim: TimeSpec): Buffer => {
    setSpec(0, atim);
    setSpec(1, mtim);
    return timesBuf;
  };

  return {
    kind: 'native',
    open: (dir: DirRef, name: string, flags: number, mode = 0o666) => {
      const fd = check(openat(held(dir), name, flags | P.O_CLOEXEC, mode), 'openat', name);
      ledger.add(fd);
      return fd;
    },
    close: (fd) => {
      if (!ledger.take(fd)) return fs.closeSync(fd);
      // Like Node: the descriptor is gone even when close reports an error (EINTR, EIO).
      check(closeFd(fd), 'close', String(fd));
    },
    trackIn: (shared) => ledger.attach(new Int32Array(shared)),
    stat: (dir, name, follow) => stat(held(dir), name, follow ? 0 : P.AT_SYMLINK_NOFOLLOW),
    statMode: words !== undefined
      ? (dir, name, follow) => {
        check(statAt(held(dir), name, follow ? 0 : P.AT_SYMLINK_NOFOLLOW), 'stat', name);
        return words.u16[STATX_MODE16]!;
      }
      : (dir, name, follow) => {
        check(statAt(held(dir), name, follow ? 0 : P.AT_SYMLINK_NOFOLLOW), 'stat', name);
        return modeIn(mem.stat, L);
      },
    putStat: (guest, at, F, filetype) => {
      const w = writerOf(guest.memory);
      if (w !== undefined) w(at, filetype);
      else putFilestatFrom(mem.stat, L, guest.view, at, F, filetype);
    },
    ...(plain
      ? {
        statPlain: (startFd: number, guest: { readonly memory: WebAssembly.Memory }, p: number, len: number, out: number, follow: boolean) => {
          const st = guest.memory === statterFor ? statter : statterOf(guest.memory);
          return st !== undefined && st.stat(startFd, p, len, out, follow);
        },
        keepPlain: (...args: Parameters<PlainStatter['keep']>) => {
          kept = args;
          statter?.keep(...args);
        },
      }
      : {}),
    isDirAt: words !== undefined
      ? (dir, name, dev, inoLo, inoHi) => {
        if (dir.fd < 0) return false;
        try {
          if (statAt(dir.fd, name, P.AT_SYMLINK_NOFOLLOW) < 0) return false;
        } catch {
          return false; // a NUL in the name
        }
        return words.isDir(dev, inoLo, inoHi);
      }
      : (dir, name, dev, inoLo, inoHi) => {
      if (dir.fd < 0) return false;
      try {
        return statAt(dir.fd, name, P.AT_SYMLINK_NOFOLLOW) >= 0 && isDirectoryIn(mem.stat, L, dev, inoLo, inoHi);
      } catch {
        return false; // a NUL in the name
      }
    },
    readAt,
    writeAt,
    fstat: (fd) => {
      check(fstatFd(fd), 'fstat', String(fd));
      return decodeStat(mem.stat, L);
    },
    setTimes: (dir, name, follow, atim, mtim) => {
      check(utimensat(held(dir), cname(name), times(atim, mtim), follow ? 0 : P.AT_SYMLINK_NOFOLLOW), 'utimensat', name);
    },
    fsetTimes: (fd, atim, mtim) => {
      check(futimens(fd, times(atim, mtim)), 'futimens', String(fd));
    },
    rename: (from, fromName, to, toName) => {
      check(renameat(held(from), cname(fromName), held(to), cname(toName)), 'renameat', fromName);
    },
    link: (from, fromName, to, toName) => {
      check(linkat(held(from), cname(fromName), held(to), cname(toName), 0), 'linkat', fromName);
    },
    symlink: (target, dir, name) => {
      check(symlinkat(cname(target), held(dir), cname(name)), 'symlinkat', name);
    },
    unlink: (dir, name) => {
      check(unlinkAt(held(dir), mem.name(name), 0), 'unlinkat', name);
    },
    rmdir: (dir, name) => {
      check(unlinkAt(held(dir), mem.name(name), P.AT_REMOVEDIR), 'unlinkat', name);
    },
    mkdir: (dir, name, mode = 0o777) => {
      check(mkdirAt(held(dir), mem.name(name), mode), 'mkdirat', name);
    },
    ...(listDir === undefined ? {} : { listDir }),
    readlink: (dir, name) => {
      for (;;) {
        const n = check(Number(readlinkat(held(dir), cname(name), linkBuf, linkBuf.length)), 'readlinkat', name);
        if (n < linkBuf.length) return Buffer.from(linkBuf.subarray(0, n));
        linkBuf = Buffer.alloc(linkBuf.length * 2);
      }
    },
  };
}
