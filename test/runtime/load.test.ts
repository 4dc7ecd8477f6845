/**
 * loadCommand's memory cap (load.ts): the binary is rewritten only when the cap changes something
 * (issue 14.4: rewriting copies the whole module), and the memory a run gets is the same either way.
 */
import { describe, expect, it } from 'vitest';
import { loadCommand } from '../../main/runtime/load.ts';

/** A command exporting `memory` (1 page, maximum `max` pages or none) and an empty `_start`. */
function command(max: number | null): Uint8Array {
  const memory = max === null ? [0x01, 0x00, 0x01] : [0x01, 0x01, 0x01, max];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
    0x03, 0x02, 0x01, 0x00,
    0x05, memory.length, ...memory,
    0x07, 0x13, 0x02, 0x06, ...Buffer.from('memory'), 0x02, 0x00, 0x06, ...Buffer.from('_start'), 0x00, 0x00,
    0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
  ]);
}

/** How many pages the memory of `module` reaches when grown one page at a time up to `upTo` pages. */
function grows(module: WebAssembly.Module, upTo: number): number {
  const memory = new WebAssembly.Instance(module).exports.memory as WebAssembly.Memory;
  for (let pages = 1; pages < upTo; pages++) {
    try {
      memory.grow(1);
    } catch {
      return pages;
    }
  }
  return upTo;
}

describe('loadCommand and the memory cap', () => {
  it('keeps what the module allows when there is no cap, or a cap above its own maximum', async () => {
    expect(grows(await loadCommand(command(null)) as WebAssembly.Module, 100)).toBe(100);
    expect(grows(await loadCommand(command(5)) as WebAssembly.Module, 100)).toBe(5);
    expect(grows(await loadCommand(command(5), 64 * 65536) as WebAssembly.Module, 100)).toBe(5);
  });

  it('caps a memory with no maximum, or with a higher one', async () => {
    expect(grows(await loadCommand(command(null), 3 * 65536) as WebAssembly.Module, 100)).toBe(3);
    expect(grows(await loadCommand(command(50), 3 * 65536) as WebAssembly.Module, 100)).toBe(3);
  });

  it('refuses bad bytes with the same reasons, cap or not', async () => {
    const truncated = command(null).subarray(0, 20);
    const a = await loadCommand(truncated).catch((e: unknown) => e as Error);
    const b = await loadCommand(truncated, 3 * 65536).catch((e: unknown) => e as Error);
    expect(a).toBeInstanceOf(Error);
    expect((a as Error).message).toBe((b as Error).message);
    await expect(loadCommand(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).rejects.toThrow(/magic/);
  });
});
