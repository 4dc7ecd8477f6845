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

/** Appends the entries of `n` bytes of `getdents64` output in `buf` to `out`, skipping "." and "..". */
export function parseDirents(buf: Buffer, n: number, L: DirentLayout, out: DirEntry[]): void {
  for (let at = 0; at < n;) {
    const reclen = buf[at + L.reclen]! | (buf[at + L.reclen + 1]! << 8);
    if (reclen === 0) break;
    const start = at + L.name;
    let end = buf.indexOf(0, start);
    if (end < 0 || end > at + reclen) end = at + reclen;
    const name = buf.toString('utf8', start, end);
    if (name !== '.' && name !== '..') {
      out.push({ name, ino: buf.readBigUInt64LE(at + L.ino), kind: KINDS[buf[at + L.type]!] ?? 'unknown' });
    }
    at += reclen;
  }
}
