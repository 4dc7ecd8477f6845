/**
 * `wasi:io` (error, poll, streams) for the WASI 0.2 host. A stream reads or writes through a
 * preview1 call (scratch.ts) or the run's stdio, so stdin blocks on the same ring, stdout goes out
 * through the same ring with backpressure, and files are read and written with the same rights.
 * The stream calls a program makes per byte it moves have fast paths (lower.ts).
 */
import { Errno } from '../abi.ts';
import { GuestMemory } from '../memory.ts';
import { type HandleTable, LOWER, type LowerContext, Resource, adoptStandIns, borrow, otherTable, own, tablesOf } from './lower.ts';
import { CHUNK, P1Error } from './scratch.ts';

/** `wasi:io/error.error`: a description of what failed. */
export class IoError extends Resource {
  private readonly text: string;
  constructor(text: string) {
    super();
    this.text = text;
  }

  toDebugString(): string {
    return this.text;
  }
}

/** A `stream-error` as the generated bindings expect it thrown. */
export type StreamError = { tag: 'closed' } | { tag: 'last-operation-failed'; val: IoError };

/** Turns a preview1 failure into a stream error (anything else is a host bug: rethrown). */
export function streamError(err: unknown): StreamError {
  if (err instanceof P1Error) return { tag: 'last-operation-failed', val: new IoError(`errno ${err.errno}`) };
  throw err;
}

/** Sleeps the worker thread until `deadline` (a monotonic time in ns); nothing waits by polling. */
function sleepUntil(deadline: bigint): void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const left = deadline - process.hrtime.bigint();
    if (left <= 0n) return;
    Atomics.wait(cell, 0, 0, Number(left / 1_000_000n) + 1);
  }
}

/**
 * `wasi:io/poll.pollable`: ready now (streams: reads and writes block inside the call, as a
 * blocking preview1 host does), or at a monotonic deadline (clock subscriptions).
 */
export class Pollable extends Resource {
  private readonly deadline: bigint | null;
  constructor(deadline: bigint | null = null) {
    super();
    this.deadline = deadline;
  }

  ready(): boolean {
    return this.deadline === null || process.hrtime.bigint() >= this.deadline;
  }

  block(): void {
    if (this.deadline !== null) sleepUntil(this.deadline);
  }

  /** When it becomes ready (null: now). */
  get at(): bigint | null {
    return this.deadline;
  }
}

/** `wasi:io/poll.poll`: waits until one is ready, returns the indices of all that are. */
export function poll(list: Pollable[]): Uint32Array {
  if (list.length === 0) throw new P1Error(Errno.inval, 'poll of nothing'); // a trap in wasmtime too
  const ready = (): number[] => list.flatMap((p, i) => (p.ready() ? [i] : []));
  let now = ready();
  if (now.length === 0) {
    sleepUntil(list.reduce((min, p) => (p.at !== null && p.at < min ? p.at : min), list[0]!.at!));
    now = ready();
  }
  return Uint32Array.from(now);
}

/**
 * Reads at most `len` bytes (0 < len ≤ CHUNK); an empty result is the end. The bytes may be a view
 * of the host's scratch memory, good until its next call.
 */
export type Source = (len: number) => Uint8Array;

/** `wasi:io/streams.input-stream` over a preview1 read or the run's stdin. */
export class InputStream extends Resource {
  private readonly source: Source;
  private ended = false;
  constructor(source: Source) {
    super();
    this.source = source;
  }

  /** The next bytes (a view, see Source); throws a StreamError at the end or on failure. */
  next(len: bigint): Uint8Array {
    if (this.ended) throw { tag: 'closed' } satisfies StreamError;
    const n = Number(len > BigInt(CHUNK) ? BigInt(CHUNK) : len);
    if (n === 0) return new Uint8Array(0);
    let bytes: Uint8Array;
    try {
      bytes = this.source(n);
    } catch (err) {
      throw streamError(err);
    }
    if (bytes.length === 0) {
      this.ended = true;
      throw { tag: 'closed' } satisfies StreamError;
    }
    return bytes;
  }

  read(len: bigint): Uint8Array {
    return this.next(len).slice();
  }

  blockingRead(len: bigint): Uint8Array {
    return this.read(len);
  }

  skip(len: bigint): bigint {
    return BigInt(this.next(len).length);
  }

  blockingSkip(len: bigint): bigint {
    return this.skip(len);
  }

  subscribe(): Pollable {
    return new Pollable();
  }
}

/** Writes all of `len` bytes of `src` from `at` (may throw P1Error). */
export type Sink = (src: Uint8Array, at: number, len: number) => void;

/** `wasi:io/streams.output-stream` over a preview1 write or the run's stdout/stderr. */
export class OutputStream extends Resource {
  private readonly sink: Sink;
  constructor(sink: Sink) {
    super();
    this.sink = sink;
  }

