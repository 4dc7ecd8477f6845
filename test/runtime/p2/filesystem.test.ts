/**
 * The WASI 0.2 host's descriptors called directly (main/runtime/p2/filesystem.ts), on a real
 * folder through the preview1 descriptor table: `metadata-hash-at` right after `stat-at` answers
 * from that stat (the preview1 adapter asks both per stat), but never across another call: a file
 * replaced in between gives the new file's hash.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Filetype, RIGHTS_ALL, RIGHTS_DIRECTORY } from '../../../main/runtime/abi.ts';
import { FdTable } from '../../../main/runtime/fd-table.ts';
import { GuestMemory } from '../../../main/runtime/memory.ts';
import { createP2Imports } from '../../../main/runtime/p2/host.ts';
import type { WasiContext } from '../../../main/runtime/context.ts';
import { removeTempDirs, tempDir } from '../../helpers/temp.ts';

afterAll(removeTempDirs);

interface Descriptor {
  statAt(pf: { symlinkFollow: boolean }, p: string): { size: bigint };
  metadataHashAt(pf: { symlinkFollow: boolean }, p: string): { lower: bigint; upper: bigint };
  renameAt(from: string, to: Descriptor, p: string): void;
  getType(): string;
  openAt(pf: { symlinkFollow: boolean }, p: string, o: object, f: { read?: boolean }): Descriptor;
  stat(): { size: bigint };
  metadataHash(): { lower: bigint; upper: bigint };
  readViaStream(offset: bigint): Disposable & { read(len: bigint): Uint8Array };
  readDirectory(): Disposable;
  readonly fd: number;
  [Symbol.dispose](): void;
}

/** The 0.2 host over one read-write folder (fd 3, preopened as /d); `revoked[0]` revokes its grant. */
function host(dir: string, revoked?: Int32Array): Descriptor {
  const fds = new FdTable(revoked);
  for (let i = 0; i < 3; i++) fds.add({ kind: 'stdio', filetype: Filetype.character_device, stream: i as 0 | 1 | 2, fdflags: 0, rightsBase: 0, rightsInheriting: 0 });
  fds.add({
    kind: 'dir', hostFd: fs.openSync(dir, 'r'), filetype: Filetype.directory, fdflags: 0, readOnly: false,
    rightsBase: RIGHTS_DIRECTORY, rightsInheriting: RIGHTS_ALL, hostPath: dir, preopen: '/d', ask: false, origin: 0,
  });
  const ctx = { mem: new GuestMemory(new WebAssembly.Memory({ initial: 1 })), fds, args: [], env: [] } as unknown as WasiContext;
  const imports = createP2Imports(ctx, () => {});
  const d = (imports['wasi:filesystem/preopens']!.getDirectories as () => [Descriptor, string][])()[0]?.[0];
  if (d === undefined) throw new Error('no preopen');
  return d;
}

const ino = (file: string): bigint => fs.statSync(file, { bigint: true }).ino;

