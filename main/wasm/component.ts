/**
 * Reading a WebAssembly component's binary without running it (issue 15): the header's layer field
 * tells a component from a core module, and the top-level import and export sections name the
 * WASI 0.2 interfaces it uses and offers. Only what inspection and the fast path need is parsed:
 * section list, import names (section 10), export names (section 11), and core module 0 (section 1),
 * which a component built by the preview1 adapter carries unchanged.
 *
 * Binary format: https://github.com/WebAssembly/component-model/blob/main/design/mvp/Binary.md
 */
import { WasmBinaryError, readU32Leb } from './binary.ts';

const SECTION_CORE_MODULE = 1;
const SECTION_IMPORT = 10;
const SECTION_EXPORT = 11;

/** What the binary is, by its 8-byte header. */
export type BinaryKind = 'module' | 'component' | 'not-wasm' | 'unknown';

/** Reads the preamble: `\0asm`, then version 1 layer 0 (core module) or layer 1 (component). */
export function binaryKind(bytes: Uint8Array): BinaryKind {
  if (bytes.length < 8 || bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) return 'not-wasm';
  if (bytes[6] === 0x01 && bytes[7] === 0x00) return 'component';
  if (bytes[4] === 0x01 && bytes[5] === 0x00 && bytes[6] === 0x00 && bytes[7] === 0x00) return 'module';
  return 'unknown';
}

/** The top-level names of a component, and the byte range of its first core module. */
export interface ComponentOutline {
  /** Imported names in order, e.g. `wasi:filesystem/types@0.2.0`. */
  imports: string[];
  /** Exported names in order, e.g. `wasi:cli/run@0.2.0`. */
  exports: string[];
  /** Core module 0 (the program itself in an adapter-built component), or null if it has none. */
  coreModule0: { start: number; end: number } | null;
  /** How many core modules the component embeds at its top level. */
  coreModules: number;
}

function malformed(message: string): WasmBinaryError {
  return new WasmBinaryError('malformed', `malformed WebAssembly component: ${message}`);
}

/** A cursor bounded by the end of one section. */
class Cursor {
  readonly b: Uint8Array;
  pos: number;
  readonly end: number;

  constructor(b: Uint8Array, pos: number, end: number) {
    this.b = b;
    this.pos = pos;
    this.end = end;
  }

  u32(): number {
    const [v, p] = readU32Leb(this.b, this.pos);
    if (p > this.end) throw malformed(`number runs past its section at offset ${this.pos}`);
    this.pos = p;
    return v;
  }

  byte(): number {
    if (this.pos >= this.end) throw malformed(`section ends early at offset ${this.pos}`);
    return this.b[this.pos++]!;
  }

  string(): string {
    const len = this.u32();
    if (len > this.end - this.pos) throw malformed(`name runs past its section at offset ${this.pos}`);
    let s: string;
    try {
      s = new TextDecoder('utf-8', { fatal: true }).decode(this.b.subarray(this.pos, this.pos + len));
    } catch {
      throw malformed(`a name that is not UTF-8 at offset ${this.pos}`);
    }
    this.pos += len;
    return s;
  }

  /** A signed LEB128 of at most 5 bytes (s33 value types), value unused. */
  skipSleb(): void {
    for (let i = 0; i < 5; i++) if ((this.byte() & 0x80) === 0) return;
    throw malformed(`LEB128 too long at offset ${this.pos}`);
  }

  /** `importname'` / `exportname'`: 0x00 name, or 0x01 name plus a version suffix. */
  externName(): string {
    const tag = this.byte();
    if (tag !== 0x00 && tag !== 0x01) throw malformed(`unknown name encoding 0x${tag.toString(16)}`);
    const name = this.string();
    if (tag === 0x01) this.string();
    return name;
  }

  /** `externdesc`: what kind of item is imported, and its type index or bound. */
  externDesc(): void {
    const sort = this.byte();
    if (sort === 0x00) {
      if (this.byte() !== 0x11) throw malformed('core import that is not a module');
      this.u32();
    } else if (sort === 0x01 || sort === 0x04 || sort === 0x05) this.u32();
    else if (sort === 0x02) {
      if (this.byte() === 0x00) this.u32();
      else this.skipSleb();
    } else if (sort === 0x03) {
      if (this.byte() === 0x00) this.u32();
    } else throw malformed(`unknown extern kind 0x${sort.toString(16)}`);
  }
}

/** Parses a component's outline; throws a 'malformed' WasmBinaryError on bad input. */
export function componentOutline(bytes: Uint8Array): ComponentOutline {
  if (binaryKind(bytes) !== 'component') throw malformed('not a component header');
  const out: ComponentOutline = { imports: [], exports: [], coreModule0: null, coreModules: 0 };
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos]!;
    const [size, start] = readU32Leb(bytes, pos + 1);
    if (size > bytes.length - start) throw malformed(`section ${id} at offset ${pos} runs past the end`);
    const end = start + size;
    if (id === SECTION_CORE_MODULE) {
      out.coreModule0 ??= { start, end };
      out.coreModules++;
    } else if (id === SECTION_IMPORT) {
      const c = new Cursor(bytes, start, end);
      for (let n = c.u32(); n > 0; n--) {
        out.imports.push(c.externName());
        c.externDesc();
      }
    } else if (id === SECTION_EXPORT) {
      const c = new Cursor(bytes, start, end);
      for (let n = c.u32(); n > 0; n--) {
        out.exports.push(c.externName());
        if (c.byte() === 0x00) c.byte(); // sort: core sorts carry a second byte
        c.u32(); // index
        if (c.byte() === 0x01) c.externDesc();
      }
    }
    pos = end;
  }
  return out;
}
