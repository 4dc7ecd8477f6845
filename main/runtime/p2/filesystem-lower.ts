/**
 * Fast paths (lower.ts) for the `wasi:filesystem/types` descriptor methods a program calls per
 * file it touches: open-at, get-type, get-flags, stat(-at), metadata-hash(-at), unlink-file-at and
 * the -via-stream methods. Each decodes the canonical ABI's raw arguments as jco's glue does
 * (UTF-8 paths with U+FFFD for bad bytes; extraneous flag bits trap), calls the same Descriptor
 * method (so the same preview1 calls, resolver and grants decide), and writes its result.
 */
import { GuestMemory } from '../memory.ts';
import { InputStream, OutputStream } from './io.ts';
import { type HandleTable, LOWER, type LowerContext, LowerTrap, type Resource, borrow, direct, otherTable, own, ownTable, tablesOf } from './lower.ts';

/** `error-code` cases in the WIT's order (their enum index). */
const ERROR_CODES = [
  'access', 'would-block', 'already', 'bad-descriptor', 'busy', 'deadlock', 'quota', 'exist', 'file-too-large',
  'illegal-byte-sequence', 'in-progress', 'interrupted', 'invalid', 'io', 'is-directory', 'loop', 'too-many-links',
  'message-size', 'name-too-long', 'no-device', 'no-entry', 'no-lock', 'insufficient-memory', 'insufficient-space',
  'not-directory', 'not-empty', 'not-recoverable', 'unsupported', 'no-tty', 'no-such-device', 'overflow',
  'not-permitted', 'pipe', 'read-only', 'invalid-seek', 'text-file-busy', 'cross-device',
];
/** `descriptor-type` cases in the WIT's order. */
const DESCRIPTOR_TYPES = ['unknown', 'block-device', 'character-device', 'directory', 'fifo', 'symbolic-link', 'regular-file', 'socket'];

interface Datetime { seconds: bigint; nanoseconds: number }
interface Stat { type: string; linkCount: bigint; size: bigint; dataAccessTimestamp?: Datetime; dataModificationTimestamp?: Datetime; statusChangeTimestamp?: Datetime }
interface Hash { lower: bigint; upper: bigint }
type PathFlags = { symlinkFollow: boolean };
type DescriptorFlags = { read: boolean; write: boolean; fileIntegritySync: boolean; dataIntegritySync: boolean; requestedWriteSync: boolean; mutateDirectory: boolean };
type OpenFlags = { create: boolean; directory: boolean; exclusive: boolean; truncate: boolean };

/** The Descriptor methods that have fast paths. */
export interface LowerableDescriptor extends Resource {
  getType(): string;
  getFlags(): Partial<DescriptorFlags>;
  openAt(pf: PathFlags, path: string, o: OpenFlags, f: DescriptorFlags): LowerableDescriptor;
  stat(): Stat;
  statAt(pf: PathFlags, path: string): Stat;
  metadataHash(): Hash;
  metadataHashAt(pf: PathFlags, path: string): Hash;
  unlinkFileAt(path: string): void;
  readViaStream(offset: bigint): InputStream;
  writeViaStream(offset: bigint): OutputStream;
  appendViaStream(): OutputStream;
}

const utf8 = new TextDecoder();

/** Traps on flag bits beyond the first `n` (as jco's glue does). */
function only(v: number, n: number): number {
  if ((v >>> 0) >>> n !== 0) throw new LowerTrap('flags have extraneous bits set');
  return v;
}
const pathFlags = (v: number): PathFlags => ({ symlinkFollow: (only(v, 1) & 1) !== 0 });
const openFlags = (v: number): OpenFlags => {
  only(v, 4);
  return { create: (v & 1) !== 0, directory: (v & 2) !== 0, exclusive: (v & 4) !== 0, truncate: (v & 8) !== 0 };
};
const descriptorFlags = (v: number): DescriptorFlags => {
  only(v, 6);
  return {
    read: (v & 1) !== 0, write: (v & 2) !== 0, fileIntegritySync: (v & 4) !== 0, dataIntegritySync: (v & 8) !== 0,
    requestedWriteSync: (v & 16) !== 0, mutateDirectory: (v & 32) !== 0,
  };
};
const FLAG_BITS: readonly (keyof DescriptorFlags)[] = ['read', 'write', 'fileIntegritySync', 'dataIntegritySync', 'requestedWriteSync', 'mutateDirectory'];