  /** Writes `len` bytes of `src` from `at`, a chunk at a time; throws a StreamError on failure. */
  put(src: Uint8Array, at: number, len: number): void {
    try {
      for (let off = 0; off < len; off += CHUNK) this.sink(src, at + off, Math.min(CHUNK, len - off));
    } catch (err) {
      throw streamError(err);
    }
  }

  checkWrite(): bigint {
    return BigInt(CHUNK);
  }

  write(contents: Uint8Array): void {
    this.put(contents, 0, contents.length);
  }

  blockingWriteAndFlush(contents: Uint8Array): void {
    this.write(contents);
  }

  flush(): void {}

  blockingFlush(): void {}

  writeZeroes(len: bigint): void {
    this.write(new Uint8Array(Number(len > BigInt(CHUNK) ? BigInt(CHUNK) : len)));
  }

  blockingWriteZeroesAndFlush(len: bigint): void {
    this.writeZeroes(len);
  }

  splice(src: InputStream, len: bigint): bigint {
    const chunk = src.next(len);
    this.put(chunk, 0, chunk.length);
    return BigInt(chunk.length);
  }

  blockingSplice(src: InputStream, len: bigint): bigint {
    return this.splice(src, len);
  }

  subscribe(): Pollable {
    return new Pollable();
  }
}

// --- fast paths (lower.ts) ------------------------------------------------------------------------

/**
 * Writes a failed `result<_, stream-error>`-like value at `ret + at` (the variant's tag, then the
 * error's handle 4 bytes on), the error made in the table that is not the stream's.
 */
function lowerStreamError(m: GuestMemory, tables: HandleTable[], h: number, type: typeof InputStream | typeof OutputStream, ret: number, at: number, err: unknown): void {
  const e = err as StreamError;
  if (e?.tag === 'closed') {
    m.setU8(ret + at, 1);
    return;
  }
  if (e?.tag !== 'last-operation-failed') throw err;
  m.setU8(ret + at, 0);
  m.setU32(ret + at + 4, own(otherTable(tables, h, type), e.val));
}

type Lowering = (c: LowerContext) => (...args: never[]) => void;
const lowered = (f: unknown, lower: Lowering): void => {
  (f as { [LOWER]: Lowering })[LOWER] = lower;
};

/** `write` and `blocking-write-and-flush`: (self, ptr, len, ret) → result<_, stream-error>. */
const lowerWrite: Lowering = (c) => {
  const m = new GuestMemory(c.memory);
  const tables = tablesOf(c);
  return (h: number, ptr: number, len: number, ret: number) => {
    const out = borrow(tables, h, OutputStream);
    m.check(ret, 12);
    m.check(ptr, len);
    try {
      out.put(m.u8, ptr >>> 0, len >>> 0);
      m.setU8(ret, 0);
    } catch (err) {
      m.setU8(ret, 1);
      lowerStreamError(m, tables, h, OutputStream, ret, 4, err);
    }
  };
};
lowered(OutputStream.prototype.write, lowerWrite);
lowered(OutputStream.prototype.blockingWriteAndFlush, lowerWrite);

/** `check-write`: (self, ret) → result<u64, stream-error>. */
lowered(OutputStream.prototype.checkWrite, (c) => {
  const m = new GuestMemory(c.memory);
  const tables = tablesOf(c);
  return (h: number, ret: number) => {
    borrow(tables, h, OutputStream);
    m.setU8(ret, 0);
    m.setU64(ret + 8, BigInt(CHUNK));
  };
});

/** `flush` and `blocking-flush`: (self, ret) → result<_, stream-error>; writes are never held. */
const lowerFlush: Lowering = (c) => {
  const m = new GuestMemory(c.memory);
  const tables = tablesOf(c);
  return (h: number, ret: number) => {
    borrow(tables, h, OutputStream);
    m.setU8(ret, 0);
  };
};
lowered(OutputStream.prototype.flush, lowerFlush);
lowered(OutputStream.prototype.blockingFlush, lowerFlush);

/** `read` and `blocking-read`: (self, len, ret) → result<list<u8>, stream-error>. */
const lowerRead: Lowering = (c) => {
  const m = new GuestMemory(c.memory);
  const tables = tablesOf(c);
  const realloc = c.realloc;
  if (realloc === undefined) throw new Error('a list result without realloc');
  return (h: number, len: bigint, ret: number) => {
    const input = borrow(tables, h, InputStream);
    m.check(ret, 12);
    let bytes: Uint8Array;
    try {
      bytes = input.next(BigInt.asUintN(64, len));
    } catch (err) {
      m.setU8(ret, 1);
      lowerStreamError(m, tables, h, InputStream, ret, 4, err);
      return;
    }
    const ptr = realloc(0, 0, 1, bytes.length);
    m.write(ptr, bytes);
    m.setU8(ret, 0);
    m.setU32(ret + 4, ptr);
    m.setU32(ret + 8, bytes.length);
  };
};
lowered(InputStream.prototype.read, lowerRead);
lowered(InputStream.prototype.blockingRead, lowerRead);

for (const type of [IoError, Pollable, InputStream, OutputStream]) adoptStandIns(type, ['next', 'put']);
