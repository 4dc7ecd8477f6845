/**
 * `fd_readdir` over listings held as bytes (dir-listing.ts), with either host-calls implementation:
 * an empty folder, a listing longer than one `getdents64` read (64 KiB), names of 255 bytes (ASCII
 * and UTF-8), any cookie with a buffer that cuts an entry, a listing reused by the next folder, and
 * a host name that is not UTF-8 (native: listed as its decoding, each bad byte U+FFFD, with the
 * kind the host gave; portable: left out, as Node's listing cannot stat it back).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Filetype, Layout, Rights } from '../../../main/runtime/abi.ts';
import { type HostFn, type HostWith, hostWith } from '../../helpers/host-with.ts';

const DE = Layout.dirent;
const BUF = 1024;
const USED = 16;

interface Entry { next: bigint; ino: bigint; type: number; name: Buffer }

/** The dirents in `b`, whole ones only. */
function parse(b: Buffer): Entry[] {
  const out: Entry[] = [];
  for (let at = 0; at + DE.size <= b.length;) {
    const namlen = b.readUInt32LE(at + DE.d_namlen);
    if (at + DE.size + namlen > b.length) break;
    out.push({ next: b.readBigUInt64LE(at + DE.d_next), ino: b.readBigUInt64LE(at + DE.d_ino), type: b.readUInt32LE(at + DE.d_type), name: b.subarray(at + DE.size, at + DE.size + namlen) });
    at += DE.size + namlen;
  }
  return out;
}

