/**
 * The stdio ring (SharedArrayBuffer, Atomics) and the record framing on top of it: bytes survive
 * every wrap-around, records are read back whole at every position (`readRecords`), and a writer blocked on a
 * full ring resumes when the reader makes room (DESIGN §3, STYLE 12).
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRing, Ring, type RingBuffers } from '../../main/runtime/ring.ts';
import { GuestStdio, MAX_RECORD } from '../../main/runtime/stdio.ts';
import { prng } from '../helpers/random.ts';


function randomBytes(n: number, seed: number): Uint8Array {
  const r = prng(seed);
  return Uint8Array.from({ length: n }, () => (r() * 256) | 0);
}

/** Moves the ring's read and write position forward by `n` bytes. */
function advance(ring: Ring, n: number): void {
  expect(ring.tryWrite(new Uint8Array(n))).toBe(n);
  expect(ring.tryRead(new Uint8Array(n))).toBe(n);
}

function drain(ring: Ring): Uint8Array {
  const out = new Uint8Array(ring.available());
  expect(ring.tryRead(out)).toBe(out.length);
  return out;
}

describe('Ring', () => {
  it('rounds its capacity up to a power of two, at least 1024', () => {
    expect(new Ring(createRing(1)).free()).toBe(1024);
    expect(new Ring(createRing(1025)).free()).toBe(2048);
    expect(new Ring(createRing(4096)).free()).toBe(4096);
  });

  it.each([
    ['from 0, ~10 MB', 0, 10 * 1024 * 1024],
    ['across int32 overflow of the counters', 0x7fffffff - 37, 1 << 20],
    ['across uint32 wrap of the counters', -37, 1 << 20],
  ])('round-trips random-sized writes and reads byte-exactly %s', (_, start, total) => {
    const buffers = createRing(1024);
    new Int32Array(buffers.header).fill(start, 0, 2); // the free-running write and read counters
    const ring = new Ring(buffers);
    const data = randomBytes(total, 7);
    const out = new Uint8Array(total);
    const r = prng(42);
    let w = 0;
    let rd = 0;
    while (rd < total) {
      const wantW = 1 + Math.floor(r() * 1500);
      const n = ring.tryWrite(data.subarray(w, Math.min(total, w + wantW)));
      expect(n).toBe(Math.min(wantW, total - w, 1024 - (w - rd)));
      w += n;
      const wantR = 1 + Math.floor(r() * 1500);
      const m = ring.tryRead(out.subarray(rd, Math.min(total, rd + wantR)));
      expect(m).toBe(Math.min(wantR, total - rd, w - rd));
      rd += m;
      expect(ring.available()).toBe(w - rd);
    }
    expect(Buffer.compare(out, data)).toBe(0);
  });

  it('writeRecord frames [tag, len u24, bytes] at every split across the end of the ring', () => {
    const src = randomBytes(500, 1);
    for (let pre = 1024 - 310; pre <= 1024; pre++) {
      const ring = new Ring(createRing(1024));
      advance(ring, pre);
      expect(ring.writeRecord(2, src, 7, 300)).toBe(true);
      const got = drain(ring);
      expect(Array.from(got.subarray(0, 4))).toEqual([2, 300 & 0xff, 300 >> 8, 0]);
      expect(Buffer.compare(got.subarray(4), src.subarray(7, 307))).toBe(0);
    }
  });

  it('writeRecord encodes all three length bytes', () => {
    const len = 0x010203;
    const ring = new Ring(createRing(len + 4));
    advance(ring, 131072 - 2);
    const src = randomBytes(len, 3);
    expect(ring.writeRecord(1, src, 0, len)).toBe(true);
    const got = drain(ring);
    expect(Array.from(got.subarray(0, 4))).toEqual([1, 0x03, 0x02, 0x01]);
    expect(Buffer.compare(got.subarray(4), src)).toBe(0);
  });

  it('writeAll writes its parts contiguously at every split across the end of the ring', () => {
    const parts = [randomBytes(3, 1), randomBytes(10, 2), new Uint8Array(0), randomBytes(5, 3)];
    const whole = Buffer.concat(parts);
    for (let pre = 1024 - 20; pre <= 1024; pre++) {
      const ring = new Ring(createRing(1024));
      advance(ring, pre);
      expect(ring.writeAll(parts, whole.length)).toBe(true);
      expect(Buffer.compare(drain(ring), whole)).toBe(0);
    }
  });

  it('close(): waitReadable returns false when empty, true while data remains; writers give up', () => {
    const ring = new Ring(createRing(1024));
    const t0 = performance.now();
    expect(ring.waitReadable(30)).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
    ring.tryWrite(new Uint8Array([1, 2]));
    ring.close();
    expect(ring.closed).toBe(true);
    expect(ring.waitReadable(Infinity)).toBe(true);
    drain(ring);
    expect(ring.waitReadable(Infinity)).toBe(false);
    expect(ring.writeBlocking(new Uint8Array(1))).toBe(false);
    expect(ring.writeAll([new Uint8Array(1)], 1)).toBe(false);
    expect(ring.writeRecord(1, new Uint8Array(1), 0, 1)).toBe(false);
  });
});

