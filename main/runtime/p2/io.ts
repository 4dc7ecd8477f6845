/**
 * `wasi:io` (error, poll, streams) for the WASI 0.2 host. A stream reads or writes through a
 * preview1 call (scratch.ts), so stdin blocks on the same ring, stdout goes out through the same
 * ring with backpressure, and files are read and written with the same rights.
 */
import { Errno } from '../abi.ts';
import { CHUNK, P1Error } from './scratch.ts';

/** `wasi:io/error.error`: a description of what failed. */
export class IoError {
  private readonly text: string;
  constructor(text: string) {
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
export class Pollable {
  private readonly deadline: bigint | null;
  constructor(deadline: bigint | null = null) {
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

/** Reads at most `len` bytes; an empty result is the end. */
export type Source = (len: number) => Uint8Array;

/** `wasi:io/streams.input-stream` over a preview1 read. */
export class InputStream {
  private readonly source: Source;
  private ended = false;
  constructor(source: Source) {
    this.source = source;
  }

  read(len: bigint): Uint8Array {
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

  blockingRead(len: bigint): Uint8Array {
    return this.read(len);
  }

  skip(len: bigint): bigint {
    return BigInt(this.read(len).length);
  }

  blockingSkip(len: bigint): bigint {
    return this.skip(len);
  }

  subscribe(): Pollable {
    return new Pollable();
  }
}

/** Writes all of `bytes` (may throw P1Error). */
export type Sink = (bytes: Uint8Array) => void;

/** `wasi:io/streams.output-stream` over a preview1 write. */
export class OutputStream {
  private readonly sink: Sink;
  constructor(sink: Sink) {
    this.sink = sink;
  }

  checkWrite(): bigint {
    return BigInt(CHUNK);
  }

  write(contents: Uint8Array): void {
    try {
      for (let off = 0; off < contents.length; off += CHUNK) this.sink(contents.subarray(off, off + CHUNK));
    } catch (err) {
      throw streamError(err);
    }
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
    const chunk = src.read(len);
    this.write(chunk);
    return BigInt(chunk.length);
  }

  blockingSplice(src: InputStream, len: bigint): bigint {
    return this.splice(src, len);
  }

  subscribe(): Pollable {
    return new Pollable();
  }
}
