import type { DirEntry, EntryKind } from './types.ts';

/** `d_type` values (the same on Linux and macOS). */
const KINDS: Record<number, EntryKind> = { 1: 'fifo', 2: 'char', 4: 'directory', 6: 'block', 8: 'file', 10: 'symlink', 12: 'socket' };

/** Where the fields of one `struct dirent64` are. */
export interface DirentLayout {
  ino: number;
  reclen: number;
  type: number;
  name: number;
}

// A DataView of the lister's (reused) buffer, for the inode numbers.
let viewed: Buffer | undefined;
let view: DataView = new DataView(new ArrayBuffer(0));

/** Appends the entries of `n` bytes of `getdents64` output in `buf` to `out`, skipping "." and "..". */
export function parseDirents(buf: Buffer, n: number, L: DirentLayout, out: DirEntry[]): void {
  if (buf !== viewed) {
    viewed = buf;
    view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  for (let at = 0; at < n;) {
    const reclen = buf[at + L.reclen]! | (buf[at + L.reclen + 1]! << 8);
    if (reclen === 0) break;
    const start = at + L.name;
    // The name ends at its NUL (a short loop: Buffer.indexOf is a native call per entry).
    const limit = Math.min(at + reclen, n);
    let end = start;
    while (end < limit && buf[end] !== 0) end++;
    const dot = buf[start] === 0x2e && (end === start + 1 || (end === start + 2 && buf[start + 1] === 0x2e));
    if (!dot) {
      out.push({ name: buf.toString('utf8', start, end), ino: view.getBigUint64(at + L.ino, true), kind: KINDS[buf[at + L.type]!] ?? 'unknown' });
    }
    at += reclen;
  }
}
