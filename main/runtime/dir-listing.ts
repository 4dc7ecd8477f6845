/**
 * A directory listing as `fd_readdir` hands it out: the entries already laid out as preview1
 * dirents (a 24-byte header, then the name's UTF-8), back to back, with where each one starts. A
 * call at any cookie is then one copy of bytes into guest memory, and a listing of thousands of
 * entries makes no string, no object and no array element per entry (the host's listing writes
 * each name's bytes here straight from its own buffer; host-calls/dirents.ts).
 */
import { Filetype, Layout } from './abi.ts';
import type { DirEntries, EntryKind } from './host-calls/types.ts';

const DE = Layout.dirent;

/** The WASI filetype of each listing kind (preview1 has none for a FIFO). */
export function filetypeOfKind(kind: EntryKind): number {
  switch (kind) {
    case 'file': return Filetype.regular_file;
    case 'directory': return Filetype.directory;
    case 'symlink': return Filetype.symbolic_link;
    case 'char': return Filetype.character_device;
    case 'block': return Filetype.block_device;
    case 'socket': return Filetype.socket_stream;
    default: return Filetype.unknown; // fifo, unknown
  }
}

/** Entry i of a listing is dirent i, whose `d_next` (the next entry's cookie) is i + 1. */
export class DirListing implements DirEntries {
  /** The dirents, back to back: entry i is bytes [starts[i], starts[i + 1]). */
  bytes = new Uint8Array(4096);
  /** Where each entry starts; `starts[count]` is where the last one ends. */
  starts = new Int32Array(128);
  /** How many entries. */
  count = 0;
  /** The entries the host listed with kind `unknown` (no `d_type`): the caller stats them. */
  readonly unknown: number[] = [];
  private view = new DataView(this.bytes.buffer);

  /** Empties the listing (its memory is kept for the next). */
  clear(): void {
    this.count = 0;
    this.unknown.length = 0;
  }

  /** Where the listing's bytes end. */
  get end(): number {
    return this.starts[this.count]!;
  }

  /**
   * See `DirEntries.addBytes`. An all-ASCII name (nearly every one) is copied byte by byte; any
   * other goes through Buffer's decoder and back, so a name that is not UTF-8 is listed as the
   * UTF-8 of its decoding (each bad sequence U+FFFD), as it was when listings held strings.
   */
  addBytes(src: Uint8Array, start: number, end: number, kind: EntryKind, inoLo: number, inoHi: number): void {
    const n = end - start;
    const at = this.room(n);
    const b = this.bytes;
    const to = at + DE.size - start;
    for (let k = start; k < end; k++) {
      const c = src[k]!;
      if (c > 0x7f) return this.add(Buffer.from(src.buffer, src.byteOffset, src.byteLength).toString('utf8', start, end), kind, inoLo, inoHi);
      b[to + k] = c;
    }
    this.header(at, n, kind, inoLo, inoHi);
  }

  /** See `DirEntries.addDirents`: one copy of the bytes and one of the ends. */
  addDirents(src: Uint8Array, from: number, length: number, ends: Int32Array, k: number): void {
    const at = this.starts[this.count]!;
    this.reserve(k, at + length);
    this.bytes.set(src.subarray(from, from + length), at);
    this.starts.set(ends.subarray(0, k), this.count + 1);
    this.count += k;
  }

  /** Appends an entry whose name is a string (its UTF-8 is listed). */
  add(name: string, kind: EntryKind, inoLo: number, inoHi: number): void {
    const utf8 = Buffer.from(name, 'utf8');
    const at = this.room(utf8.length);
    this.bytes.set(utf8, at + DE.size);
    this.header(at, utf8.length, kind, inoLo, inoHi);
  }

  /** Entry i's name. */
  name(i: number): string {
    const s = this.starts[i]! + DE.size;
    return Buffer.from(this.bytes.buffer, s, this.starts[i + 1]! - s).toString('utf8');
  }

  /** Entry i's WASI filetype. */
  type(i: number): number {
    return this.bytes[this.starts[i]! + DE.d_type]!;
  }

  /** Sets entry i's WASI filetype. */
  setType(i: number, filetype: number): void {
    this.bytes[this.starts[i]! + DE.d_type] = filetype;
  }

  /** Entry i's inode number. */
  ino(i: number): bigint {
    return this.view.getBigUint64(this.starts[i]! + DE.d_ino, true);
  }

  /** Where the next entry, with a name of `n` bytes, starts: room made for it. */
  private room(n: number): number {
    const at = this.starts[this.count]!;
    this.reserve(1, at + DE.size + n);
    return at;
  }

  /** Room for `k` more entries and for the bytes to end at `need`. */
  private reserve(k: number, need: number): void {
    if (this.count + k + 1 > this.starts.length) {
      const s = new Int32Array(Math.max(this.starts.length * 2, this.count + k + 2));
      s.set(this.starts);
      this.starts = s;
    }
    if (need > this.bytes.length) {
      const b = new Uint8Array(Math.max(need, this.bytes.length * 2));
      b.set(this.bytes.subarray(0, this.starts[this.count]!));
      this.bytes = b;
      this.view = new DataView(b.buffer);
    }
  }

  /** Writes the header of the entry at `at` (its name is in place) and counts it. */
  private header(at: number, namlen: number, kind: EntryKind, inoLo: number, inoHi: number): void {
    const v = this.view;
    const i = this.count;
    v.setUint32(at + DE.d_next, i + 1, true);
    v.setUint32(at + DE.d_next + 4, 0, true);
    v.setUint32(at + DE.d_ino, inoLo, true);
    v.setUint32(at + DE.d_ino + 4, inoHi, true);
    v.setUint32(at + DE.d_namlen, namlen, true);
    v.setUint32(at + DE.d_type, filetypeOfKind(kind), true);
    if (kind === 'unknown') this.unknown.push(i);
    this.count = i + 1;
    this.starts[i + 1] = at + DE.size + namlen;
  }
}

/** A listing no descriptor holds any more, kept for the next one (a walk lists one folder after another). */
let spare: DirListing | undefined;

/** An empty listing: the spare one when there is one. */
export function takeListing(): DirListing {
  const l = spare ?? new DirListing();
  spare = undefined;
  l.clear();
  return l;
}

/** The largest listing kept as the spare: a huge folder's listing is not held for the thread's life. */
const SPARE_MAX_BYTES = 1 << 20;

/** Hands back a listing nothing refers to any more (its descriptor was closed or listed anew). */
export function releaseListing(l: DirListing): void {
  if (l.bytes.length <= SPARE_MAX_BYTES) spare = l;
}
