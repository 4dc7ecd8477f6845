/**
 * `wasi:filesystem` (types, preopens) for the WASI 0.2 host, made of preview1 calls on the run's
 * descriptor table (scratch.ts): the same resolver walks every path, the same grants and
 * read-only rules decide. A read-only grant is a preopen with `read` only; read-write is `read` +
 * `mutate-directory`. `open-at` asking a read-only base to write, create, truncate or mutate fails
 * `read-only`; an escape (absolute path, `..` above the preopen, a symlink out) `not-permitted`.
 */
import { Errno, Fstflags, Lookupflags, Oflags, RIGHTS_ALL, RIGHTS_DIR_MUTATE, RIGHTS_FILE_MUTATE, Rights as R } from '../abi.ts';
import { InputStream, OutputStream } from './io.ts';
import { Resource, adoptStandIns } from './lower.ts';
import { lowerDescriptor } from './filesystem-lower.ts';
import { DATA, P1Error, type Scratch } from './scratch.ts';

/** preview1 errno → `wasi:filesystem/types.error-code` (notcapable: see `codeOf`). */
const CODES: Readonly<Record<number, string>> = {
  [Errno.acces]: 'access', [Errno.again]: 'would-block', [Errno.already]: 'already', [Errno.badf]: 'bad-descriptor',
  [Errno.busy]: 'busy', [Errno.deadlk]: 'deadlock', [Errno.dquot]: 'quota', [Errno.exist]: 'exist',
  [Errno.fbig]: 'file-too-large', [Errno.ilseq]: 'illegal-byte-sequence', [Errno.inprogress]: 'in-progress',
  [Errno.intr]: 'interrupted', [Errno.inval]: 'invalid', [Errno.io]: 'io', [Errno.isdir]: 'is-directory',
  [Errno.loop]: 'loop', [Errno.mlink]: 'too-many-links', [Errno.msgsize]: 'message-size',
  [Errno.nametoolong]: 'name-too-long', [Errno.nodev]: 'no-device', [Errno.noent]: 'no-entry', [Errno.nolck]: 'no-lock',
  [Errno.nomem]: 'insufficient-memory', [Errno.nospc]: 'insufficient-space', [Errno.notdir]: 'not-directory',
  [Errno.notempty]: 'not-empty', [Errno.notrecoverable]: 'not-recoverable', [Errno.notsup]: 'unsupported',
  [Errno.nosys]: 'unsupported', [Errno.notty]: 'no-tty', [Errno.nxio]: 'no-such-device', [Errno.overflow]: 'overflow',
  [Errno.perm]: 'not-permitted', [Errno.pipe]: 'pipe', [Errno.rofs]: 'read-only', [Errno.spipe]: 'invalid-seek',
  [Errno.txtbsy]: 'text-file-busy', [Errno.xdev]: 'cross-device',
};

/** The error code of a failed call; `notcapable` is `read-only` when the call would change something. */
function codeOf(err: unknown, mutation: boolean): string {
  if (!(err instanceof P1Error)) throw err;
  if (err.errno === Errno.notcapable) return mutation ? 'read-only' : 'not-permitted';
  return CODES[err.errno] ?? 'io';
}

/** Runs `f`, throwing a failure as its error code (how the generated bindings take a result's error). */
function attempt<T>(mutation: boolean, f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw codeOf(err, mutation);
  }
}

const TYPES = ['unknown', 'block-device', 'character-device', 'directory', 'regular-file', 'socket', 'socket', 'symbolic-link'];

interface Flags { read?: boolean; write?: boolean; mutateDirectory?: boolean; fileIntegritySync?: boolean; dataIntegritySync?: boolean; requestedWriteSync?: boolean }
type NewTimestamp = { tag: 'no-change' } | { tag: 'now' } | { tag: 'timestamp'; val: { seconds: bigint; nanoseconds: number } };