/**
 * Writes a failed `result<_, error-code>` at `ret` (the error code at `ret + at`) for a thrown error
 * code; anything else is a host error or a trap, and propagates.
 */
function fail(m: GuestMemory, ret: number, at: number, err: unknown): void {
  const code = typeof err === 'string' ? ERROR_CODES.indexOf(err) : -1;
  if (code < 0) throw err;
  m.setU8(ret, 1);
  m.setU8(ret + at, code);
}

/** An `option<datetime>` at `p`. */
function datetime(m: GuestMemory, p: number, t: Datetime | undefined): void {
  m.setU8(p, t === undefined ? 0 : 1);
  if (t === undefined) return;
  m.setU64(p + 8, t.seconds);
  m.setU32(p + 16, t.nanoseconds);
}

function writeStat(m: GuestMemory, p: number, st: Stat): void {
  m.setU8(p, Math.max(0, DESCRIPTOR_TYPES.indexOf(st.type)));
  m.setU64(p + 8, st.linkCount);
  m.setU64(p + 16, st.size);
  datetime(m, p + 24, st.dataAccessTimestamp);
  datetime(m, p + 48, st.dataModificationTimestamp);
  datetime(m, p + 72, st.statusChangeTimestamp);
}

type Lowering = (c: LowerContext) => (...args: never[]) => void;

/**
 * Gives `type`'s hot methods their fast paths. Each calls the method as it was before
 * adoptStandIns (`direct`): its `self` comes from borrow, a real object, never a stand-in.
 */