describe('descriptors of the WASI 0.2 host', () => {
  it('metadata-hash-at after stat-at is that file\'s, and the next file\'s once another call came between', () => {
    const dir = tempDir('p2-fs');
    fs.writeFileSync(path.join(dir, 'a'), 'aaa');
    fs.writeFileSync(path.join(dir, 'b'), 'bbbbb');
    const d = host(dir);
    const follow = { symlinkFollow: false };
    expect(d.statAt(follow, 'a').size).toBe(3n);
    expect(d.metadataHashAt(follow, 'a').lower).toBe(ino(path.join(dir, 'a')));
    // stat-at, then b replaces a (a preview1 call in between), then metadata-hash-at: b's inode.
    const bIno = ino(path.join(dir, 'b'));
    expect(d.statAt(follow, 'a').size).toBe(3n);
    d.renameAt('b', d, 'a');
    expect(d.metadataHashAt(follow, 'a').lower).toBe(bIno);
    // Another path is never answered from the last stat.
    fs.writeFileSync(path.join(dir, 'c'), '');
    expect(d.statAt(follow, 'a').size).toBe(5n);
    expect(d.metadataHashAt(follow, 'c').lower).toBe(ino(path.join(dir, 'c')));
    expect(d.getType()).toBe('directory');
  });

  // secreview3 hole 3 and its class: a memo (the last stat, the type) answered after revocation.
  it('get-type and metadata-hash(-at) right after a stat are access once the grant is revoked', () => {
    const dir = tempDir('p2-fs');
    fs.writeFileSync(path.join(dir, 'a'), 'aaa');
    const revoked = new Int32Array(new SharedArrayBuffer(4));
    const d = host(dir, revoked);
    const follow = { symlinkFollow: false };
    const f = d.openAt(follow, 'a', {}, { read: true });
    expect([d.getType(), f.getType(), f.getType()]).toEqual(['directory', 'regular-file', 'regular-file']);
    expect(d.statAt(follow, 'a').size).toBe(3n);
    Atomics.store(revoked, 0, 1);
    const code = (g: () => unknown): unknown => {
      try {
        return g();
      } catch (err) {
        return err;
      }
    };
    expect(code(() => d.metadataHashAt(follow, 'a'))).toBe('access');
    Atomics.store(revoked, 0, 0);
    expect(f.stat().size).toBe(3n);
    Atomics.store(revoked, 0, 1);
    expect(code(() => f.metadataHash())).toBe('access');
    expect(code(() => f.getType())).toBe('access');
    expect(code(() => d.getType())).toBe('access');
  });

  // secreview3 hole 2: a stream or listing keeps its descriptor's fd (and number) until it is dropped.
  it('a descriptor\'s fd closes once it and its last stream or listing are dropped, and only once', () => {
    const dir = tempDir('p2-fs');
    fs.writeFileSync(path.join(dir, 'a'), 'aaa');
    fs.writeFileSync(path.join(dir, 'b'), 'bbb');
    const d = host(dir);
    const follow = { symlinkFollow: false };
    const a = d.openAt(follow, 'a', {}, { read: true });
    const fd = a.fd;
    const r1 = a.readViaStream(0n);
    const r2 = a.readViaStream(1n);
    a[Symbol.dispose]();
    a[Symbol.dispose](); // a second drop closes nothing more
    const b = d.openAt(follow, 'b', {}, { read: true });
    expect(b.fd).not.toBe(fd);
    r1[Symbol.dispose]();
    expect(Buffer.from(r2.read(8n)).toString()).toBe('aa');
    r2[Symbol.dispose]();
    r2[Symbol.dispose]();
    // a's number is free now, b's still taken.
    const c = d.openAt(follow, 'a', {}, { read: true });
    expect(c.fd).toBe(fd);
    expect(d.openAt(follow, 'a', {}, { read: true }).fd).not.toBe(b.fd);
    // A listing holds its folder's fd the same way; the preopen is never closed.
    const sub = d.openAt(follow, '.', { directory: true }, { read: true });
    const list = sub.readDirectory();
    sub[Symbol.dispose]();
    expect(d.openAt(follow, 'a', {}, { read: true }).fd).not.toBe(sub.fd);
    list[Symbol.dispose]();
    expect(d.openAt(follow, 'a', {}, { read: true }).fd).toBe(sub.fd);
    const top = d.readDirectory();
    d[Symbol.dispose]();
    top[Symbol.dispose]();
    expect(d.getType()).toBe('directory');
  });

  it('paths reach preview1 as their UTF-8 (a lone surrogate as U+FFFD), a second path beside the first, and a long one is name-too-long', () => {
    const dir = tempDir('p2-fs');
    fs.writeFileSync(path.join(dir, 'a'), 'aaa');
    fs.writeFileSync(path.join(dir, 'é—文件'), 'x');
    fs.writeFileSync(path.join(dir, 'x\ufffd'), 'xx');
    const d = host(dir);
    const follow = { symlinkFollow: false };
    expect(d.statAt(follow, 'é—文件').size).toBe(1n);
    expect(d.statAt(follow, 'x\ud800').size).toBe(2n);
    // A shorter path after a longer one: only its own bytes count.
    expect(d.statAt(follow, 'a').size).toBe(3n);
    d.renameAt('é—文件', d, 'b');
    expect(fs.readFileSync(path.join(dir, 'b'), 'utf8')).toBe('x');
    const code = (f: () => unknown): unknown => {
      try {
        f();
      } catch (err) {
        return err;
      }
      return 'no error';
    };
    // 3 bytes a char: measured, fits the scratch (preview1 refuses it); then one past the scratch.
    expect(code(() => d.statAt(follow, '文'.repeat(20000)))).toBe('name-too-long');
    expect(code(() => d.statAt(follow, 'é'.repeat(40000)))).toBe('name-too-long');
    expect(d.statAt(follow, 'a').size).toBe(3n);
  });
});