const READ = R.fd_read | R.fd_seek | R.fd_tell | R.fd_advise | R.fd_filestat_get | R.poll_fd_readwrite | R.fd_readdir |
  R.path_open | R.path_filestat_get | R.path_readlink | R.fd_fdstat_set_flags;
const WRITE = RIGHTS_FILE_MUTATE;

/** Descriptor rights for 0.2 descriptor flags. */
function rightsFor(f: Flags): bigint {
  let r = READ;
  if (f.write) r |= WRITE;
  if (f.mutateDirectory) r |= RIGHTS_DIR_MUTATE | R.fd_filestat_set_times;
  return BigInt(r & RIGHTS_ALL);
}

const follow = (pf: { symlinkFollow?: boolean } | undefined): number => (pf?.symlinkFollow ? Lookupflags.symlink_follow : 0);

function times(t: NewTimestamp, set: number, now: number): [bigint, number] {
  if (t.tag === 'now') return [0n, now];
  if (t.tag === 'timestamp') return [t.val.seconds * 1_000_000_000n + BigInt(t.val.nanoseconds), set];
  return [0n, 0];
}

/** The `wasi:filesystem/*` interfaces over the run's descriptor table. */
export function filesystemInterfaces(s: Scratch): Record<string, Record<string, unknown>> {
  const stat = (): { type: string; linkCount: bigint; size: bigint; dev: bigint; ino: bigint; a: bigint; m: bigint; c: bigint } => {
    const o = s.out();
    const m = s.m;
    return { dev: m.u64At(o), ino: m.u64At(o + 8), type: TYPES[m.u8At(o + 16)] ?? 'unknown', linkCount: m.u64At(o + 24), size: m.u64At(o + 32), a: m.u64At(o + 40), m: m.u64At(o + 48), c: m.u64At(o + 56) };
  };
  const ts = (ns: bigint) => ({ seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) });
  const descriptorStat = (st: ReturnType<typeof stat>) => ({
    type: st.type, linkCount: st.linkCount, size: st.size,
    dataAccessTimestamp: ts(st.a), dataModificationTimestamp: ts(st.m), statusChangeTimestamp: ts(st.c),
  });
  const hash = (st: ReturnType<typeof stat>) => ({ lower: st.ino, upper: st.dev });
  /**
   * The last stat a descriptor made, while it is the host's latest preview1 call: the preview1
   * adapter asks `metadata-hash(-at)` right after `stat(-at)` on the same file (for st_ino), and
   * answering from the same stat saves a second resolve and system call (and can only be more
   * consistent than two). Any preview1 call in between makes it stale.
   */
  let last: { calls: number; fd: number; pf: number; path: string | undefined; st: ReturnType<typeof stat> } | undefined;
  const remember = (fd: number, pf: number, path: string | undefined, st: ReturnType<typeof stat>): ReturnType<typeof stat> => {
    last = { calls: s.calls, fd, pf, path, st };
    return st;
  };
  const remembered = (fd: number, pf: number, path: string | undefined): ReturnType<typeof stat> | undefined => {
    const l = last;
    last = undefined;
    if (l === undefined || l.calls !== s.calls || l.fd !== fd || l.pf !== pf || l.path !== path) return undefined;
    // Still reachable? A revocation or a taken-back answer is no preview1 call (secreview3 hole 3):
    // fd_fdstat_get makes no system call (the table's recorded type) but goes through the table's
    // liveness check, and throws what a stat would (`access`).
    s.call('fd_fdstat_get', fd, s.out());
    return l.st;
  };

  class DirectoryEntryStream extends Resource {
    private readonly fd: number;
    private cookie = 0n;
    private queue: { type: string; name: string }[] = [];
    private done = false;
    constructor(fd: number) {
      super();
      this.fd = fd;
    }

    readDirectoryEntry(): { type: string; name: string } | undefined {
      while (this.queue.length === 0 && !this.done) this.fill();
      return this.queue.shift();
    }

    private fill(): void {
      const size = 64 * 1024;
      attempt(false, () => s.call('fd_readdir', this.fd, DATA, size, this.cookie, s.out()));
      const used = s.m.u32At(s.out());
      let p = DATA;
      let whole = 0;
      while (p + 24 <= DATA + used) {
        const namlen = s.m.u32At(p + 16);
        if (p + 24 + namlen > DATA + used) break; // cut off: read again from this entry
        const name = Buffer.from(s.m.bytes(p + 24, namlen)).toString('utf8');
        this.cookie = s.m.u64At(p);
        if (name !== '.' && name !== '..') this.queue.push({ type: TYPES[s.m.u8At(p + 20)] ?? 'unknown', name });
        p += 24 + namlen;
        whole++;
      }
      if (used < size) this.done = true;
      else if (whole === 0) throw 'name-too-long';
    }

  }

  class Descriptor extends Resource {
    readonly fd: number;
    readonly flags: Flags;
    /** A preopen: dropping it never closes the run's descriptor (get-directories may be asked again). */
    private readonly preopen: boolean;
    /**
     * Streams and listings made from this descriptor that the guest has not dropped: each uses
     * `fd`, so the fd stays open (its number taken) until the last of them and the descriptor are
     * dropped. Otherwise the next open would reuse the number and a kept stream would reach that
     * file (secreview3 hole 2); Wasmtime's streams likewise hold the open file.
     */
    private children = 0;
    /** The guest dropped this descriptor (its fd is closed once `children` is 0). */
    private dropped = false;
    constructor(fd: number, flags: Flags, preopen = false) {
      super();
      this.fd = fd;
      this.flags = flags;
      this.preopen = preopen;
    }

    override [Symbol.dispose](): void {
      super[Symbol.dispose]();
      if (this.dropped) return;
      this.dropped = true;
      if (this.children === 0) this.close();
    }

    /** `r`, counted as a child: its drop lets the fd close (see `children`). */
    private child<T extends Resource>(r: T): T {
      this.children++;
      r.onDrop = () => {
        if (--this.children === 0 && this.dropped) this.close();
      };
      return r;
    }

    private close(): void {
      if (this.preopen) return;
      try {
        s.call('fd_close', this.fd);
      } catch {
        // already closed
      }
    }

    private fstat() {
      s.call('fd_filestat_get', this.fd, s.out());
      return remember(this.fd, 0, undefined, stat());
    }

    private pstat(pf: { symlinkFollow?: boolean }, path: string) {
      const [p, n] = s.path(path);
      s.call('path_filestat_get', this.fd, follow(pf), p, n, s.out());
      return remember(this.fd, follow(pf), path, stat());
    }

    readViaStream(offset: bigint): InputStream {
      let at = offset;
      if (!this.flags.read) throw 'bad-descriptor';
      return this.child(new InputStream((len) => {
        s.call('fd_pread', this.fd, s.iovec(len), 1, at, s.out());
        const n = s.m.u32At(s.out());
        at += BigInt(n);
        return s.view(n);
      }));
    }

    private sink(at: () => bigint, moved: (n: number) => void): OutputStream {
      if (!this.flags.write) throw 'bad-descriptor';
      return this.child(new OutputStream((src, from, len) => {
        const bytes = src.subarray(from, from + len);
        for (let off = 0; off < bytes.length;) {
          s.m.write(DATA, bytes.subarray(off));
          s.call('fd_pwrite', this.fd, s.iovec(bytes.length - off), 1, at(), s.out());
          const n = s.m.u32At(s.out());
          if (n === 0) throw new P1Error(Errno.io, 'fd_pwrite wrote nothing');
          off += n;
          moved(n);
        }
      }));
    }

    writeViaStream(offset: bigint): OutputStream {
      let at = offset;
      return this.sink(() => at, (n) => { at += BigInt(n); });
    }

    appendViaStream(): OutputStream {
      return this.sink(() => this.fstat().size, () => undefined);
    }

    advise(): void {}

    syncData(): void {
      attempt(false, () => s.call('fd_datasync', this.fd));
    }

    sync(): void {
      attempt(false, () => s.call('fd_sync', this.fd));
    }

    getFlags(): Flags {
      return this.flags;
    }

    getType(): string {
      // The type the descriptor table recorded at open (no system call): fd_fdstat_get every time,
      // as the table's liveness check (a revoked grant or a taken-back answer is `access`, as any
      // other call; secreview3 hole 3's class), though an open descriptor's file never changes type.
      return attempt(false, () => {
        s.call('fd_fdstat_get', this.fd, s.out());
        return TYPES[s.m.u8At(s.out())] ?? 'unknown';
      });
    }

    setSize(size: bigint): void {
      attempt(true, () => s.call('fd_filestat_set_size', this.fd, size));
    }

    setTimes(a: NewTimestamp, m: NewTimestamp): void {
      const [at, af] = times(a, Fstflags.atim, Fstflags.atim_now);
      const [mt, mf] = times(m, Fstflags.mtim, Fstflags.mtim_now);
      attempt(true, () => s.call('fd_filestat_set_times', this.fd, at, mt, af | mf));
    }

    read(len: bigint, offset: bigint): [Uint8Array, boolean] {
      if (!this.flags.read) throw 'bad-descriptor';
      const want = Number(len > 1048576n ? 1048576n : len);
      return attempt(false, () => {
        s.call('fd_pread', this.fd, s.iovec(want), 1, offset, s.out());
        const n = s.m.u32At(s.out());
        return [s.data(n), n < want || want === 0 ? n === 0 || offset + BigInt(n) >= this.fstat().size : false];
      });
    }

    write(buf: Uint8Array, offset: bigint): bigint {
      if (!this.flags.write) throw 'bad-descriptor';
      const n = Math.min(buf.length, 1048576);
      return attempt(true, () => {
        s.m.write(DATA, buf.subarray(0, n));
        s.call('fd_pwrite', this.fd, s.iovec(n), 1, offset, s.out());
        return BigInt(s.m.u32At(s.out()));
      });
    }

    readDirectory(): DirectoryEntryStream {
      return this.child(new DirectoryEntryStream(this.fd));
    }

    stat() {
      return attempt(false, () => descriptorStat(this.fstat()));
    }

    statAt(pf: { symlinkFollow?: boolean }, path: string) {
      return attempt(false, () => descriptorStat(this.pstat(pf, path)));
    }

    setTimesAt(pf: { symlinkFollow?: boolean }, path: string, a: NewTimestamp, m: NewTimestamp): void {
      const [at, af] = times(a, Fstflags.atim, Fstflags.atim_now);
      const [mt, mf] = times(m, Fstflags.mtim, Fstflags.mtim_now);
      attempt(true, () => {
        const [p, n] = s.path(path);
        s.call('path_filestat_set_times', this.fd, follow(pf), p, n, at, mt, af | mf);
      });
    }

    private mutate(): void {
      if (!this.flags.mutateDirectory) throw 'read-only';
    }

    createDirectoryAt(path: string): void {
      this.mutate();
      attempt(true, () => s.call('path_create_directory', this.fd, ...s.path(path)));
    }

    linkAt(pf: { symlinkFollow?: boolean }, oldPath: string, to: Descriptor, newPath: string): void {
      to.mutate();
      attempt(true, () => s.call('path_link', this.fd, follow(pf), ...s.path(oldPath), to.fd, ...s.path2(newPath)));
    }

    readlinkAt(path: string): string {
      return attempt(false, () => {
        const [p, n] = s.path(path);
        s.call('path_readlink', this.fd, p, n, DATA, 65536, s.out());
        return Buffer.from(s.data(s.m.u32At(s.out()))).toString('utf8');
      });
    }

    removeDirectoryAt(path: string): void {
      this.mutate();
      attempt(true, () => s.call('path_remove_directory', this.fd, ...s.path(path)));
    }

    renameAt(oldPath: string, to: Descriptor, newPath: string): void {
      this.mutate();
      to.mutate();
      attempt(true, () => s.call('path_rename', this.fd, ...s.path(oldPath), to.fd, ...s.path2(newPath)));
    }

    symlinkAt(oldPath: string, newPath: string): void {
      this.mutate();
      attempt(true, () => s.call('path_symlink', ...s.path2(oldPath), this.fd, ...s.path(newPath)));
    }

    unlinkFileAt(path: string): void {
      this.mutate();
      attempt(true, () => s.call('path_unlink_file', this.fd, ...s.path(path)));
    }

    openAt(pf: { symlinkFollow?: boolean }, path: string, o: { create?: boolean; directory?: boolean; exclusive?: boolean; truncate?: boolean }, f: Flags): Descriptor {
      const changes = Boolean(o.create || o.truncate || f.write || f.mutateDirectory);
      // A read-only base hands out nothing writable (wasmtime's DirPerms rule), before the OS is asked.
      if (changes && !this.flags.mutateDirectory) throw 'read-only';
      const oflags = (o.create ? Oflags.creat : 0) | (o.directory ? Oflags.directory : 0) | (o.exclusive ? Oflags.excl : 0) | (o.truncate ? Oflags.trunc : 0);
      // What is opened may change entries below it exactly when its base may (wasmtime's DirPerms
      // are inherited the same way); reading and writing a file follow the flags asked for.
      const flags: Flags = { read: f.read ?? false, write: f.write ?? false, mutateDirectory: this.flags.mutateDirectory ?? false };
      return attempt(changes, () => {
        const [p, n] = s.path(path);
        // Below a folder that may change, files may be written; below a read-only one, nothing.
        const below = rightsFor({ write: flags.mutateDirectory, mutateDirectory: flags.mutateDirectory });
        s.call('path_open', this.fd, follow(pf), p, n, oflags, rightsFor(flags), below, 0, s.out());
        return new Descriptor(s.m.u32At(s.out()), flags);
      });
    }

    isSameObject(other: Descriptor): boolean {
      const a = attempt(false, () => this.fstat());
      const b = attempt(false, () => other.fstat());
      return a.dev === b.dev && a.ino === b.ino;
    }

    metadataHash() {
      return attempt(false, () => hash(remembered(this.fd, 0, undefined) ?? this.fstat()));
    }

    metadataHashAt(pf: { symlinkFollow?: boolean }, path: string) {
      return attempt(false, () => hash(remembered(this.fd, follow(pf), path) ?? this.pstat(pf, path)));
    }
  }

  /** The run's preopened folders (preview1's prestats, from fd 3 on), with the flags their grants give. */
  const getDirectories = (): [Descriptor, string][] => {
    const out: [Descriptor, string][] = [];
    for (let fd = 3; ; fd++) {
      try {
        s.call('fd_prestat_get', fd, s.out());
      } catch (err) {
        if (err instanceof P1Error && err.errno === Errno.badf) return out;
        throw err;
      }
      const len = s.m.u32At(s.out() + 4);
      s.call('fd_prestat_dir_name', fd, DATA, len);
      const name = Buffer.from(s.data(len)).toString('utf8');
      s.call('fd_fdstat_get', fd, s.out());
      const rights = Number(s.m.u64At(s.out() + 8) & 0x3fffffffn);
      out.push([new Descriptor(fd, { read: true, mutateDirectory: (rights & R.path_create_file) !== 0 }, true), name]);
    }
  };

  lowerDescriptor(Descriptor);
  adoptStandIns(Descriptor, ['fstat', 'pstat', 'sink', 'mutate', 'child', 'close']);
  adoptStandIns(DirectoryEntryStream, ['fill']);
  return {
    'wasi:filesystem/types': { Descriptor, DirectoryEntryStream, filesystemErrorCode: () => undefined },
    'wasi:filesystem/preopens': { getDirectories },
  };
}