describe('readRecords', () => {
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  type Piece = [stream: number, bytes: Buffer];

  /** Reads every record waiting in `ring` as run.ts's drain does: a chunk per run of one tag. */
  function readAll(ring: Ring, size = 1 << 20): Piece[] {
    const got: Piece[] = [];
    for (let tag = ring.nextTag(); tag >= 0; tag = ring.nextTag()) {
      const dst = new Uint8Array(size);
      const end = ring.readRecords(tag, dst, 0);
      const last = got[got.length - 1];
      if (end === 0) continue;
      if (last && last[0] === tag) last[1] = Buffer.concat([last[1], dst.subarray(0, end)]);
      else got.push([tag, Buffer.from(dst.subarray(0, end))]);
    }
    return got;
  }

  it('splits payloads over MAX_RECORD into several records, and gets them back whole and in order', () => {
    const out = new Ring(createRing(1 << 20));
    const stdio = new GuestStdio(new Ring(createRing(1024)), out);
    const writes: [number, Uint8Array[]][] = [
      [1, [text('hello '), text('there ')]],
      [2, [text('oops\n')]],
      [1, [text('world\n')]],
      [2, [text('é'), text('ü\u{1f600}')]],
      [1, [randomBytes(2 * MAX_RECORD + 999, 9)]],
      [2, [text('end')]],
    ];
    expect(out.writeRecord(1, new Uint8Array(0), 0, 0)).toBe(true); // an empty record gives nothing
    for (const [stream, bufs] of writes) expect(stdio.write(stream, bufs)).toBe(true);
    const total = out.available();
    const want: Piece[] = [];
    let payload = 0;
    for (const [st, b] of writes) {
      const last = want[want.length - 1];
      if (last && last[0] === st) last[1] = Buffer.concat([last[1], ...b]);
      else want.push([st, Buffer.concat(b)]);
      for (const x of b) payload += x.length;
    }
    expect(total).toBe(payload + 4 + 4 * 8); // 5 records and the big one's 3, the empty one
    expect(readAll(out)).toEqual(want);
    expect(out.available()).toBe(0);
  });

  it('copies records of every size at every position across the end of the ring', () => {
    const src = randomBytes(400, 6);
    const lens = [1, 16, 64, 65, 300, 0, 7];
    for (let pre = 0; pre <= 1024; pre++) {
      const ring = new Ring(createRing(1024));
      advance(ring, pre);
      const want: Piece[] = [];
      lens.forEach((len, i) => {
        const tag = i === 3 ? 2 : 1;
        expect(ring.writeRecord(tag, src, i, len)).toBe(true);
        const bytes = Buffer.from(src.subarray(i, i + len));
        const last = want[want.length - 1];
        if (last && last[0] === tag) last[1] = Buffer.concat([last[1], bytes]);
        else want.push([tag, bytes]);
      });
      expect(readAll(ring)).toEqual(want);
    }
  });

  it('takes whole records only, as many as fit after `at`, and leaves the rest waiting', () => {
    const ring = new Ring(createRing(1024));
    const src = randomBytes(100, 2);
    for (let i = 0; i < 3; i++) expect(ring.writeRecord(1, src, 0, 100)).toBe(true);
    const dst = new Uint8Array(260);
    expect(ring.readRecords(1, dst, 10)).toBe(210);
    expect(ring.available()).toBe(104);
    expect(ring.readRecords(1, dst, 210)).toBe(210); // the third does not fit after 210
    expect(ring.readRecords(2, dst, 0)).toBe(0); // nor does a record of another stream go
    expect(ring.readRecords(1, dst, 0)).toBe(100);
    expect(Buffer.compare(dst.subarray(0, 100), src)).toBe(0);
    expect(ring.nextTag()).toBe(-1);
  });

  it('hands on consecutive records of a stream as one chunk, small and large alike', () => {
    const out = new Ring(createRing(1 << 20));
    const stdio = new GuestStdio(new Ring(createRing(1024)), out);
    const small = randomBytes(16, 8);
    const big = randomBytes(10_000, 9);
    for (let i = 0; i < 1000; i++) stdio.writeFrom(1, small, 0, 16);
    for (let i = 0; i < 10; i++) stdio.writeFrom(2, small, 0, 16);
    stdio.writeFrom(1, big, 0, big.length);
    for (let i = 0; i < 5; i++) stdio.writeFrom(1, small, 0, 16);
    const chunks: [number, number][] = [];
    for (let tag = out.nextTag(); tag >= 0; tag = out.nextTag()) chunks.push([tag, out.readRecords(tag, new Uint8Array(1 << 20), 0)]);
    expect(chunks).toEqual([[1, 16_000], [2, 160], [1, 10_080]]);
  });
});

