/**
 * The memory types of a module: the limits of every imported (section 2) and defined (section 5)
 * memory and the bytes they occupy, so the library can show what a module asks for and the runtime
 * can lower its maximum (runtime/module-limits.ts). Nothing else of the module is decoded.
 *
 * Binary format: https://webassembly.github.io/spec/core/binary/modules.html (limits: types.html#limits).
 */
import { Reader, type Section, SectionId, malformed, sections } from './binary.ts';

/** Limits of one linear memory, in 64 KiB pages. */
export interface MemoryLimits {
  min: number;
  max: number | null;
  shared: boolean;
}

/** Bytes in one page of linear memory (64 KiB). */
export const PAGE_BYTES = 65536;

/** Largest page count a 32-bit memory can have (4 GiB). */
export const MAX_PAGES_32 = 65536;

/** Limits flags: a maximum follows, the memory is shared, it is 64-bit. */
export const LimitsFlag = { hasMax: 0x01, shared: 0x02, is64: 0x04 } as const;

/** A memory type found in the module: its limits and the byte range they occupy. */
export interface MemorySpan extends MemoryLimits {
  start: number;
  end: number;
}

/** Reads a limits structure. Memory limits must be 32-bit; table limits may be 64-bit and are only skipped. */
function readLimits(r: Reader, isMemory: boolean): MemorySpan {
  const start = r.pos;
  const flags = r.u8();
  if (isMemory && flags & LimitsFlag.is64) throw malformed('memory64 is not supported');
  if (flags > 0x07) throw malformed(`unknown limits flags 0x${flags.toString(16)}`);
  if (flags & LimitsFlag.is64) {
    r.skipLeb(10);
    if (flags & LimitsFlag.hasMax) r.skipLeb(10);
    return { min: 0, max: null, shared: false, start, end: r.pos };
  }
  const min = r.u32();
  const max = flags & LimitsFlag.hasMax ? r.u32() : null;
  return { min, max, shared: (flags & LimitsFlag.shared) !== 0, start, end: r.pos };
}

/** Skips a value or reference type; typed references (0x63/0x64) carry an s33 heap type. */
function skipValType(r: Reader): void {
  const byte = r.u8();
  if (byte === 0x63 || byte === 0x64) r.skipLeb(5);
}

/** True for the sections that can hold memory types (import and memory). */
export function isMemoryBearing(section: Section): boolean {
  return section.id === SectionId.import || section.id === SectionId.memory;
}

/** Lists the memory types in an import (2) or memory (5) section, checking it is well formed. */
export function memorySpans(bytes: Uint8Array, section: Section): MemorySpan[] {
  const r = new Reader(bytes, section.contentStart, section.end);
  const spans: MemorySpan[] = [];
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    if (section.id === SectionId.memory) {
      spans.push(readLimits(r, true));
      continue;
    }
    r.skip(r.u32()); // module name
    r.skip(r.u32()); // field name
    const kind = r.u8();
    if (kind === 0x00) r.u32(); // function: type index
    else if (kind === 0x01) { skipValType(r); readLimits(r, false); } // table
    else if (kind === 0x02) spans.push(readLimits(r, true)); // memory
    else if (kind === 0x03) { skipValType(r); r.u8(); } // global: type, mutability
    else if (kind === 0x04) { r.u8(); r.u32(); } // tag: attribute, type index
    else throw malformed(`unknown import kind 0x${kind.toString(16)}`);
  }
  if (r.pos !== r.end) throw malformed(`section ${section.id} has ${r.end - r.pos} trailing bytes`);
  return spans;
}

/**
 * Returns the limits of the module's first memory (memory index 0: imported if any, else defined),
 * or null if it has none. Throws WasmBinaryError, and nothing else, for a binary it cannot read.
 */
export function memoryLimits(bytes: Uint8Array): MemoryLimits | null {
  for (const section of sections(bytes)) {
    if (!isMemoryBearing(section)) continue;
    const first = memorySpans(bytes, section)[0];
    if (first !== undefined) return { min: first.min, max: first.max, shared: first.shared };
  }
  return null;
}
