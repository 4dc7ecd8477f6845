/**
 * The run's reused output buffers (main/runtime/output-pool.ts): a buffer lent to a consumer comes
 * back for reuse only once every hold taken on it is let go, never while one is held.
 */
import { describe, expect, it } from 'vitest';
import { OutputPool, holdOutput, isPooledOutput } from '../../main/runtime/output-pool.ts';

describe('OutputPool', () => {
  it('reuses a buffer nobody held, and makes a new one while a hold is kept', () => {
    const pool = new OutputPool(16);
    const a = pool.take();
    pool.lend(a, 4, (data) => {
      expect(data.length).toBe(4);
      expect(isPooledOutput(data)).toBe(true);
    });
    expect(isPooledOutput(a)).toBe(false); // back in the pool
    const b = pool.take();
    expect(b.buffer).toBe(a.buffer);
    let release = (): void => undefined;
    pool.lend(b, 8, (data) => {
      release = holdOutput(data);
    });
    expect(pool.take().buffer).not.toBe(b.buffer); // still held: a new one
    expect(pool.made).toBe(2);
    release();
    release(); // once only
    const c = pool.take();
    expect(c.buffer).toBe(b.buffer);
    expect(pool.take().buffer).not.toBe(b.buffer); // given back once, not twice
  });

  it('waits for every hold, taken by several consumers', () => {
    const pool = new OutputPool(16);
    const a = pool.take();
    const holds: (() => void)[] = [];
    pool.lend(a, 16, (data) => {
      holds.push(holdOutput(data), holdOutput(data.subarray(3)));
    });
    holds[0]!();
    expect(pool.take().buffer).not.toBe(a.buffer);
    holds[1]!();
    expect(pool.take().buffer).toBe(a.buffer);
  });

  it('keeps at most `keep` free buffers, and holds on anything else do nothing', () => {
    const pool = new OutputPool(16, 1);
    const a = pool.take();
    const b = pool.take();
    pool.lend(a, 1, () => undefined);
    pool.lend(b, 1, () => undefined);
    expect(pool.take().buffer).toBe(a.buffer);
    expect(pool.take().buffer).not.toBe(b.buffer); // b was let go, not kept
    const plain = new Uint8Array(4);
    expect(isPooledOutput(plain)).toBe(false);
    holdOutput(plain)();
    // A stale view of a buffer already back in the pool cannot hold it (or give it back twice).
    const d = pool.take();
    pool.lend(d, 1, () => undefined);
    holdOutput(d)();
    expect(pool.take().buffer).toBe(d.buffer);
    expect(pool.take().buffer).not.toBe(d.buffer);
  });
});
