/**
 * The function types of a module's imports, read from its type section (id 1) and import section
 * (id 2), for checking them against the WASI signatures before the module is instantiated
 * (V8 reports imports without their types).
 *
 * Binary format: https://webassembly.github.io/spec/core/binary/modules.html and types.html,
 * including the GC proposal's recursive and sub types, so modules from GC languages parse too.
 */
import { Reader, SectionId, malformed, sections } from './binary.ts';

/** One function import and its type as "params->results" (e.g. "i32,i64->i32"). */
export interface FunctionImport {
  module: string;
  name: string;
  type: string;
}

const VALTYPES: Readonly<Record<number, string>> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128' };

/** A value type: a number/vector type by name, a reference type as "ref". */
function valtype(r: Reader): string {
  const b = r.u8();
  const named = VALTYPES[b];
  if (named !== undefined) return named;
  if (b === 0x63 || b === 0x64) r.skipLeb(10); // (ref null? heaptype), an s33
  else if (b < 0x69 || b > 0x74) throw malformed(`unknown value type 0x${b.toString(16)}`);
  return 'ref';
}

/** Reads one composite type; a function type gives its signature, others null. */
function compositeType(r: Reader, form: number): string | null {
  if (form === 0x60) {
    const params = Array.from({ length: r.u32() }, () => valtype(r));
    const results = Array.from({ length: r.u32() }, () => valtype(r));
    return `${params.join(',')}->${results.join(',')}`;
  }
  const fields = form === 0x5f ? r.u32() : form === 0x5e ? 1 : -1;
  if (fields < 0) throw malformed(`unknown type form 0x${form.toString(16)}`);
  for (let i = 0; i < fields; i++) {
    const b = r.peek();
    if (b === 0x78 || b === 0x77) r.u8(); // packed i8 / i16
    else valtype(r);
    r.u8(); // mutability
  }
  return null;
}

/** Reads one sub type (possibly inside a recursion group). */
function subType(r: Reader, types: (string | null)[]): void {
  let form = r.u8();
  if (form === 0x50 || form === 0x4f) {
    const supers = r.u32();
    for (let i = 0; i < supers; i++) r.u32();
    form = r.u8();
  }
  types.push(compositeType(r, form));
}

function typeSection(r: Reader): (string | null)[] {
  const types: (string | null)[] = [];
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    if (r.peek() === 0x4e) {
      r.u8();
      const n = r.u32();
      for (let j = 0; j < n; j++) subType(r, types);
    } else {
      subType(r, types);
    }
  }
  return types;
}

/**
 * The function imports of `bytes` with their types. Non-function imports are skipped only when
 * they come after every function import could be read; a module with any other import kind is
 * refused by the loader before this is asked. Throws WasmBinaryError for a binary it cannot read.
 */
export function functionImports(bytes: Uint8Array): FunctionImport[] {
  let types: (string | null)[] = [];
  const out: FunctionImport[] = [];
  for (const section of sections(bytes)) {
    const r = new Reader(bytes, section.contentStart, section.end);
    if (section.id === SectionId.type) types = typeSection(r);
    else if (section.id === SectionId.import) {
      const count = r.u32();
      for (let i = 0; i < count; i++) {
        const module = r.name();
        const name = r.name();
        const kind = r.u8();
        if (kind !== 0x00) return out;
        const index = r.u32();
        const type = types[index];
        if (type === undefined || type === null) throw malformed(`import ${module}.${name} names type ${index}, which is not a function type`);
        out.push({ module, name, type });
      }
      return out;
    }
  }
  return out;
}
