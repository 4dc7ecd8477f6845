/**
 * The function types of a module's imports, read from its type section (id 1) and import section
 * (id 2), for checking them against the WASI signatures before the module is instantiated
 * (V8 reports imports without their types).
 *
 * Binary format: https://webassembly.github.io/spec/core/binary/modules.html and types.html,
 * including the GC proposal's recursive and sub types, so modules from GC languages parse too.
 */
import { ModuleLimitError, readU32Leb } from './module-limits.ts';

/** One function import and its type as "params->results" (e.g. "i32,i64->i32"). */
export interface FunctionImport {
  module: string;
  name: string;
  type: string;
}

const VALTYPES: Readonly<Record<number, string>> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128' };

function malformed(message: string): ModuleLimitError {
  return new ModuleLimitError('malformed', `malformed WebAssembly module: ${message}`);
}

/** A cursor over the binary; every read is bounds-checked. */
class Reader {
  private readonly bytes: Uint8Array;
  private readonly end: number;
  pos: number;

  constructor(bytes: Uint8Array, pos: number, end: number) {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
  }

  byte(): number {
    if (this.pos >= this.end) throw malformed('a section ends early');
    return this.bytes[this.pos++]!;
  }

  peek(): number {
    const b = this.byte();
    this.pos--;
    return b;
  }

  u32(): number {
    const [v, next] = readU32Leb(this.bytes, this.pos);
    if (next > this.end) throw malformed('a section ends early');
    this.pos = next;
    return v;
  }

  /** Skips a signed LEB128 of at most 10 bytes (heap type indices are s33). */
  sleb(): void {
    for (let i = 0; i < 10; i++) if ((this.byte() & 0x80) === 0) return;
    throw malformed('LEB128 too long');
  }

  name(): string {
    const n = this.u32();
    if (this.pos + n > this.end) throw malformed('a name runs past its section');
    const s = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }

  /** A value type: a number/vector type by name, a reference type as "ref". */
  valtype(): string {
    const b = this.byte();
    const named = VALTYPES[b];
    if (named !== undefined) return named;
    if (b === 0x63 || b === 0x64) this.sleb(); // (ref null? heaptype)
    else if (b < 0x69 || b > 0x74) throw malformed(`unknown value type 0x${b.toString(16)}`);
    return 'ref';
  }
}

/** Reads one composite type; a function type gives its signature, others null. */
function compositeType(r: Reader, form: number): string | null {
  if (form === 0x60) {
    const params = Array.from({ length: r.u32() }, () => r.valtype());
    const results = Array.from({ length: r.u32() }, () => r.valtype());
    return `${params.join(',')}->${results.join(',')}`;
  }
  const fields = form === 0x5f ? r.u32() : form === 0x5e ? 1 : -1;
  if (fields < 0) throw malformed(`unknown type form 0x${form.toString(16)}`);
  for (let i = 0; i < fields; i++) {
    const b = r.peek();
    if (b === 0x78 || b === 0x77) r.byte(); // packed i8 / i16
    else r.valtype();
    r.byte(); // mutability
  }
  return null;
}

/** Reads one sub type (possibly inside a recursion group). */
function subType(r: Reader, types: (string | null)[]): void {
  let form = r.byte();
  if (form === 0x50 || form === 0x4f) {
    const supers = r.u32();
    for (let i = 0; i < supers; i++) r.u32();
    form = r.byte();
  }
  types.push(compositeType(r, form));
}

function typeSection(r: Reader): (string | null)[] {
  const types: (string | null)[] = [];
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    if (r.peek() === 0x4e) {
      r.byte();
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
 * refused by the loader before this is asked.
 */
export function functionImports(bytes: Uint8Array): FunctionImport[] {
  let types: (string | null)[] = [];
  const out: FunctionImport[] = [];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos]!;
    const [size, start] = readU32Leb(bytes, pos + 1);
    const end = start + size;
    if (end > bytes.length) throw malformed('a section runs past the end');
    const r = new Reader(bytes, start, end);
    if (id === 1) types = typeSection(r);
    else if (id === 2) {
      const count = r.u32();
      for (let i = 0; i < count; i++) {
        const module = r.name();
        const name = r.name();
        const kind = r.byte();
        if (kind !== 0x00) return out;
        const index = r.u32();
        const type = types[index];
        if (type === undefined || type === null) throw malformed(`import ${module}.${name} names type ${index}, which is not a function type`);
        out.push({ module, name, type });
      }
      return out;
    }
    pos = end;
  }
  return out;
}
