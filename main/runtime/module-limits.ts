/**
 * Per-app memory cap, enforced by rewriting the module (DESIGN §3, "Limits per app").
 *
 * V8 makes `memory.grow` return -1 once a memory would pass its declared maximum, so lowering that
 * maximum in the binary before compiling is all the enforcement needed — no hook on every grow. This
 * module parses only what it must to find memory types: the section list, the import section (id 2)
 * and the memory section (id 5). Everything else is copied byte for byte.
 *
 * Binary format: https://webassembly.github.io/spec/core/binary/modules.html (limits: types.html#limits).
 */

import { CodedError } from '../shared/coded-error.ts';

/** Why a binary was refused. */
export type ModuleLimitCode = 'not-wasm' | 'component' | 'malformed' | 'memory-over-cap';

/**
 * The only exception the parsers in this module throw for bad input: a CodedError with one of
 * ModuleLimitCode, kept as a class of its own so that a reader's caller can tell bad bytes from a
 * bug in one test.
 */
export class ModuleLimitError extends CodedError {
  declare readonly code: ModuleLimitCode;
  constructor(code: ModuleLimitCode, message: string) {
    super(code, message);
    this.name = 'ModuleLimitError';
  }
}

/** Limits of one linear memory, in 64 KiB pages. */
export interface MemoryLimits {
  min: number;
  max: number | null;
  shared: boolean;
}

/** Largest page count a 32-bit memory can have (4 GiB). */
export const MAX_PAGES_32 = 65536;

const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;
const FLAG_HAS_MAX = 0x01;
const FLAG_SHARED = 0x02;
const FLAG_64 = 0x04;

function malformed(message: string): ModuleLimitError {
  return new ModuleLimitError('malformed', `malformed WebAssembly module: ${message}`);
}

/**
 * Decodes an unsigned LEB128 u32 at `offset`. Promises `[value, offsetAfter]` with value in
 * 0..2^32-1, or a 'malformed' ModuleLimitError for a truncated, longer-than-5-byte or overflowing encoding.
 */
export function readU32Leb(bytes: Uint8Array, offset: number): [number, number] {
  let result = 0;
  for (let i = 0; i < 5; i++) {
    const byte = bytes[offset + i];
    if (byte === undefined) throw malformed(`truncated LEB128 at offset ${offset}`);
    if (i === 4 && byte > 0x0f) throw malformed(`LEB128 u32 too long or out of range at offset ${offset}`);
    result += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return [result, offset + i + 1];
  }
  throw malformed(`LEB128 u32 too long at offset ${offset}`);
}

/** Encodes `value` (an integer in 0..2^32-1) as minimal unsigned LEB128; throws RangeError otherwise. */
export function encodeU32Leb(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`not a u32: ${value}`);
  }
  const out: number[] = [];
  let rest = value;
  do {
    const low = rest % 128;
    rest = Math.floor(rest / 128);
    out.push(rest === 0 ? low : low | 0x80);
  } while (rest !== 0);
  return Uint8Array.from(out);
}

/** A cursor over one section's contents; every read is bounds-checked against `end`. */
class Reader {
  readonly bytes: Uint8Array;
  pos: number;
  readonly end: number;
  constructor(bytes: Uint8Array, pos: number, end: number) {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
  }
  u8(): number {
    if (this.pos >= this.end) throw malformed(`unexpected end of section at offset ${this.pos}`);
    return this.bytes[this.pos++]!;
  }
  u32(): number {
    const [value, next] = readU32Leb(this.bytes.subarray(0, this.end), this.pos);
    this.pos = next;
    return value;
  }
  /** Skips a LEB128 of at most `maxBytes` bytes without decoding it (s33, u64). */
  skipLeb(maxBytes: number): void {
    for (let i = 0; i < maxBytes; i++) if ((this.u8() & 0x80) === 0) return;
    throw malformed(`LEB128 too long at offset ${this.pos}`);
  }
  skip(length: number): void {
    if (length > this.end - this.pos) throw malformed(`length ${length} runs past end of section`);
    this.pos += length;
  }
}

/** A memory type found in the module: its limits and the byte range they occupy. */
interface MemorySpan extends MemoryLimits {
  start: number;
  end: number;
}

interface Section {
  id: number;
  start: number;
  contentStart: number;
  end: number;
}

