import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capMemory } from '../../main/runtime/module-limits.ts';
import { encodeU32Leb, readU32Leb, WasmBinaryError, type WasmBinaryCode } from '../../main/wasm/binary.ts';
import { memoryLimits } from '../../main/wasm/memory.ts';
import { customSection as custom, leb, section, str, vec, wasm } from '../helpers/wasm-assembler.ts';
import { FLITE } from '../helpers/paths.ts';


/** Encodes limits: flags 0x00/0x01, or 0x02/0x03 when shared. */
function limits(min: number, max: number | null = null, shared = false): number[] {
  const flags = (max === null ? 0 : 1) | (shared ? 2 : 0);
  return [flags, ...leb(min), ...(max === null ? [] : leb(max))];
}

const I32 = 0x7f;
const TYPE_I32_I32 = section(1, vec([[0x60, 1, I32, 1, I32], [0x60, 0, 0]]));
/** One function of type 0, declared before the memory section as the format's order requires. */
const FUNCS = section(3, vec([[0x00]]));
/** Exports "grow" (func index `first`: memory.grow(delta)) and "mem" (memory 0), then the code. */
function growTail(first: number): number[][] {
  return [
    section(7, vec([[...str('grow'), 0x00, first], [...str('mem'), 0x02, 0x00]])),
    section(10, vec([[6, 0x00, 0x20, 0x00, 0x40, 0x00, 0x0b]])), // local.get 0; memory.grow 0; end
  ];
}
/** A module defining one memory with the given limits bytes. */
const definedMemory = (lim: number[]): Uint8Array =>
  wasm(TYPE_I32_I32, FUNCS, section(5, vec([lim])), ...growTail(0));
/** A module importing env.memory alongside a function, table, global and tag import. */
const importedMemory = (lim: number[]): Uint8Array =>
  wasm(
    TYPE_I32_I32,
    section(2, vec([
      [...str('env'), ...str('f'), 0x00, 0x01],
      [...str('env'), ...str('table'), 0x01, 0x70, ...limits(1, 2)],
      [...str('env'), ...str('memory'), 0x02, ...lim],
      [...str('env'), ...str('g'), 0x03, I32, 0x00],
      [...str('env'), ...str('tag'), 0x04, 0x00, 0x01],
    ])),
    FUNCS,
    ...growTail(1),
  );

