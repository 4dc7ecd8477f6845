/**
 * Guest stdio inside the worker. Input comes from the stdin ring (main fills it); stdout and
 * stderr go, in order, into one output ring as records `[stream:u8][len:u24][bytes]`, which the
 * main thread drains (the ring's fixed size is the backpressure: a flooding guest blocks, memory
 * stays bounded).
 */
import fs from 'node:fs';
import { readHostFd } from './host-fd-read.ts';
import type { Ring } from './ring.ts';

/** Largest payload of one output record. */
export const MAX_RECORD = 64 * 1024;

/** The guest's fds 0-2 as the host functions see them (fd.ts, poll.ts). */
export interface StdioPort {
  /** Reads into `bufs`, blocking until at least one byte or end of input; 0 = end of input. */
  read(bufs: Uint8Array[]): number;
  /** `read` into guest bytes `mem[ptr, ptr+len)` (already bounds-checked, len > 0), with no view made. */
  readInto(mem: Uint8Array, ptr: number, len: number): number;
  /** True when stdin has data or has ended, waiting at most `timeoutMs`. */
  waitReadable(timeoutMs: number): boolean;
  /** Writes guest bytes `mem[ptr, ptr+len)` (already bounds-checked) to stream 1 or 2; false once nobody reads. */
  writeFrom(stream: number, mem: Uint8Array, ptr: number, len: number): boolean;
  /** Writes the concatenation of `bufs` to stream 1 or 2; false once nobody reads. */
  write(stream: number, bufs: Uint8Array[]): boolean;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** How long a read cut short by a signal waits for vm's watchdog to stop the guest (Ctrl+C) before reading on. */
const SIGNAL_GRACE_MS = 100;

/**
 * After a failed read of a host fd: waits before it is tried again when it failed with EAGAIN or
 * EINTR, throws the error otherwise. An inherited pipe may be non-blocking (its writer's choice),
 * and then there is nothing to wait on but time. A read blocked on a pipe fails with EINTR at
 * Ctrl+C, a moment before vm's watchdog (another thread) stops the guest: the guest must not see
 * that error and go on (it would end on its own, not with 130), so the read waits for the stop
 * (`Atomics.wait` wakes for it) and, after any other signal, reads on.
 */
function waitToRetry(err: unknown): void {
  const code = (err as NodeJS.ErrnoException).code;
  if (code !== 'EAGAIN' && code !== 'EINTR') throw err;
  Atomics.wait(sleeper, 0, 0, code === 'EAGAIN' ? 1 : SIGNAL_GRACE_MS);
}

/** `readvSync(fd, bufs)` until it neither fails with EAGAIN nor with EINTR (see waitToRetry). */
function readvRetrying(fd: number, bufs: Uint8Array[]): number {
  for (;;) {
    try {
      return fs.readvSync(fd, bufs);
    } catch (err) {
      waitToRetry(err);
    }
  }
}

/** Worker-side stdio endpoints. */
export class GuestStdio implements StdioPort {
  private readonly stdin: Ring;
  private readonly out: Ring;
  private readonly stdinFd: number | undefined;
  private readonly header = new Uint8Array(4);

  /**
   * `stdinFd`, when given, is a host fd holding a regular file that stdin reads directly (always
   * ready, like any file); otherwise stdin comes through the ring.
   */
  constructor(stdin: Ring, out: Ring, stdinFd?: number) {
    this.stdin = stdin;
    this.out = out;
    this.stdinFd = stdinFd;
  }

  /**
   * Reads into `bufs`, blocking until at least one byte or end of input. Returns the count
   * (0 = end of input).
   */
  read(bufs: Uint8Array[]): number {
    if (this.stdinFd !== undefined) return fs.readvSync(this.stdinFd, bufs);
    if (!this.stdin.waitReadable(Infinity)) return 0;
    let n = 0;
    for (const b of bufs) {
      if (b.length === 0) continue;
      const got = this.stdin.tryRead(b);
      n += got;
      if (got < b.length) break;
    }
    return n;
  }

