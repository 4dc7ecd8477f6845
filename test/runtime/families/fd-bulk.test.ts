/**
 * One-buffer file reads and writes (main/runtime/families/fd.ts `readOne`/`writeOne`) with either
 * host-calls implementation: the native one moves the bytes with the C library's `pread`/`pwrite`
 * at the guest memory's address (host-calls/native.ts `readAt`/`writeAt`), the portable one with
 * Node's `fs`. Both give the same bytes and counts, at offsets past 4 GiB too, into a memory that
 * grew between calls, and the same errors (a descriptor the host no longer has, one opened for
 * reading only).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Errno, Filetype, RIGHTS_ALL } from '../../../main/runtime/abi.ts';
import { type HostFn, type HostWith, hostWith } from '../../helpers/host-with.ts';

type Fn = HostFn;

describe.runIf(process.platform === 'linux' || process.platform === 'darwin').each(['native', 'portable'])('file reads and writes with the %s host calls', (kind) => {
  let dir: string;
  let wasi: Record<string, Fn>;
  let mem: import('../../../main/runtime/memory.ts').GuestMemory;
  let fds: import('../../../main/runtime/fd-table.ts').FdTable;
  let hostKind: string;
  let file: string;

  /** A guest descriptor for `file` opened with Node's `flags`, at offset `position`. */
  const open = (flags: string, position = 0): number =>
    fds.add({
      kind: 'file', hostFd: fs.openSync(file, flags), filetype: Filetype.regular_file, rightsBase: RIGHTS_ALL, rightsInheriting: 0,
      fdflags: 0, position, readOnly: false, hostPath: file, origin: 0, ask: false,
    });
  /** fd_read or fd_write of one iovec (at 0) of `len` bytes at `ptr`; [errno, count]. */
  const io = (call: 'fd_read' | 'fd_write', fd: number, ptr: number, len: number): [number, number] => {
    mem.setU32(0, ptr);
    mem.setU32(4, len);
    mem.setU32(8, 0xdead);
    return [wasi[call]!(fd, 0, 1, 8), mem.u32At(8)];
  };

  let guest: HostWith;
  beforeAll(async () => {
    guest = await hostWith(kind as 'native' | 'portable', 'fd_basic');
    ({ wasi, mem, fds, hostKind } = guest);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-fd-bulk-'));
  });
  beforeEach(() => {
    file = path.join(dir, `f${Math.random()}`);
    fs.writeFileSync(file, 'hello world');
  });
  afterAll(() => {
    guest.restore();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('uses the implementation it was asked for', () => {
    expect(hostKind).toBe(kind);
  });

  it('writes and reads back the guest\'s bytes at the offset, and moves it', () => {
    const fd = open('r+', 6);
    mem.write(100, Buffer.from('WORLD!!'));
    expect(io('fd_write', fd, 100, 7)).toEqual([0, 7]);
    expect(fs.readFileSync(file, 'latin1')).toBe('hello WORLD!!');
    const rd = open('r', 2);
    expect(io('fd_read', rd, 300, 64)).toEqual([0, 11]);
    expect(Buffer.from(mem.bytes(300, 11)).toString()).toBe('llo WORLD!!');
    expect(io('fd_read', rd, 300, 64)).toEqual([0, 0]); // end of file
  });

  it('reads and writes past 4 GiB (a 64-bit offset)', () => {
    const at = 2 ** 32 + 5;
    const fd = open('r+', at);
    mem.write(100, Buffer.from('far'));
    expect(io('fd_write', fd, 100, 3)).toEqual([0, 3]);
    expect(fs.statSync(file).size).toBe(at + 3);
    const rd = open('r', at - 1);
    expect(io('fd_read', rd, 400, 16)).toEqual([0, 4]);
    expect([...mem.bytes(400, 4)]).toEqual([0, ...Buffer.from('far')]);
  });

  it('pwrite and pread of one buffer at an offset past 4 GiB leave the descriptor\'s offset', () => {
    const at = 2 ** 32 + 5;
    const fd = open('r+', 3);
    mem.write(100, Buffer.from('far'));
    mem.setU32(0, 100);
    mem.setU32(4, 3);
    expect([wasi.fd_pwrite!(fd, 0, 1, BigInt(at), 8), mem.u32At(8)]).toEqual([0, 3]);
    expect(fs.statSync(file).size).toBe(at + 3);
    mem.setU32(0, 400);
    mem.setU32(4, 16);
    expect([wasi.fd_pread!(fd, 0, 1, BigInt(at - 1), 8), mem.u32At(8)]).toEqual([0, 4]);
    expect([...mem.bytes(400, 4)]).toEqual([0, ...Buffer.from('far')]);
    expect([wasi.fd_tell!(fd, 16), mem.u64At(16)]).toEqual([0, 3n]);
    const ro = open('r');
    expect(wasi.fd_pwrite!(ro, 0, 1, 0n, 8)).toBe(Errno.badf);
  });

  it('reads into a memory that grew since the last read', () => {
    const fd = open('r');
    expect(io('fd_read', fd, 100, 5)).toEqual([0, 5]);
    const top = mem.memory.buffer.byteLength;
    mem.memory.grow(1);
    expect(io('fd_read', fd, top + 10, 64)).toEqual([0, 6]);
    expect(Buffer.from(mem.bytes(top + 10, 6)).toString()).toBe(' world');
  });

  it('takes pointers and counts with all their bytes in use (little-endian u32s)', () => {
    mem.memory.grow(260); // 261 pages: past 0x01020304 + 0x010203
    const len = 0x010203;
    const data = Buffer.alloc(len + 10, 'abcdefghijklmnopqrstuvwxyz');
    mem.write(0x01020304, data.subarray(0, len));
    const fd = open('w');
    expect(io('fd_write', fd, 0x01020304, len)).toEqual([0, len]);
    expect(fs.readFileSync(file).equals(data.subarray(0, len))).toBe(true);
    const rd = open('r');
    expect(io('fd_read', rd, 0x01000506, len + 10)).toEqual([0, len]);
    expect(Buffer.from(mem.bytes(0x01000506, len)).equals(data.subarray(0, len))).toBe(true);
  });

  it('a descriptor the host does not have is badf, one opened for reading only cannot be written', () => {
    const ro = open('r');
    mem.write(100, Buffer.from('x'));
    expect(io('fd_write', ro, 100, 1)[0]).toBe(Errno.badf);
    expect(fs.readFileSync(file, 'latin1')).toBe('hello world');
    const gone = open('r');
    const d = fds.get(gone, 0) as { hostFd: number };
    fs.closeSync(d.hostFd);
    expect(io('fd_read', gone, 100, 1)[0]).toBe(Errno.badf);
    d.hostFd = fs.openSync(file, 'r'); // for the table's own close at the end
  });
});