/** The WebAssembly JS API, typed here because the project's lib (es2024, no dom) does not declare it. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(delta: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Table: new (descriptor: { element: string; initial: number; maximum?: number }) => object;
  Global: new (descriptor: { value: string; mutable: boolean }, value: number) => object;
  Tag: new (descriptor: { parameters: string[] }) => object;
  LinkError: new () => Error;
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

function codeOf(fn: () => unknown): WasmBinaryCode | 'ok' {
  try {
    fn();
    return 'ok';
  } catch (error) {
    if (error instanceof WasmBinaryError) return error.code;
    throw error;
  }
}

function instantiate(bytes: Uint8Array, imports: object = {}) {
  const instance = new Wasm.Instance(new Wasm.Module(bytes), imports);
  return instance.exports as { grow: (delta: number) => number; mem: WasmMemory };
}

function envFor(memory: WasmMemory): object {
  return {
    env: {
      f: () => {},
      table: new Wasm.Table({ element: 'anyfunc', initial: 1, maximum: 2 }),
      memory,
      g: new Wasm.Global({ value: 'i32', mutable: false }, 0),
      tag: new Wasm.Tag({ parameters: [] }),
    },
  };
}

// --- tests --------------------------------------------------------------------------------------

describe('LEB128 u32 helpers', () => {
  it.each([0, 1, 63, 64, 127, 128, 255, 16383, 16384, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 32 - 1])(
    'round-trips %d minimally',
    (n) => {
      const bytes = encodeU32Leb(n);
      expect([...bytes]).toEqual(leb(n));
      expect(readU32Leb(bytes, 0)).toEqual([n, bytes.length]);
    },
  );

  it('reads at an offset and accepts non-minimal encodings', () => {
    expect(readU32Leb(Uint8Array.of(9, 0x80, 0x80, 0x00), 1)).toEqual([0, 4]);
    expect(readU32Leb(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f), 0)).toEqual([2 ** 32 - 1, 5]);
  });

  it.each([
    ['6 bytes', [0x80, 0x80, 0x80, 0x80, 0x80, 0x00]],
    ['5 bytes with continuation', [0x80, 0x80, 0x80, 0x80, 0x80]],
    ['overflowing 5th byte', [0xff, 0xff, 0xff, 0xff, 0x10]],
    ['truncated', [0x80]],
    ['empty', []],
  ])('rejects %s as malformed', (_label, bytes) => {
    expect(codeOf(() => readU32Leb(Uint8Array.from(bytes), 0))).toBe('malformed');
  });

  it.each([-1, 2 ** 32, 1.5, Number.NaN])('refuses to encode %d', (n) => {
    expect(() => encodeU32Leb(n)).toThrow(RangeError);
  });
});

describe('header checks', () => {
  it.each<[string, number[], WasmBinaryCode]>([
    ['empty input', [], 'not-wasm'],
    ['a text file', [...Buffer.from('#!/bin/sh\necho hi\n')], 'not-wasm'],
    ['an ELF binary', [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 'not-wasm'],
    ['a WASI 0.2 component', [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00], 'component'],
    ['an unknown version', [0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00], 'malformed'],
    ['magic only', [0x00, 0x61, 0x73, 0x6d], 'malformed'],
  ])('%s', (_label, bytes, code) => {
    expect(codeOf(() => capMemory(Uint8Array.from(bytes), 10))).toBe(code);
    expect(codeOf(() => memoryLimits(Uint8Array.from(bytes)))).toBe(code);
  });

  it('says what a component is', () => {
    expect(() => capMemory(Uint8Array.of(0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0), 1)).toThrow(/WASI 0\.2 component|component \(WASI 0\.2\)/);
  });

  it('rejects a bad maxPages argument with RangeError', () => {
    for (const bad of [-1, 1.5, 65537, Number.NaN]) expect(() => capMemory(wasm(), bad)).toThrow(RangeError);
  });
});

describe('memoryLimits', () => {
  it('is null for a module without memory', () => {
    expect(memoryLimits(wasm())).toBeNull();
    expect(memoryLimits(wasm(TYPE_I32_I32, custom('x', [1, 2])))).toBeNull();
  });

  it.each<[number[], { min: number; max: number | null; shared: boolean }]>([
    [limits(1), { min: 1, max: null, shared: false }],
    [limits(2, 300), { min: 2, max: 300, shared: false }],
    [limits(1, 10, true), { min: 1, max: 10, shared: true }],
    [[0x02, 3], { min: 3, max: null, shared: true }],
  ])('reads defined memory limits %j', (lim, expected) => {
    expect(memoryLimits(definedMemory(lim))).toEqual(expected);
  });

  it('reads an imported memory past other import kinds', () => {
    expect(memoryLimits(importedMemory(limits(2, 7)))).toEqual({ min: 2, max: 7, shared: false });
  });

  it('prefers the imported memory (index 0) over a defined one', () => {
    const both = wasm(section(2, vec([[...str('env'), ...str('m'), 0x02, ...limits(4)]])), section(5, vec([limits(1, 2)])));
    expect(memoryLimits(both)).toEqual({ min: 4, max: null, shared: false });
  });
});

describe('capMemory rewrites limits', () => {
  it.each<[string, number[], number, { min: number; max: number | null; shared: boolean }]>([
    ['min only gains the cap', limits(1), 16, { min: 1, max: 16, shared: false }],
    ['a larger max is lowered', limits(1, 65536), 16, { min: 1, max: 16, shared: false }],
    ['a smaller max is kept', limits(1, 5), 16, { min: 1, max: 5, shared: false }],
    ['min equal to the cap is allowed', limits(16), 16, { min: 16, max: 16, shared: false }],
    ['shared keeps the shared bit', limits(1, 100, true), 8, { min: 1, max: 8, shared: true }],
    ['a zero cap with zero min', limits(0), 0, { min: 0, max: 0, shared: false }],
  ])('%s', (_label, lim, cap, expected) => {
    const out = capMemory(definedMemory(lim), cap);
    expect(memoryLimits(out)).toEqual(expected);
    expect(Wasm.validate(out)).toBe(true);
    const imported = capMemory(importedMemory(lim), cap);
    expect(memoryLimits(imported)).toEqual(expected);
    expect(Wasm.validate(imported)).toBe(true);
  });

  it('gives shared-without-max (0x02) a max and keeps it shared', () => {
    const out = capMemory(definedMemory([0x02, 1]), 4);
    expect(memoryLimits(out)).toEqual({ min: 1, max: 4, shared: true });
  });

  it('refuses a minimum above the cap', () => {
    expect(codeOf(() => capMemory(definedMemory(limits(17)), 16))).toBe('memory-over-cap');
    expect(codeOf(() => capMemory(importedMemory(limits(17, 20)), 16))).toBe('memory-over-cap');
    expect(() => capMemory(definedMemory(limits(17)), 16)).toThrow(/17 pages.*16 pages/);
  });

  it('refuses memory64 limits', () => {
    for (const flags of [0x04, 0x05, 0x06, 0x07]) {
      const bytes = definedMemory([flags, 1, ...(flags & 1 ? [2] : [])]);
      expect(codeOf(() => capMemory(bytes, 4))).toBe('malformed');
      expect(() => capMemory(bytes, 4)).toThrow(/memory64 is not supported/);
    }
  });

  it('caps every memory of a multi-memory module', () => {
    const out = capMemory(wasm(section(5, vec([limits(1), limits(2, 100), limits(0, 3)]))), 10);
    expect([...out.subarray(8)]).toEqual(section(5, vec([limits(1, 10), limits(2, 10), limits(0, 3)])));
  });

  it('copies every other section byte for byte, including custom sections', () => {
    const before = custom('before', [1, 2, 3]);
    const after = custom('name', [0xff, 0x00, 0x80]);
    const input = wasm(before, TYPE_I32_I32, FUNCS, section(5, vec([limits(1)])), ...growTail(0), after);
    const expected = wasm(before, TYPE_I32_I32, FUNCS, section(5, vec([limits(1, 9)])), ...growTail(0), after);
    expect(capMemory(input, 9)).toEqual(expected);
  });

  it('leaves a module without memory unchanged, returning a copy', () => {
    const input = wasm(TYPE_I32_I32, custom('c', [7]));
    const out = capMemory(input, 3);
    expect(out).toEqual(input);
    expect(out.buffer).not.toBe(input.buffer);
  });

  it('re-encodes a section size that crosses a LEB byte boundary', () => {
    // 1 (count) + 16 * 7 (function imports) + 14 (memory import) = 127 bytes; adding the max makes 128.
    const functions = Array.from({ length: 16 }, (_, i) => [...str(`m${i % 10}`), ...str('f'), 0x00, 0x00]);
    const imports = section(2, vec([...functions, [...str('env'), ...str('memory'), 0x02, ...limits(1)]]));
    expect(imports.slice(0, 2)).toEqual([2, 127]);
    const out = capMemory(wasm(section(1, vec([[0x60, 0, 0]])), imports), 2);
    expect([...out.subarray(14, 17)]).toEqual([2, 0x80, 0x01]);
    expect(memoryLimits(out)).toEqual({ min: 1, max: 2, shared: false });
    expect(Wasm.validate(out)).toBe(true);
  });
});

describe('the cap holds at run time', () => {
  it('memory.grow fails past the cap and succeeds below it (defined memory)', () => {
    const uncapped = instantiate(definedMemory(limits(1)));
    expect(uncapped.grow(10)).toBe(1);
    const { grow, mem } = instantiate(capMemory(definedMemory(limits(1)), 4));
    expect(grow(1)).toBe(1);
    expect(grow(2)).toBe(2);
    expect(mem.buffer.byteLength).toBe(4 * 65536);
    expect(grow(1)).toBe(-1);
    expect(grow(0)).toBe(4);
    expect(() => mem.grow(1)).toThrow(RangeError);
  });

  it('memory.grow fails past the cap (shared memory)', () => {
    const { grow } = instantiate(capMemory(definedMemory(limits(1, 100, true)), 3));
    expect(grow(2)).toBe(1);
    expect(grow(1)).toBe(-1);
  });

  it('an imported memory must be given with a maximum within the cap', () => {
    const capped = capMemory(importedMemory(limits(1)), 4);
    const memory = new Wasm.Memory({ initial: 1, maximum: 4 });
    const { grow } = instantiate(capped, envFor(memory));
    expect(grow(3)).toBe(1);
    expect(grow(1)).toBe(-1);
    const unbounded = new Wasm.Memory({ initial: 1 });
    expect(() => instantiate(capped, envFor(unbounded))).toThrow(Wasm.LinkError);
  });
});

describe('hostile input never escapes as anything but WasmBinaryError', () => {
  const valid = wasm(custom('c', [1, 2]), TYPE_I32_I32, FUNCS, section(5, vec([limits(1, 3, true)])), ...growTail(0));
  const boundaries = new Set([8]);
  for (let pos = 8; pos < valid.length; ) {
    const [size, next] = readU32Leb(valid, pos + 1);
    pos = next + size;
    boundaries.add(pos);
  }

  it('truncated at every byte offset: refused unless cut at a section boundary', () => {
    for (let cut = 0; cut < valid.length; cut++) {
      const truncated = valid.slice(0, cut);
      const expected = boundaries.has(cut) ? 'ok' : cut < 4 ? 'not-wasm' : 'malformed';
      expect([cut, codeOf(() => capMemory(truncated, 10))]).toEqual([cut, expected]);
      expect([cut, codeOf(() => memoryLimits(truncated))]).toEqual([cut, expected]);
    }
  });

  it.each<[string, number[]]>([
    ['a section size of 2^32-1', [0x0b, 0xff, 0xff, 0xff, 0xff, 0x0f]],
    ['a 6-byte section size', [0x00, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00]],
    ['an overflowing section size', [0x00, 0xff, 0xff, 0xff, 0xff, 0x7f]],
    ['a section id with no size', [0x05]],
    ['a memory count of 2^32-1 in an empty body', section(5, [0xff, 0xff, 0xff, 0xff, 0x0f])],
    ['a 6-byte memory minimum', section(5, [1, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00])],
    ['unknown limits flags', section(5, [1, 0x08, 1])],
    ['trailing bytes in the memory section', section(5, [...vec([limits(1)]), 0x00])],
    ['an import name longer than the section', section(2, [1, 0xff, 0xff, 0x03, 0x61])],
    ['an unknown import kind', section(2, vec([[...str('a'), ...str('b'), 0x09, 0x00]]))],
    ['a typed-reference table with a 6-byte heap type', section(2, vec([[...str('a'), ...str('b'), 0x01, 0x63, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00, 1]]))],
    ['an import count of 2^32-1 in an empty body', section(2, [0xff, 0xff, 0xff, 0xff, 0x0f])],
  ])('%s is malformed', (_label, tail) => {
    const bytes = wasm(tail);
    expect(codeOf(() => capMemory(bytes, 10))).toBe('malformed');
    expect(codeOf(() => memoryLimits(bytes))).toBe('malformed');
  });

  it('survives thousands of random mutations of a valid module', () => {
    let seed = 0x2545f491;
    const random = (n: number): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const base = importedMemory(limits(1, 8, true));
    for (let round = 0; round < 5000; round++) {
      const bytes = base.slice();
      for (let k = 1 + random(4); k > 0; k--) bytes[8 + random(bytes.length - 8)] = random(256);
      const result = codeOf(() => capMemory(bytes, 4));
      expect(['ok', 'malformed', 'memory-over-cap']).toContain(result);
      codeOf(() => memoryLimits(bytes));
    }
  });
});

const flite = FLITE;

describe.skipIf(!existsSync(flite))('a real compiled WASI module (flite)', () => {
  it('is capped and still validates', () => {
    const bytes = new Uint8Array(readFileSync(flite));
    const before = memoryLimits(bytes);
    expect(before).not.toBeNull();
    const cap = before!.min + 16;
    const out = capMemory(bytes, cap);
    expect(memoryLimits(out)).toEqual({ ...before, max: Math.min(before!.max ?? cap, cap) });
    expect(Wasm.validate(out)).toBe(true);
    expect(codeOf(() => capMemory(bytes, before!.min - 1))).toBe('memory-over-cap');
  });
});