  readInto(mem: Uint8Array, ptr: number, len: number): number {
    if (this.stdinFd !== undefined) return readHostFd(this.stdinFd, mem, ptr, len);
    return this.read([mem.subarray(ptr, ptr + len)]);
  }

  /** True when stdin has data or has ended, waiting at most `timeoutMs`. */
  waitReadable(timeoutMs: number): boolean {
    if (this.stdinFd !== undefined) return true;
    return this.stdin.waitReadable(timeoutMs) || this.stdin.closed;
  }

  /** Writes guest bytes `mem[ptr, ptr+len)` (already bounds-checked) to stream 1 or 2. */
  writeFrom(stream: number, mem: Uint8Array, ptr: number, len: number): boolean {
    if (len > MAX_RECORD) return this.write(stream, [mem.subarray(ptr, ptr + len)]);
    return len === 0 || this.out.writeRecord(stream, mem, ptr, len);
  }

  /**
   * Writes the concatenation of `bufs` to stream 1 or 2. Returns false when nobody reads the
   * output any more (the run is being torn down).
   */
  write(stream: number, bufs: Uint8Array[]): boolean {
    let pending: Uint8Array[] = [];
    let size = 0;
    for (const b of bufs) {
      for (let off = 0; off < b.length; ) {
        const take = Math.min(b.length - off, MAX_RECORD - size);
        pending.push(off === 0 && take === b.length ? b : b.subarray(off, off + take));
        size += take;
        off += take;
        if (size === MAX_RECORD) {
          if (!this.flush(stream, pending, size)) return false;
          pending = [];
          size = 0;
        }
      }
    }
    return size === 0 || this.flush(stream, pending, size);
  }

  private flush(stream: number, parts: Uint8Array[], size: number): boolean {
    const h = this.header;
    h[0] = stream;
    h[1] = size & 0xff;
    h[2] = (size >>> 8) & 0xff;
    h[3] = (size >>> 16) & 0xff;
    parts.unshift(h);
    return this.out.writeAll(parts, size + 4);
  }
}

/** Most output a same-thread run holds before handing it on, and for how long (ms) at most. */
const HOLD_BYTES = 64 * 1024;
const HOLD_MS = 20;

/**
 * Monotonic milliseconds. Not `performance.now()`: the global `performance` loads perf_hooks at
 * its first use (~1.5 ms of the command's start-up, for the first write); this costs the same per call.
 */
function monotonicMs(): number {
  const [s, ns] = process.hrtime();
  return s * 1e3 + ns / 1e6;
}

/**
 * Stdio of a run on the caller's own thread (same-thread.ts): writes go to `onOutput` (`data` is
 * valid only during the call); stdin, when there is one, is read straight from a host fd that
 * never blocks for long (a regular file, /dev/null).
 *
 * A stream in `hold` (output nobody watches live: a file, /dev/null) has its small writes gathered
 * into one of up to HOLD_BYTES, handed on when it is full, before a write to the other stream, at
 * the first write more than HOLD_MS after it began, before stdin is read, and at `flush` (the run's
 * end): a million 16-byte writes then cost a few hundred system calls. Other writes are handed on
 * at once, after whatever is held, so the order of everything handed on is the order written.
 */
export class DirectStdio implements StdioPort {
  private readonly stdinFd: number | undefined;
  private readonly onOutput: (stream: 1 | 2, data: Uint8Array) => boolean;
  private readonly held: Uint8Array | undefined;
  private readonly holds: readonly [boolean, boolean];
  private heldBytes = 0;
  private heldStream: 1 | 2 = 1;
  private heldSince = 0;

