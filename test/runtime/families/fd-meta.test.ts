/**
 * `fd_readdir` (families/fd-meta.ts) writes whole entries with an ASCII name straight into guest
 * memory and anything else (a UTF-8 name, an entry cut short by the buffer's end) through a copy:
 * both must give the same bytes, for every buffer size and cookie, under each host-calls mode.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { Filetype, Layout, Rights } from '../../../main/runtime/abi.ts';
import { type DirListing, FdTable } from '../../../main/runtime/fd-table.ts';
import { fdMeta } from '../../../main/runtime/families/fd-meta.ts';
import { GuestMemory } from '../../../main/runtime/memory.ts';

const DE = Layout.dirent;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-readdir-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const NAMES = ['a', 'café.txt', 'x'.repeat(60), 'ñ', 'sub', '日本'];
for (const n of NAMES) {
  if (n === 'sub') fs.mkdirSync(path.join(root, n));
  else fs.writeFileSync(path.join(root, n), '');
}

function setup() {
  const mem = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
  const fds = new FdTable();
  const fd = fds.add({
    kind: 'dir', hostFd: fs.openSync(root, fs.constants.O_RDONLY), filetype: Filetype.directory, fdflags: 0, readOnly: true,
    rightsBase: Rights.fd_readdir, rightsInheriting: 0, hostPath: root, preopen: '/d', origin: 0, ask: false,
  });
  return { mem, fds, fd, ops: fdMeta({ mem, fds, args: [], env: [], stdio: undefined as never }) };
}

/** The bytes the spec asks for: each entry's header then its UTF-8 name, cut at `len`. */
function expected(names: string[], inos: bigint[], types: number[], from: number, len: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = from; i < names.length; i++) {
    const name = Buffer.from(names[i]!, 'utf8');
    const h = Buffer.alloc(DE.size);
    h.writeBigUInt64LE(BigInt(i + 1), DE.d_next);
    h.writeBigUInt64LE(inos[i]!, DE.d_ino);
    h.writeUInt32LE(name.length, DE.d_namlen);
    h.writeUInt32LE(types[i]!, DE.d_type);
    parts.push(h, name);
  }
  return Buffer.concat(parts).subarray(0, len);
}

test('every buffer size and cookie gives the spec bytes, ASCII and UTF-8 names alike', () => {
  const { mem, fds, fd, ops } = setup();
  const BUF = 4096;
  const USED = 64;
  expect(ops.fd_readdir(fd, BUF, 8192, 0n, USED)).toBe(0);
  const { listing } = fds.get(fd, 0) as { listing?: DirListing };
  // Inode numbers whole, and the filetype lstat gives ("." and ".." are directories).
  const names = Array.from({ length: listing!.count }, (_, i) => listing!.name(i));
  const types = names.map((n) => (n === '.' || n === '..' || fs.lstatSync(path.join(root, n)).isDirectory() ? Filetype.directory : Filetype.regular_file));
  const L = { names, types, inos: names.map((_, i) => listing!.ino(i)) };
  expect(L.inos.slice(2).sort()).toEqual(NAMES.map((n) => fs.lstatSync(path.join(root, n), { bigint: true }).ino).sort());
  expect([...L.names].slice(2).sort()).toEqual([...NAMES].sort());
  const full = expected(L.names, L.inos, L.types, 0, 1 << 20);
  expect(mem.view.getUint32(USED, true)).toBe(full.length);
  for (let cookie = 0; cookie <= L.names.length; cookie++) {
    const all = expected(L.names, L.inos, L.types, cookie, 1 << 20);
    for (let len = 0; len <= all.length + 3; len++) {
      mem.u8.fill(0xee, BUF, BUF + 512);
      expect(ops.fd_readdir(fd, BUF, len, BigInt(cookie), USED)).toBe(0);
      const used = mem.view.getUint32(USED, true);
      expect(used).toBe(Math.min(len, all.length));
      expect(Buffer.from(mem.u8.subarray(BUF, BUF + used))).toEqual(all.subarray(0, used));
      // Nothing is written past what the call says it used.
      expect(mem.u8[BUF + used]).toBe(0xee);
    }
  }
  fds.close(fd);
});
