/**
 * A single-producer, single-consumer byte ring in a SharedArrayBuffer, used for a run's stdio
 * between the main thread and the worker. The worker side blocks with `Atomics.wait`; the main side
 * never blocks and learns of progress with `Atomics.waitAsync` (DESIGN §3: nothing waits by polling).
 * Indices are free-running 32-bit counters; the capacity is a power of two.
 */

const WRITE = 0;
const READ = 1;
const CLOSED = 2;
/** Bumped on every write and on close: what a waiting reader sleeps on. */
const SEQ_W = 3;
/** Bumped on every read and on close: what a waiting writer sleeps on. */
const SEQ_R = 4;
const HEADER_BYTES = 32;
/** Records up to this size are copied byte by byte (cheaper than making a view to copy from). */
const COPY_LOOP_MAX = 64;

/** The shareable state of a ring, sent to the worker in `workerData`. */
export interface RingBuffers {
  header: SharedArrayBuffer;
  data: SharedArrayBuffer;
}

/** Allocates a ring of `capacity` bytes (rounded up to a power of two). */
export function createRing(capacity: number): RingBuffers {
  let cap = 1024;
  while (cap < capacity) cap *= 2;
  return { header: new SharedArrayBuffer(HEADER_BYTES), data: new SharedArrayBuffer(cap) };
}

/** One end of a ring. Either side may close it: the writer at end of data, the reader when gone. */
export class Ring {
  private readonly h: Int32Array;
  private readonly d: Uint8Array;
  private readonly mask: number;

  constructor(buffers: RingBuffers) {
    this.h = new Int32Array(buffers.header);
    this.d = new Uint8Array(buffers.data);
    this.mask = this.d.length - 1;
  }

  /** Bytes waiting to be read. */
  available(): number {
    return (Atomics.load(this.h, WRITE) - Atomics.load(this.h, READ)) | 0;
  }

  /** Free space for the writer. */
  free(): number {
    return this.d.length - this.available();
  }

  get closed(): boolean {
    return Atomics.load(this.h, CLOSED) !== 0;
  }

  /** Marks the stream ended and wakes both sides. */
  close(): void {
    Atomics.store(this.h, CLOSED, 1);
    Atomics.add(this.h, SEQ_W, 1);
    Atomics.add(this.h, SEQ_R, 1);
    Atomics.notify(this.h, SEQ_W);
    Atomics.notify(this.h, SEQ_R);
  }

  /** Copies as much of `src` as fits without blocking; returns the count copied. */
  tryWrite(src: Uint8Array): number {
    const n = Math.min(src.length, this.free());
    if (n === 0) return 0;
    const w = Atomics.load(this.h, WRITE);
    const at = w & this.mask;
    const first = Math.min(n, this.d.length - at);
    this.d.set(src.subarray(0, first), at);
    if (first < n) this.d.set(src.subarray(first, n), 0);
    this.publish(w, (w + n) | 0);
    return n;
  }

  /**
   * Worker side: writes the concatenation of `parts` as one unit (total at most the capacity),
   * blocking until it fits, then wakes the reader once. False if the reader closed the ring.
   */
  writeAll(parts: Uint8Array[], total: number): boolean {
    for (;;) {
      const seq = Atomics.load(this.h, SEQ_R);
      if (this.closed) return false;
      if (this.free() >= total) break;
      Atomics.wait(this.h, SEQ_R, seq);
    }
    const w0 = Atomics.load(this.h, WRITE);
    let w = w0;
    for (const src of parts) {
      const at = w & this.mask;
      const first = Math.min(src.length, this.d.length - at);
      this.d.set(first === src.length ? src : src.subarray(0, first), at);
      if (first < src.length) this.d.set(src.subarray(first), 0);
      w = (w + src.length) | 0;
    }
    this.publish(w0, w);
    return true;
  }

  /**
   * Worker side: writes one record — a 4-byte header `[tag, len as u24]` and `src[at, at+len)` —
   * blocking until it fits (len + 4 must not exceed the capacity). False if the reader closed
   * the ring. The fast path of a guest's small write: no intermediate arrays.
   */
  writeRecord(tag: number, src: Uint8Array, at: number, len: number): boolean {
    const total = len + 4;
    for (;;) {
      const seq = Atomics.load(this.h, SEQ_R);
      if (this.closed) return false;
      if (this.free() >= total) break;
      Atomics.wait(this.h, SEQ_R, seq);
    }
    const d = this.d;
    const m = this.mask;
    const w = Atomics.load(this.h, WRITE);
    d[w & m] = tag;
    d[(w + 1) & m] = len & 0xff;
    d[(w + 2) & m] = (len >>> 8) & 0xff;
    d[(w + 3) & m] = (len >>> 16) & 0xff;
    const pos = (w + 4) & m;
    const first = Math.min(len, d.length - pos);
    if (first === len && len <= COPY_LOOP_MAX) {
      // A small write (printf's): copied byte by byte, no view made to copy from.
      for (let k = 0; k < len; k++) d[pos + k] = src[at + k]!;
    } else {
      d.set(src.subarray(at, at + first), pos);
      if (first < len) d.set(src.subarray(at + first, at + len), 0);
    }
    this.publish(w, (w + total) | 0);
    return true;
  }

