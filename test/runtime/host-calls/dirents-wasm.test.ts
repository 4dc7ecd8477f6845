/**
 * A listing laid out as preview1 dirents by the wasm converter (host-calls/dirents-wasm.ts) holds
 * exactly the bytes the JavaScript parser and `DirListing.addBytes` make: for records built here
 * (every kind, ".", "..", look-alikes, names of every length, a record cut short), and for real
 * folders listed through the native `getdents64` both ways; a batch the converter declines (a
 * name above ASCII, an unknown kind) is parsed in JavaScript, with nothing of it kept twice.
 */
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirListing } from '../../../main/runtime/dir-listing.ts';
import { parseDirents } from '../../../main/runtime/host-calls/dirents.ts';
import { DIRENTS, RECORDS, direntConverter } from '../../../main/runtime/host-calls/dirents-wasm.ts';
import { loadNative } from '../../../main/runtime/host-calls/native.ts';

const L = { ino: 0, reclen: 16, type: 18, name: 19 };

/** One Linux `struct dirent64` record. */
function rec(ino: bigint, type: number, name: Buffer | string): Buffer {
  const bytes = typeof name === 'string' ? Buffer.from(name) : name;
  const len = Math.ceil((L.name + bytes.length + 1) / 8) * 8;
  const b = Buffer.alloc(len);
  b.writeBigUInt64LE(ino, L.ino);
  b.writeUInt16LE(len, L.reclen);
  b.writeUInt8(type, L.type);
  bytes.copy(b, L.name);
  return b;
}

/** What the listing holds: its bytes, each entry's end, and which entries are to be stat'ed. */
function contents(l: DirListing): { bytes: string; ends: number[]; unknown: number[] } {
  return { bytes: Buffer.from(l.bytes.subarray(0, l.end)).toString('hex'), ends: [...l.starts.subarray(0, l.count + 1)], unknown: [...l.unknown] };
}

/** `records` appended to a listing already holding `before` entries, by JavaScript and by the converter; the converter's answer. */
function both(records: Buffer, before = 0): { js: DirListing; wasm: DirListing; k: number } {
  const js = new DirListing();
  const wasm = new DirListing();
  for (let i = 0; i < before; i++) for (const l of [js, wasm]) l.addBytes(Buffer.from(`pre${i}`), 0, 3 + String(i).length, 'file', i, 0);
  parseDirents(records, records.length, L, js);
  const conv = direntConverter()!;
  conv.bytes.set(records, RECORDS);
  const k = conv.convert(records.length, wasm.count, wasm.end);
  if (k >= 0) wasm.addDirents(conv.bytes, DIRENTS, k === 0 ? 0 : conv.ends[k - 1]! - wasm.end, conv.ends, k);
  return { js, wasm, k };
}

describe('the wasm dirent converter', () => {
  it('lays out every known kind, skips "." and "..", keeps ".x", "..y" and "...", after entries already listed', () => {
    const types = [[1, 'fifo'], [2, 'chr'], [4, 'dir'], [6, 'blk'], [8, 'reg'], [10, 'lnk'], [12, 'sock']] as const;
    const records = Buffer.concat([
      rec(1n, 4, '.'), rec(2n, 4, '..'),
      ...types.map(([t, name], i) => rec(BigInt(100 + i) | (0xfedcba98n << 32n), t, name)),
      rec(9n, 8, '.x'), rec(10n, 8, '..y'), rec(11n, 8, '...'), rec(0xffffffffffffffffn, 8, 'z'),
    ]);
    for (const before of [0, 3, 200]) {
      const { js, wasm, k } = both(records, before);
      expect(k).toBe(types.length + 4);
      expect(contents(wasm)).toEqual(contents(js));
    }
  });

  it('lays out names of every length from 1 to 255 bytes in one batch', () => {
    const records = Buffer.concat(Array.from({ length: 255 }, (_, i) => rec(BigInt(i + 1), 8, 'n'.repeat(i + 1))));
    const { js, wasm, k } = both(records, 5);
    expect(k).toBe(255);
    expect(contents(wasm)).toEqual(contents(js));
  });

  it('stops at a zero record length and at the end of the bytes read, as the parser does', () => {
    const whole = Buffer.concat([rec(1n, 8, 'a'), rec(2n, 8, 'bb'), Buffer.alloc(24), rec(3n, 8, 'ccc')]);
    expect(contents(both(whole).wasm)).toEqual(contents(both(whole).js));
    expect(both(whole).k).toBe(2);
    expect(both(Buffer.alloc(0)).k).toBe(0);
  });

  it('declines a batch with a name above ASCII or a kind it does not map, committing nothing', () => {
    for (const odd of [rec(5n, 8, 'é'), rec(5n, 8, Buffer.from([0x61, 0xff, 0x62])), rec(5n, 0, 'unknown'), rec(5n, 14, 'whiteout')]) {
      const { wasm, k } = both(Buffer.concat([rec(1n, 8, 'a'), odd, rec(2n, 8, 'b')]), 2);
      expect(k).toBe(-1);
      expect(wasm.count).toBe(2);
    }
  });
});

describe.runIf(process.platform === 'linux')('a held folder listed through getdents64', () => {
  it('gives the same listing through the converter as through the JavaScript parser', () => {
    const root = fs.mkdtempSync(join(os.tmpdir(), 'terrarium-dirents-wasm-'));
    const dir = { fd: -1, path: root };
    try {
      fs.writeFileSync(join(root, 'f'), '');
      fs.mkdirSync(join(root, 'd'));
      fs.symlinkSync('f', join(root, 'l'));
      for (const name of ['.x', '..y', '...', 'n'.repeat(255)]) fs.writeFileSync(join(root, name), '');
      for (let i = 0; i < 3000; i++) fs.writeFileSync(join(root, `many-${i}-${'x'.repeat(40)}`), ''); // > one 64 KiB read
      dir.fd = fs.openSync(root, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
      const calls = loadNative();
      const list = (withDirents: boolean): DirListing => {
        const l = new DirListing();
        let whole = 0;
        const add = l.addDirents.bind(l);
        l.addDirents = (...a) => { whole++; add(...a); };
        // Without `addDirents` (and its `count`/`end`) the records are parsed in JavaScript.
        calls.listDir!(dir, withDirents ? l : { addBytes: l.addBytes.bind(l) });
        expect(whole > 0).toBe(withDirents);
        return l;
      };
      const wasm = list(true);
      expect(wasm.count).toBe(3007);
      expect(contents(wasm)).toEqual(contents(list(false)));
      // A name above ASCII: that batch goes through JavaScript, and the listing is still the same.
      fs.writeFileSync(join(root, 'café'), '');
      const mixed = new DirListing();
      calls.listDir!(dir, mixed);
      const plain = new DirListing();
      calls.listDir!(dir, { addBytes: plain.addBytes.bind(plain) });
      expect(mixed.count).toBe(3008);
      expect(contents(mixed)).toEqual(contents(plain));
    } finally {
      if (dir.fd >= 0) fs.closeSync(dir.fd);
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