  /**
   * `onOutput` returns false once nobody reads the output any more. Without `stdinFd` the guest's
   * stdin is empty; with it, stdin is read from that host fd (a file, a device, or a pipe: a read
   * blocked on a pipe ends with EINTR at Ctrl+C, and vm's watchdog then stops the guest).
   */
  constructor(onOutput: (stream: 1 | 2, data: Uint8Array) => boolean, stdinFd?: number, hold: readonly [stdout: boolean, stderr: boolean] = [false, false]) {
    this.onOutput = onOutput;
    this.stdinFd = stdinFd;
    this.holds = hold;
    this.held = hold[0] || hold[1] ? new Uint8Array(HOLD_BYTES) : undefined;
  }

  read(bufs: Uint8Array[]): number {
    if (!this.flush()) return 0;
    const fd = this.stdinFd;
    return fd === undefined ? 0 : readvRetrying(fd, bufs);
  }

  /**
   * `readHostFd` until it neither fails with EAGAIN nor with EINTR (see waitToRetry). No closure or
   * view made, and the read is the last return (V8 optimises a function after ~400 calls that ran
   * to its end; a retry loop and a flush before it would keep this one unoptimised for thousands
   * of reads: iospeed.md, round 6).
   */
  readInto(mem: Uint8Array, ptr: number, len: number): number {
    const fd = this.stdinFd;
    if (this.heldBytes !== 0 || fd === undefined) return this.readIntoOther(mem, ptr, len);
    let n: number;
    try {
      n = readHostFd(fd, mem, ptr, len);
    } catch (err) {
      n = this.readIntoRetrying(err, fd, mem, ptr, len);
    }
    return n;
  }

  /** `readInto` with output held (handed on first) or no stdin (end of input). */
  private readIntoOther(mem: Uint8Array, ptr: number, len: number): number {
    if (!this.flush()) return 0;
    const fd = this.stdinFd;
    if (fd === undefined) return 0;
    for (;;) {
      try {
        return readHostFd(fd, mem, ptr, len);
      } catch (err) {
        waitToRetry(err);
      }
    }
  }

  /** `readInto` after its read failed with `err`: waits and reads again (see waitToRetry), or throws. */
  private readIntoRetrying(err: unknown, fd: number, mem: Uint8Array, ptr: number, len: number): number {
    for (;;) {
      waitToRetry(err);
      try {
        return readHostFd(fd, mem, ptr, len);
      } catch (again) {
        err = again;
      }
    }
  }

  waitReadable(): boolean {
    return true;
  }

  /** Hands on what is held; false once nobody reads the output any more. */
  flush(): boolean {
    if (this.heldBytes === 0) return true;
    const n = this.heldBytes;
    this.heldBytes = 0;
    return this.onOutput(this.heldStream, this.held!.subarray(0, n));
  }

  writeFrom(stream: number, mem: Uint8Array, ptr: number, len: number): boolean {
    if (len === 0) return true;
    const s = stream === 2 ? 2 : 1;
    const held = this.held;
    if (held !== undefined && len <= HOLD_BYTES && this.holds[s - 1]) {
      if (this.heldBytes > 0 && (s !== this.heldStream || this.heldBytes + len > HOLD_BYTES || monotonicMs() - this.heldSince > HOLD_MS)) {
        if (!this.flush()) return false;
      }
      if (this.heldBytes === 0) {
        this.heldStream = s;
        this.heldSince = monotonicMs();
      }
      held.set(mem.subarray(ptr, ptr + len), this.heldBytes);
      this.heldBytes += len;
      return true;
    }
    return this.flush() && this.onOutput(s, mem.subarray(ptr, ptr + len));
  }

  write(stream: number, bufs: Uint8Array[]): boolean {
    const s = stream === 2 ? 2 : 1;
    if (this.holds[s - 1]) {
      for (const b of bufs) if (!this.writeFrom(s, b, 0, b.length)) return false;
      return true;
    }
    // One gathered write stays one piece.
    const parts = bufs.filter((b) => b.length > 0);
    if (parts.length === 0) return true;
    return this.flush() && this.onOutput(s, parts.length === 1 ? parts[0]! : Buffer.concat(parts));
  }
}
