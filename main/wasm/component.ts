/**
 * Reading a WebAssembly component's binary without running it (issue 15): the header's layer field
 * tells a component from a core module, and the top-level import and export sections name the
 * WASI 0.2 interfaces it uses and offers. Only what inspection and the fast path need is parsed:
 * section list, import names (section 10), export names (section 11), and core module 0 (section 1),
 * which a component built by the preview1 adapter carries unchanged.
 *
 * Binary format: https://github.com/WebAssembly/component-model/blob/main/design/mvp/Binary.md
 */
import { Reader, malformed, splitSections } from './binary.ts';

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

/** `importname'` / `exportname'`: 0x00 name, or 0x01 name plus a version suffix. */
function externName(r: Reader): string {
  const tag = r.u8();
  if (tag !== 0x00 && tag !== 0x01) throw r.malformed(`unknown name encoding 0x${tag.toString(16)}`);
  const name = r.name(true);
  if (tag === 0x01) r.name(true);
  return name;
}

/** `externdesc`: what kind of item is imported, and its type index or bound (skipped). */
function externDesc(r: Reader): void {
  const sort = r.u8();
  if (sort === 0x00) {
    if (r.u8() !== 0x11) throw r.malformed('core import that is not a module');
    r.u32();
  } else if (sort === 0x01 || sort === 0x04 || sort === 0x05) r.u32();
  else if (sort === 0x02) {
    if (r.u8() === 0x00) r.u32();
    else r.skipLeb(5); // an s33 value type
  } else if (sort === 0x03) {
    if (r.u8() === 0x00) r.u32();
  } else throw r.malformed(`unknown extern kind 0x${sort.toString(16)}`);
}

/** Parses a component's outline; throws a 'malformed' WasmBinaryError on bad input. */
export function componentOutline(bytes: Uint8Array): ComponentOutline {
  if (binaryKind(bytes) !== 'component') throw malformed('not a component header', 'component');
  const out: ComponentOutline = { imports: [], exports: [], coreModule0: null, coreModules: 0 };
  for (const { id, contentStart: start, end } of splitSections(bytes, 'component')) {
    if (id === SECTION_CORE_MODULE) {
      out.coreModule0 ??= { start, end };
      out.coreModules++;
    } else if (id === SECTION_IMPORT) {
      const r = new Reader(bytes, start, end, 'component');
      for (let n = r.u32(); n > 0; n--) {
        out.imports.push(externName(r));
        externDesc(r);
      }
    } else if (id === SECTION_EXPORT) {
      const r = new Reader(bytes, start, end, 'component');
      for (let n = r.u32(); n > 0; n--) {
        out.exports.push(externName(r));
        if (r.u8() === 0x00) r.u8(); // sort: core sorts carry a second byte
        r.u32(); // index
        if (r.u8() === 0x01) externDesc(r);
      }
    }
  }
  return out;
}