describe('wakeups', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a write wakes the reader only when the reader had read everything before it', () => {
    const ring = new Ring(createRing(1 << 16));
    const notify = vi.spyOn(Atomics, 'notify');
    const small = randomBytes(16, 4);
    for (let i = 0; i < 100; i++) expect(ring.writeRecord(1, small, 0, 16)).toBe(true);
    expect(ring.tryWrite(small)).toBe(16);
    expect(ring.writeAll([small, small], 32)).toBe(true);
    // Only the first found the reader caught up (it may be waiting); the rest found it behind.
    expect(notify).toHaveBeenCalledTimes(1);
    notify.mockClear();
    drain(ring); // the reader's read wakes a writer that may wait for room
    expect(notify).toHaveBeenCalledTimes(1);
    notify.mockClear();
    expect(ring.writeRecord(2, small, 0, 16)).toBe(true);
    expect(notify).toHaveBeenCalledTimes(1);
  });

  it('writeRecord frames a small record (copied byte by byte) at every position, also across the end', () => {
    const src = randomBytes(64, 6);
    for (const len of [1, 16, 64]) {
      for (let pre = 1024 - len - 8; pre <= 1024; pre++) {
        const ring = new Ring(createRing(1024));
        advance(ring, pre);
        expect(ring.writeRecord(1, src, 64 - len, len)).toBe(true);
        const got = drain(ring);
        expect(Array.from(got.subarray(0, 4))).toEqual([1, len, 0, 0]);
        expect(Buffer.compare(got.subarray(4), src.subarray(64 - len))).toBe(0);
      }
    }
  });

  it('a flood of small records from another thread arrives whole, the reader waiting only when the ring is empty', async () => {
    const ringUrl = new URL('../../main/runtime/ring.ts', import.meta.url).href;
    const buffers = createRing(4096);
    const records = 100_000;
    // The writer pauses now and then, so the reader often catches up and waits between writes.
    const worker = new Worker(`
      const { workerData } = require('node:worker_threads');
      import(workerData.ringUrl).then(({ Ring }) => {
        const ring = new Ring(workerData.buffers);
        const src = new Uint8Array(64).map((_, i) => i * 7);
        let x = 1;
        for (let i = 0; i < workerData.records; i++) {
          x = (x * 1103515245 + 12345) >>> 0;
          if (!ring.writeRecord(1 + ((i >> 8) & 1), src, 0, 1 + (x % 40))) throw new Error('closed');
          if (x % 97 === 0) { const t = Date.now(); while (Date.now() - t < 1); }
        }
        ring.close();
      });`, { eval: true, workerData: { ringUrl, buffers, records } });
    const ring = new Ring(buffers);
    const buf = new Uint8Array(4096);
    let bytes = 0;
    let chunks = 0;
    try {
      for (;;) {
        const seq = ring.writeSeq();
        const tag = ring.nextTag();
        if (tag >= 0) {
          bytes += ring.readRecords(tag, buf, 0);
          chunks++;
          continue;
        }
        if (ring.closed) break;
        await ring.waitWritten(seq);
      }
    } finally {
      await worker.terminate();
    }
    let x = 1;
    let want = 0;
    for (let i = 0; i < records; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      want += 1 + (x % 40);
    }
    expect(bytes).toBe(want);
    expect(chunks).toBeLessThan(records); // consecutive records of a stream arrive joined
  }, 30_000);
});

