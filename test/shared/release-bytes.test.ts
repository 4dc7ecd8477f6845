/**
 * releaseBytes (warm-runs.md round 9): a large read of its own is freed at once; anything sharing
 * its buffer (Node's pool, a slice of a larger buffer) is left alone.
 */
import { describe, expect, it } from 'vitest';
import { releaseBytes } from '../../main/shared/release-bytes.ts';

describe('releaseBytes', () => {
  it('frees a buffer of its own at once (no garbage collection needed)', () => {
    const before = process.memoryUsage().arrayBuffers;
    const read = Buffer.allocUnsafe(8 * 1024 * 1024).fill(1);
    expect(process.memoryUsage().arrayBuffers - before).toBeGreaterThanOrEqual(8 * 1024 * 1024);
    releaseBytes(read);
    expect(read.byteLength).toBe(0);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1024 * 1024);
  });

  it('leaves alone bytes that share their buffer: a slice of Node\'s pool, part of a larger buffer, a small read', () => {
    const pooled = Buffer.from('pooled bytes');
    const neighbour = Buffer.from('its neighbour in the pool');
    releaseBytes(pooled);
    expect(pooled.toString()).toBe('pooled bytes');
    expect(neighbour.toString()).toBe('its neighbour in the pool');

    const whole = Buffer.alloc(256 * 1024, 7);
    const part = whole.subarray(0, 128 * 1024);
    releaseBytes(part);
    expect(whole.byteLength).toBe(256 * 1024);
    expect(part[0]).toBe(7);

    const small = new Uint8Array(1024).fill(3);
    releaseBytes(small);
    expect(small.byteLength).toBe(1024);
  });
});