describe.runIf(process.platform === 'linux').each(['native', 'portable'])('fd_readdir with the %s host calls', (kind) => {
  let guest: HostWith;
  let wasi: Record<string, HostFn>;
  let root: string;
  beforeAll(async () => {
    guest = await hostWith(kind as 'native' | 'portable', 'fd_readdir');
    ({ wasi } = guest);
    guest.mem.memory.grow(7); // 512 KiB: a whole long listing in one call
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-listing-'));
  });
  afterAll(() => {
    guest.restore();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const open = (dir: string): number => guest.fds.add({
    kind: 'dir', hostFd: fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY), filetype: Filetype.directory, fdflags: 0, readOnly: true,
    rightsBase: Rights.fd_readdir, rightsInheriting: 0, hostPath: dir, origin: 0, ask: false,
  });
  /** The bytes one call gives at `cookie` into a buffer of `len`. */
  const read = (fd: number, cookie: bigint, len: number): Buffer => {
    guest.mem.check(BUF, len + 8); // refreshes the views over the grown memory
    guest.mem.u8.fill(0xee, BUF, BUF + len + 8);
    expect(wasi.fd_readdir!(fd, BUF, len, cookie, USED)).toBe(0);
    const used = guest.mem.view.getUint32(USED, true);
    expect(used).toBeLessThanOrEqual(len);
    expect(guest.mem.u8[BUF + used]).toBe(0xee); // nothing past what it says it used
    return Buffer.from(guest.mem.u8.subarray(BUF, BUF + used));
  };
  /** What the spec asks for `dir`'s entries as listed (order is the host's), checked against lstat. */
  const check = (dir: string, entries: Entry[], want: string[]): void => {
    expect(entries.map((e) => e.next)).toEqual(entries.map((_, i) => BigInt(i + 1)));
    expect(entries.slice(0, 2).map((e) => e.name.toString())).toEqual(['.', '..']);
    expect(entries[0]!.ino).toBe(fs.statSync(dir, { bigint: true }).ino);
    const rest = entries.slice(2);
    expect(rest.map((e) => e.name.toString()).sort()).toEqual([...want].sort());
    for (const e of rest) {
      const st = fs.lstatSync(path.join(dir, e.name.toString()), { bigint: true });
      expect(e.ino).toBe(st.ino);
      expect(e.type).toBe(st.isDirectory() ? Filetype.directory : Filetype.regular_file);
    }
  };

  it('an empty folder is "." and ".." only', () => {
    const dir = fs.mkdtempSync(path.join(root, 'empty-'));
    const fd = open(dir);
    const all = read(fd, 0n, 4096);
    expect(all.length).toBe(2 * DE.size + 3);
    check(dir, parse(all), []);
    expect(read(fd, 2n, 4096).length).toBe(0);
    expect(read(fd, 3n, 4096).length).toBe(0);
    guest.fds.close(fd);
  });

  it('a listing longer than one getdents64 read, names of 255 bytes: every cookie and cut gives the same bytes', () => {
    const dir = fs.mkdtempSync(path.join(root, 'long-'));
    const want: string[] = [];
    for (let i = 0; i < 300; i++) want.push(`${String(i).padStart(3, '0')}${'n'.repeat(252)}`); // 255 bytes each
    want.push(`${'é'.repeat(127)}x`, `${'日'.repeat(85)}`); // 255 bytes of UTF-8
    want.push('sub', 'a');
    for (const n of want) {
      expect(Buffer.byteLength(n) <= 255).toBe(true);
      if (n === 'sub') fs.mkdirSync(path.join(dir, n));
      else fs.writeFileSync(path.join(dir, n), '');
    }
    const fd = open(dir);
    const all = read(fd, 0n, 400_000);
    expect(all.length).toBeGreaterThan(64 * 1024);
    const entries = parse(all);
    check(dir, entries, want);
    expect(entries.reduce((n, e) => n + DE.size + e.name.length, 0)).toBe(all.length);
    // Where each entry starts in the whole stream: a call at its cookie is the stream from there.
    const starts: number[] = [];
    for (let i = 0, at = 0; i <= entries.length; at += i < entries.length ? DE.size + entries[i]!.name.length : 0, i++) starts.push(at);
    for (const cookie of [1, 2, 3, 150, entries.length - 2, entries.length - 1]) {
      for (const len of [0, 1, DE.size - 1, DE.size, DE.size + 1, DE.size + 254, DE.size + 255, DE.size + 256, 4096, 70_000]) {
        expect(read(fd, BigInt(cookie), len)).toEqual(all.subarray(starts[cookie]!, starts[cookie]! + len));
      }
    }
    expect(read(fd, BigInt(entries.length), 4096).length).toBe(0);
    expect(read(fd, 1n << 63n, 4096).length).toBe(0);
    guest.fds.close(fd);
  });

  it('each folder gets its own listing: two paged in turn, one listed after another was closed, one listed again', () => {
    const a = fs.mkdtempSync(path.join(root, 'a-'));
    const b = fs.mkdtempSync(path.join(root, 'b-'));
    for (let i = 0; i < 50; i++) fs.writeFileSync(path.join(a, `a${i}`), '');
    for (let i = 0; i < 70; i++) fs.writeFileSync(path.join(b, `bb${i}`), '');
    const fa = open(a);
    const fb = open(b);
    const wholeA = read(fa, 0n, 100_000);
    const wholeB = read(fb, 0n, 100_000);
    expect(read(fa, 5n, 100_000)).toEqual(Buffer.from(wholeA.subarray(parse(wholeA).slice(0, 5).reduce((n, e) => n + DE.size + e.name.length, 0))));
    check(a, parse(wholeA), Array.from({ length: 50 }, (_, i) => `a${i}`));
    check(b, parse(wholeB), Array.from({ length: 70 }, (_, i) => `bb${i}`));
    guest.fds.close(fb);
    // b's listing is free now: c is listed (perhaps into it) while a is still paged.
    const c = fs.mkdtempSync(path.join(root, 'c-'));
    fs.mkdirSync(path.join(c, 'only'));
    const fc = open(c);
    check(c, parse(read(fc, 0n, 100_000)), ['only']);
    expect(read(fa, 0n, 100_000).length).toBe(wholeA.length);
    expect(read(fa, 2n, 100_000)).toEqual(wholeA.subarray(2 * DE.size + 3));
    // Listed again at cookie 0: what is there now.
    fs.writeFileSync(path.join(c, 'new'), '');
    check(c, parse(read(fc, 0n, 100_000)), ['only', 'new']);
    guest.fds.close(fa);
    guest.fds.close(fc);
  });

  it('an entry listed with an unknown kind (no d_type) is stat\'ed; one gone by then stays unknown', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'kinds-'));
    fs.mkdirSync(path.join(dir, 'd'));
    fs.writeFileSync(path.join(dir, 'f'), '');
    const { hostCalls } = await import('../../../main/runtime/host-calls/index.ts');
    const saved = Object.getOwnPropertyDescriptor(hostCalls, 'listDir')!;
    const ino = fs.statSync(path.join(dir, 'f')).ino;
    // A host listing without d_type: every name unknown, and one that is gone before it is stat'ed.
    Object.defineProperty(hostCalls, 'listDir', {
      configurable: true, enumerable: true,
      value: (_dir: unknown, out: import('../../../main/runtime/host-calls/types.ts').DirEntries) => {
        for (const name of ['d', 'f', 'gone']) out.addBytes(Buffer.from(name), 0, name.length, 'unknown', ino, 0);
      },
    });
    try {
      const fd = open(dir);
      const entries = parse(read(fd, 0n, 4096)).slice(2);
      expect(entries.map((e) => [e.name.toString(), e.type, e.ino])).toEqual([
        ['d', Filetype.directory, BigInt(ino)], ['f', Filetype.regular_file, BigInt(ino)], ['gone', Filetype.unknown, BigInt(ino)],
      ]);
      guest.fds.close(fd);
    } finally {
      Object.defineProperty(hostCalls, 'listDir', saved);
    }
  });

  it('a host name that is not UTF-8', () => {
    const dir = fs.mkdtempSync(path.join(root, 'bytes-'));
    fs.writeFileSync(Buffer.concat([Buffer.from(`${dir}/f`), Buffer.from([0xff, 0xc3]), Buffer.from('g')]), '');
    fs.writeFileSync(path.join(dir, 'ok'), '');
    const fd = open(dir);
    const entries = parse(read(fd, 0n, 4096)).slice(2);
    const names = entries.map((e) => e.name.toString('hex')).sort();
    if (kind === 'native') {
      // Each bad sequence is U+FFFD (EF BF BD), as Buffer's decoder reads it; its kind is the host's.
      expect(names).toEqual([Buffer.from('f\ufffd\ufffdg').toString('hex'), Buffer.from('ok').toString('hex')].sort());
      expect(entries.map((e) => e.type)).toEqual([Filetype.regular_file, Filetype.regular_file]);
    } else {
      expect(names).toEqual([Buffer.from('ok').toString('hex')]);
    }
    guest.fds.close(fd);
  });
});