export function lowerDescriptor(type: abstract new (...a: never[]) => LowerableDescriptor): void {
  const proto = type.prototype as Record<string, unknown>;
  const lowered = (name: keyof LowerableDescriptor & string, lower: (m: GuestMemory, tables: HandleTable[]) => (...args: never[]) => void): void => {
    const l: Lowering = (c) => lower(new GuestMemory(c.memory), tablesOf(c));
    (proto[name] as { [LOWER]: Lowering })[LOWER] = l;
  };
  const method = <K extends keyof LowerableDescriptor>(name: K): LowerableDescriptor[K] => direct<LowerableDescriptor[K]>(type, name as string);
  const self = (tables: HandleTable[], h: number): LowerableDescriptor => borrow(tables, h, type);
  /** A path as jco's glue decodes it; ASCII (the usual path) is its own Latin-1: read in place. */
  const path = (m: GuestMemory, ptr: number, len: number): string => {
    m.check(ptr, len);
    const start = ptr >>> 0;
    const end = start + (len >>> 0);
    const u8 = m.u8;
    for (let i = start; i < end; i++) if (u8[i]! > 0x7f) return utf8.decode(u8.subarray(start, end));
    return m.latin1(start, end);
  };

  lowered('getType', (m, t) => {
    const getType = method('getType');
    return (h: number, ret: number) => {
      const d = self(t, h);
      let v: string;
      try {
        v = getType.call(d);
      } catch (err) {
        return fail(m, ret, 1, err);
      }
      m.setU8(ret, 0);
      m.setU8(ret + 1, Math.max(0, DESCRIPTOR_TYPES.indexOf(v)));
    };
  });
  lowered('getFlags', (m, t) => {
    const getFlags = method('getFlags');
    return (h: number, ret: number) => {
      const d = self(t, h);
      let f: Partial<DescriptorFlags>;
      try {
        f = getFlags.call(d);
      } catch (err) {
        return fail(m, ret, 1, err);
      }
      let bits = 0;
      for (let i = 0; i < FLAG_BITS.length; i++) if (f[FLAG_BITS[i]!]) bits |= 1 << i;
      m.setU8(ret, 0);
      m.setU8(ret + 1, bits);
    };
  });
  lowered('openAt', (m, t) => {
    const openAt = method('openAt');
    return (h: number, pf: number, ptr: number, len: number, of: number, df: number, ret: number) => {
      const d = self(t, h);
      const p = pathFlags(pf);
      const o = openFlags(of);
      const f = descriptorFlags(df);
      const name = path(m, ptr, len);
      // The new descriptor goes into the table `self` came from.
      const table = ownTable(t, h, type);
      let nd: LowerableDescriptor;
      try {
        nd = openAt.call(d, p, name, o, f);
      } catch (err) {
        return fail(m, ret, 4, err);
      }
      m.setU8(ret, 0);
      m.setU32(ret + 4, own(table, nd));
    };
  });
  /** stat, statAt, metadataHash, metadataHashAt: a record 8 bytes on. */
  const record = <T>(get: (d: LowerableDescriptor, pf: PathFlags | undefined, name: string | undefined) => T, put: (m: GuestMemory, at: number, v: T) => void, at: boolean) =>
    (m: GuestMemory, t: HandleTable[]) => {
      const answer = (d: LowerableDescriptor, ret: number, pf: PathFlags | undefined, name: string | undefined): void => {
        let v: T;
        try {
          v = get(d, pf, name);
        } catch (err) {
          return fail(m, ret, 8, err);
        }
        m.setU8(ret, 0);
        put(m, ret + 8, v);
      };
      return at
        ? (h: number, pf: number, ptr: number, len: number, ret: number) => {
          const d = self(t, h);
          const p = pathFlags(pf);
          answer(d, ret, p, path(m, ptr, len));
        }
        : (h: number, ret: number) => answer(self(t, h), ret, undefined, undefined);
    };
  const writeHash = (m: GuestMemory, at: number, v: Hash): void => {
    m.setU64(at, v.lower);
    m.setU64(at + 8, v.upper);
  };
  const [stat, statAt, metadataHash, metadataHashAt] = [method('stat'), method('statAt'), method('metadataHash'), method('metadataHashAt')];
  lowered('stat', record((d) => stat.call(d), writeStat, false));
  lowered('statAt', record((d, p, name) => statAt.call(d, p!, name!), writeStat, true));
  lowered('metadataHash', record((d) => metadataHash.call(d), writeHash, false));
  lowered('metadataHashAt', record((d, p, name) => metadataHashAt.call(d, p!, name!), writeHash, true));
  lowered('unlinkFileAt', (m, t) => {
    const unlinkFileAt = method('unlinkFileAt');
    return (h: number, ptr: number, len: number, ret: number) => {
      const d = self(t, h);
      const name = path(m, ptr, len);
      try {
        unlinkFileAt.call(d, name);
      } catch (err) {
        return fail(m, ret, 1, err);
      }
      m.setU8(ret, 0);
    };
  });
  /** A -via-stream method: the stream goes into the table that is not the descriptor's. */
  const viaStream = (open: (d: LowerableDescriptor, offset: bigint) => Resource) => (m: GuestMemory, t: HandleTable[]) =>
    (h: number, offset: bigint, ret: number) => {
      const d = self(t, h);
      let s: Resource;
      try {
        s = open(d, BigInt.asUintN(64, offset));
      } catch (err) {
        return fail(m, ret, 4, err);
      }
      m.setU8(ret, 0);
      m.setU32(ret + 4, own(otherTable(t, h, type), s));
    };
  const [readVia, writeVia, appendVia] = [method('readViaStream'), method('writeViaStream'), method('appendViaStream')];
  lowered('readViaStream', viaStream((d, at) => readVia.call(d, at)));
  lowered('writeViaStream', viaStream((d, at) => writeVia.call(d, at)));
  lowered('appendViaStream', (m, t) => {
    const via = viaStream((d) => appendVia.call(d))(m, t);
    return (h: number, ret: number) => via(h, 0n, ret);
  });
}