/** Checks the 8-byte preamble and splits the rest into sections. */
function sections(bytes: Uint8Array): Section[] {
  const magic = bytes[0] === 0x00 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
  if (bytes.length < 4 || !magic) throw new ModuleLimitError('not-wasm', 'not a WebAssembly binary (no "\\0asm" magic)');
  if (bytes.length < 8) throw malformed('truncated header');
  if (bytes[6] === 0x01 && bytes[7] === 0x00) {
    throw new ModuleLimitError(
      'component',
      'this is a WebAssembly component (WASI 0.2), not a core module; only WASI preview1 modules can run',
    );
  }
  if (bytes[4] !== 0x01 || bytes[5] !== 0x00 || bytes[6] !== 0x00 || bytes[7] !== 0x00) {
    throw malformed('unsupported binary version');
  }
  const list: Section[] = [];
  let pos = 8;
  while (pos < bytes.length) {
    const start = pos;
    const id = bytes[pos]!;
    const [size, contentStart] = readU32Leb(bytes, pos + 1);
    if (size > bytes.length - contentStart) throw malformed(`section ${id} at offset ${start} runs past end of module`);
    pos = contentStart + size;
    list.push({ id, start, contentStart, end: pos });
  }
  return list;
}

/** Reads a limits structure. Memory limits must be 32-bit; table limits may be 64-bit and are only skipped. */
function readLimits(r: Reader, isMemory: boolean): MemorySpan {
  const start = r.pos;
  const flags = r.u8();
  if (isMemory && flags & FLAG_64) throw malformed('memory64 is not supported');
  if (flags > 0x07) throw malformed(`unknown limits flags 0x${flags.toString(16)}`);
  if (flags & FLAG_64) {
    r.skipLeb(10);
    if (flags & FLAG_HAS_MAX) r.skipLeb(10);
    return { min: 0, max: null, shared: false, start, end: r.pos };
  }
  const min = r.u32();
  const max = flags & FLAG_HAS_MAX ? r.u32() : null;
  return { min, max, shared: (flags & FLAG_SHARED) !== 0, start, end: r.pos };
}

/** Skips a value or reference type; typed references (0x63/0x64) carry an s33 heap type. */
function skipValType(r: Reader): void {
  const byte = r.u8();
  if (byte === 0x63 || byte === 0x64) r.skipLeb(5);
}

/** Lists the memory types in an import (2) or memory (5) section, checking it is well formed. */
function memorySpans(bytes: Uint8Array, section: Section): MemorySpan[] {
  const r = new Reader(bytes, section.contentStart, section.end);
  const spans: MemorySpan[] = [];
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    if (section.id === SECTION_MEMORY) {
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

function isMemoryBearing(section: Section): boolean {
  return section.id === SECTION_IMPORT || section.id === SECTION_MEMORY;
}

/**
 * Returns a new binary in which every imported and defined 32-bit memory has a maximum of at most
 * `maxPages` (keeping a lower existing maximum and the shared flag); all other bytes are unchanged.
 * Throws ModuleLimitError — and nothing else for any input bytes — when the binary is not wasm, is a
 * component, is malformed, or declares a memory whose minimum already exceeds `maxPages`.
 * Throws RangeError if `maxPages` is not an integer in 0..65536.
 */
export function capMemory(bytes: Uint8Array, maxPages: number): Uint8Array {
  if (!Number.isInteger(maxPages) || maxPages < 0 || maxPages > MAX_PAGES_32) {
    throw new RangeError(`maxPages must be an integer in 0..${MAX_PAGES_32}, got ${maxPages}`);
  }
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  for (const section of sections(bytes)) {
    if (!isMemoryBearing(section)) {
      parts.push(bytes.subarray(section.start, section.end));
      continue;
    }
    const body: Uint8Array[] = [];
    let from = section.contentStart;
    for (const span of memorySpans(bytes, section)) {
      if (span.min > maxPages) {
        throw new ModuleLimitError(
          'memory-over-cap',
          `the module needs at least ${span.min} pages of memory (${span.min * 64} KiB), more than the cap of ${maxPages} pages`,
        );
      }
      const max = span.max === null ? maxPages : Math.min(span.max, maxPages);
      const flags = FLAG_HAS_MAX | (span.shared ? FLAG_SHARED : 0);
      body.push(bytes.subarray(from, span.start), Uint8Array.of(flags), encodeU32Leb(span.min), encodeU32Leb(max));
      from = span.end;
    }
    body.push(bytes.subarray(from, section.end));
    const size = body.reduce((n, b) => n + b.length, 0);
    if (size > 0xffffffff) throw malformed(`section ${section.id} too large`);
    parts.push(Uint8Array.of(section.id), encodeU32Leb(size), ...body);
  }
  return concat(parts);
}

/**
 * Returns the limits of the module's first memory (memory index 0: imported if any, else defined),
 * or null if it has none. Throws ModuleLimitError, and nothing else, for a binary it cannot read.
 */
export function memoryLimits(bytes: Uint8Array): MemoryLimits | null {
  for (const section of sections(bytes)) {
    if (!isMemoryBearing(section)) continue;
    const first = memorySpans(bytes, section)[0];
    if (first !== undefined) return { min: first.min, max: first.max, shared: first.shared };
  }
  return null;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
