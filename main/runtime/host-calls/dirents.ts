import type { DirEntries, EntryKind } from './types.ts';

let kinds: EntryKind[] | undefined;

/**
 * `d_type` values (the same on Linux and macOS), by number: an array, so a lookup is an index.
 * Made at the first listing, not when the bundle's script loads (a 256-entry loop at every start).
 */
function entryKinds(): EntryKind[] {
  if (kinds !== undefined) return kinds;
  const k: EntryKind[] = [];
  for (const [t, kind] of [[1, 'fifo'], [2, 'char'], [4, 'directory'], [6, 'block'], [8, 'file'], [10, 'symlink'], [12, 'socket']] as const) k[t] = kind;
  for (let t = 0; t < 256; t++) k[t] ??= 'unknown';
  return (kinds = k);
}

/** Where the fields of one `struct dirent64` are. */
export interface DirentLayout {
  ino: number;
  reclen: number;
  type: number;
  name: number;
}

/** The little-endian u32 at `at` of `b` (the kernel's byte order on every supported host). */
function u32At(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/**
 * Appends the entries of `n` bytes of `getdents64` output in `buf` to `out`, skipping "." and "..":
 * each name as its bytes in `buf` (no string made).
 */
export function parseDirents(buf: Uint8Array, n: number, L: DirentLayout, out: DirEntries): void {
  const KINDS = entryKinds();
  for (let at = 0; at < n;) {
    const reclen = buf[at + L.reclen]! | (buf[at + L.reclen + 1]! << 8);
    if (reclen === 0) break;
    const start = at + L.name;
    // The name ends at its NUL (a short loop: Buffer.indexOf is a native call per entry).
    const limit = Math.min(at + reclen, n);
    let end = start;
    while (end < limit && buf[end] !== 0) end++;
    const dot = buf[start] === 0x2e && (end === start + 1 || (end === start + 2 && buf[start + 1] === 0x2e));
    if (!dot) out.addBytes(buf, start, end, KINDS[buf[at + L.type]!]!, u32At(buf, at + L.ino), u32At(buf, at + L.ino + 4));
    at += reclen;
  }
}