  /**
   * Makes the bytes written from index `from` up to `to` readable, and wakes the reader only when it
   * had read everything before them: only a reader that found the ring empty waits (on SEQ_W, taken
   * before it looked), and it can have found it empty only at `from` (or earlier, when the write
   * that began there woke it). A reader still behind will find these bytes when it comes back for
   * more. During a flood that is most writes: a guest's small writes cost no wakeup each (on the
   * main thread, every wakeup of `waitAsync` is a task of its own). All loads and stores here are
   * sequentially consistent, so the reader either sees the new index or is seen by this check.
   */
  private publish(from: number, to: number): void {
    Atomics.store(this.h, WRITE, to);
    Atomics.add(this.h, SEQ_W, 1);
    if (Atomics.load(this.h, READ) === from) Atomics.notify(this.h, SEQ_W);
  }

  /** Copies up to `dst.length` available bytes into `dst` without blocking; returns the count. */
  tryRead(dst: Uint8Array): number {
    const n = Math.min(dst.length, this.available());
    if (n === 0) return 0;
    const r = Atomics.load(this.h, READ);
    const at = r & this.mask;
    const first = Math.min(n, this.d.length - at);
    dst.set(this.d.subarray(at, at + first), 0);
    if (first < n) dst.set(this.d.subarray(0, n - first), first);
    Atomics.store(this.h, READ, (r + n) | 0);
    Atomics.add(this.h, SEQ_R, 1);
    Atomics.notify(this.h, SEQ_R);
    return n;
  }

  /**
   * Main side: the tag of the next record waiting (the output ring's records, `writeRecord` and
   * `writeAll`: each published whole), or -1 when none waits.
   */
  nextTag(): number {
    if (this.available() < 4) return -1;
    return this.d[Atomics.load(this.h, READ) & this.mask]!;
  }

  /**
   * Main side: copies the payloads of the consecutive records tagged `tag` waiting at the front,
   * back to back, into `dst` from `at`, as many as fit (none when the first does not), and marks
   * them read; returns the end of what was copied in `dst`. The bytes go straight from the ring
   * into `dst`: no copy of the raw records, no per-record view for a small one.
   */
  readRecords(tag: number, dst: Uint8Array, at: number): number {
    const d = this.d;
    const m = this.mask;
    const r0 = Atomics.load(this.h, READ);
    const avail = (Atomics.load(this.h, WRITE) - r0) | 0;
    let used = 0;
    let o = at;
    while (avail - used >= 4) {
      const h = (r0 + used) | 0;
      if (d[h & m] !== tag) break;
      const len = d[(h + 1) & m]! | (d[(h + 2) & m]! << 8) | (d[(h + 3) & m]! << 16);
      if (len > dst.length - o) break;
      const pos = (h + 4) & m;
      const first = Math.min(len, d.length - pos);
      if (first === len && len <= COPY_LOOP_MAX) {
        for (let k = 0; k < len; k++) dst[o + k] = d[pos + k]!;
      } else {
        dst.set(d.subarray(pos, pos + first), o);
        if (first < len) dst.set(d.subarray(0, len - first), o + first);
      }
      o += len;
      used += len + 4;
    }
    if (used > 0) {
      Atomics.store(this.h, READ, (r0 + used) | 0);
      Atomics.add(this.h, SEQ_R, 1);
      Atomics.notify(this.h, SEQ_R);
    }
    return o;
  }

  /**
   * Worker side: writes all of `src`, blocking while the ring is full. Returns false if the reader
   * closed the ring (nobody will read the rest).
   */
  writeBlocking(src: Uint8Array): boolean {
    let off = 0;
    while (off < src.length) {
      const seq = Atomics.load(this.h, SEQ_R);
      if (this.closed) return false;
      const n = this.tryWrite(src.subarray(off));
      if (n === 0) Atomics.wait(this.h, SEQ_R, seq);
      off += n;
    }
    return true;
  }

  /**
   * Worker side: waits until data is available or the ring is closed, at most `timeoutMs`
   * (Infinity to wait for ever). Returns true when data is available.
   */
  waitReadable(timeoutMs: number): boolean {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const seq = Atomics.load(this.h, SEQ_W);
      if (this.available() > 0) return true;
      if (this.closed) return false;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      Atomics.wait(this.h, SEQ_W, seq, left === Infinity ? undefined : left);
    }
  }

  /**
   * Main side: resolves after the writer wrote or closed since `seq` (from `writeSeq()`), when
   * called after finding the ring empty (`tryRead` read nothing): the writer wakes only a reader
   * that has read everything before its write (`publish`).
   */
  async waitWritten(seq: number): Promise<void> {
    const r = Atomics.waitAsync(this.h, SEQ_W, seq);
    if (r.async) await r.value;
  }

  /** Main side: resolves after the reader read or closed since `seq` (from `readSeq()`). */
  async waitRead(seq: number): Promise<void> {
    const r = Atomics.waitAsync(this.h, SEQ_R, seq);
    if (r.async) await r.value;
  }

  /** The write sequence number, taken before checking for data, for `waitWritten`. */
  writeSeq(): number { return Atomics.load(this.h, SEQ_W); }
  /** The read sequence number, taken before checking for space, for `waitRead`. */
  readSeq(): number { return Atomics.load(this.h, SEQ_R); }
}