describe('backpressure across threads', () => {
  const ringUrl = new URL('../../main/runtime/ring.ts', import.meta.url).href;
  const workerCode = `
    const { workerData, parentPort } = require('node:worker_threads');
    import(workerData.ringUrl).then(({ Ring }) => {
      const ring = new Ring(workerData.buffers);
      parentPort.postMessage({ ok: ring.writeBlocking(workerData.data) });
    });`;

  function startWriter(buffers: RingBuffers, data: Uint8Array) {
    const worker = new Worker(workerCode, { eval: true, workerData: { ringUrl, buffers, data } });
    return { worker, done: once(worker, 'message').then(([m]) => m as { ok: boolean }) };
  }

  /** Resolves once the ring is full, woken by the writer (Atomics.waitAsync), not by a timer. */
  async function untilFull(ring: Ring): Promise<void> {
    for (;;) {
      const seq = ring.writeSeq();
      if (ring.free() === 0) return;
      await ring.waitWritten(seq);
    }
  }

  it('a writer blocked on a full ring resumes when the main side reads', async () => {
    const buffers = createRing(1024);
    const ring = new Ring(buffers);
    const data = randomBytes(64 * 1024, 11);
    const { worker, done } = startWriter(buffers, data);
    let finished = false;
    void done.then(() => (finished = true));
    try {
      await untilFull(ring);
      await new Promise((r) => setTimeout(r, 50));
      expect(finished).toBe(false);
      expect(ring.free()).toBe(0);
      const out = new Uint8Array(data.length);
      let got = 0;
      while (got < data.length) {
        const seq = ring.writeSeq();
        const n = ring.tryRead(out.subarray(got, got + 700));
        got += n;
        if (n === 0) await ring.waitWritten(seq);
      }
      expect(await done).toEqual({ ok: true });
      expect(Buffer.compare(out, data)).toBe(0);
    } finally {
      await worker.terminate();
    }
  });

  it('a writer blocked on a full ring gives up when the reader closes it', async () => {
    const buffers = createRing(1024);
    const ring = new Ring(buffers);
    const { worker, done } = startWriter(buffers, randomBytes(4096, 12));
    try {
      await untilFull(ring);
      ring.close();
      expect(await done).toEqual({ ok: false });
    } finally {
      await worker.terminate();
    }
  });
});
