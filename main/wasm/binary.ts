/**
 * Reading a WebAssembly binary: the one LEB128 decoder, cursor and section splitter that the
 * library's inspection (library/inspect.ts) and the runtime's loader (runtime/load.ts,
 * runtime/module-limits.ts) share. Every read is bounds-checked; bad input throws WasmBinaryError
 * and nothing else.
 *
 * Binary format: https://webassembly.github.io/spec/core/binary/modules.html (values.html for LEB128).
 */
import { CodedError } from '../shared/coded-error.ts';

/** Why a binary was refused. */
export type WasmBinaryCode = 'not-wasm' | 'component' | 'malformed' | 'memory-over-cap';

/** The only exception the readers in main/wasm/ (and the memory cap) throw for bad input. */
export class WasmBinaryError extends CodedError {
  declare readonly code: WasmBinaryCode;
  constructor(code: WasmBinaryCode, message: string) {
    super(code, message);
    this.name = 'WasmBinaryError';
  }
}

/** What a binary is, as its errors name it: a core module or a component. */
export type BinaryLayer = 'module' | 'component';

/** A 'malformed' WasmBinaryError with the usual prefix (naming a module, or a component). */
export function malformed(message: string, layer: BinaryLayer = 'module'): WasmBinaryError {
  return new WasmBinaryError('malformed', `malformed WebAssembly ${layer}: ${message}`);
}

/**
 * Decodes an unsigned LEB128 u32 at `offset`. Promises `[value, offsetAfter]` with value in
 * 0..2^32-1, or a 'malformed' WasmBinaryError for a truncated, longer-than-5-byte or overflowing encoding.
 */
export function readU32Leb(bytes: Uint8Array, offset: number, layer: BinaryLayer = 'module'): [number, number] {
  let result = 0;
  for (let i = 0; i < 5; i++) {
    const byte = bytes[offset + i];
    if (byte === undefined) throw malformed(`truncated LEB128 at offset ${offset}`, layer);
    if (i === 4 && byte > 0x0f) throw malformed(`LEB128 u32 too long or out of range at offset ${offset}`, layer);
    result += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return [result, offset + i + 1];
  }
  throw malformed(`LEB128 u32 too long at offset ${offset}`, layer);
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

/**
 * A cursor over one section's contents (or any byte range), the one both readers use (core modules
 * here, components in component.ts); every read is bounds-checked against `end`, and every refusal
 * is a 'malformed' WasmBinaryError naming `layer`.
 */
export class Reader {
  readonly bytes: Uint8Array;
  pos: number;
  readonly end: number;
  readonly layer: BinaryLayer;
  constructor(bytes: Uint8Array, pos: number, end: number, layer: BinaryLayer = 'module') {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
    this.layer = layer;
  }
  /** A 'malformed' error naming this reader's layer. */
  malformed(message: string): WasmBinaryError {
    return malformed(message, this.layer);
  }
  /** One byte. */
  u8(): number {
    if (this.pos >= this.end) throw this.malformed(`unexpected end of section at offset ${this.pos}`);
    return this.bytes[this.pos++]!;
  }
  /** The next byte, not consumed. */
  peek(): number {
    const b = this.u8();
    this.pos--;
    return b;
  }
  /** An unsigned LEB128 u32. */
  u32(): number {
    const [value, next] = readU32Leb(this.bytes.subarray(0, this.end), this.pos, this.layer);
    this.pos = next;
    return value;
  }
  /** Skips a LEB128 of at most `maxBytes` bytes without decoding it (s33, u64). */
  skipLeb(maxBytes: number): void {
    for (let i = 0; i < maxBytes; i++) if ((this.u8() & 0x80) === 0) return;
    throw this.malformed(`LEB128 too long at offset ${this.pos}`);
  }
  /** Skips `length` bytes. */
  skip(length: number): void {
    if (length > this.end - this.pos) throw this.malformed(`length ${length} runs past end of section`);
    this.pos += length;
  }
  /** A name (a length-prefixed UTF-8 string); `fatal` refuses invalid UTF-8 as malformed. */
  name(fatal = false): string {
    const n = this.u32();
    if (n > this.end - this.pos) throw this.malformed(`a name runs past its section at offset ${this.pos}`);
    let s: string;
    try {
      s = new TextDecoder('utf-8', { fatal }).decode(this.bytes.subarray(this.pos, this.pos + n));
    } catch {
      throw this.malformed(`a name that is not UTF-8 at offset ${this.pos}`);
    }
    this.pos += n;
    return s;
  }
}

/** One section of a module: its id, where it starts, where its contents start, and its end. */
export interface Section {
  id: number;
  start: number;
  contentStart: number;
  end: number;
}

/** Section ids this project reads. */
export const SectionId = { custom: 0, type: 1, import: 2, memory: 5 } as const;

/** Checks the 8-byte preamble of a core module and splits the rest into sections. */
export function sections(bytes: Uint8Array): Section[] {
  const magic = bytes[0] === 0x00 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
  if (bytes.length < 4 || !magic) throw new WasmBinaryError('not-wasm', 'not a WebAssembly binary (no "\\0asm" magic)');
  if (bytes.length < 8) throw malformed('truncated header');
  if (bytes[6] === 0x01 && bytes[7] === 0x00) {
    throw new WasmBinaryError(
      'component',
      'this is a WebAssembly component (WASI 0.2), not a core module; only WASI preview1 modules can run',
    );
  }
  if (bytes[4] !== 0x01 || bytes[5] !== 0x00 || bytes[6] !== 0x00 || bytes[7] !== 0x00) {
    throw malformed('unsupported binary version');
  }
  return splitSections(bytes, 'module');
}

/**
 * Splits what follows an 8-byte preamble (checked by the caller) into sections: a core module's and
 * a component's are laid out alike (an id byte, a LEB128 size, the contents).
 */
export function splitSections(bytes: Uint8Array, layer: BinaryLayer): Section[] {
  const list: Section[] = [];
  let pos = 8;
  while (pos < bytes.length) {
    const start = pos;
    const id = bytes[pos]!;
    const [size, contentStart] = readU32Leb(bytes, pos + 1, layer);
    if (size > bytes.length - contentStart) throw malformed(`section ${id} at offset ${start} runs past end of ${layer}`, layer);
    pos = contentStart + size;
    list.push({ id, start, contentStart, end: pos });
  }
  return list;
}
