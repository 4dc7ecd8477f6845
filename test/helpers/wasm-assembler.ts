/**
 * A tiny WebAssembly assembler for hand-made modules and bad inputs, independent of the code under
 * test (it shares no reader or writer with main/), plus the byte helpers tests use on modules.
 */
import crypto from 'node:crypto';
import { PREVIEW1_SIGNATURES, isPreview1Name } from '../../main/wasm/preview1.ts';

export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    const low = n % 128;
    n = Math.floor(n / 128);
    out.push(n === 0 ? low : low | 0x80);
  } while (n !== 0);
  return out;
}
/** A wasm `name`: length-prefixed UTF-8. */
export const str = (s: string): number[] => { const b = [...Buffer.from(s, 'utf8')]; return [...leb(b.length), ...b]; };
export const vec = (items: number[][]): number[] => [...leb(items.length), ...items.flat()];
export const section = (id: number, content: number[]): number[] => [id, ...leb(content.length), ...content];
export const customSection = (name: string, payload: number[]): number[] => section(0, [...str(name), ...payload]);
export const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
export const wasm = (...sections: number[][]): Uint8Array => Uint8Array.from([...HEADER, ...sections.flat()]);

/** A `producers` section payload: field → [name, version][]. */
export function producersPayload(fields: Record<string, [string, string][]>): number[] {
  return vec(Object.entries(fields).map(([field, values]) => [...str(field), ...vec(values.map(([n, v]) => [...str(n), ...str(v)]))]));
}

/** A `name` section payload with the module-name subsection (id 0), optionally after others. */
export function namePayload(moduleName: string | null, before: [number, number[]][] = []): number[] {
  const subs = before.map(([id, body]) => [id, ...leb(body.length), ...body]).flat();
  if (moduleName === null) return subs;
  const body = str(moduleName);
  return [...subs, 0, ...leb(body.length), ...body];
}

export interface ModuleSpec {
  /** Functions imported from `importModule` (default wasi_snapshot_preview1), all of type () → (). */
  imports?: string[];
  importModule?: string;
  /** Extra raw imports: [module, name, kind byte, ...type bytes]. */
  rawImports?: number[][];
  /** Export the function as `_start` (default true); a string exports it under that name instead. */
  start?: boolean | string;
  /** Define and export `memory` (default { min: 1 }); null defines none. */
  memory?: { min: number; max?: number; exported?: boolean } | null;
  /** Custom sections appended after the code: [name, payload]. */
  custom?: [string, number[]][];
}

/**
 * A small valid core module: imports the given functions, defines one function (an empty body)
 * exported as `_start`, a memory exported as `memory`, and any custom sections.
 */
export function buildModule(spec: ModuleSpec = {}): Uint8Array {
  const importModule = spec.importModule ?? 'wasi_snapshot_preview1';
  // Type 0 is the body's () -> (); each preview1 import gets its own type with the spec's signature.
  const types: number[][] = [[0x60, 0x00, 0x00]];
  const typeOf = (name: string): number => {
    const sig = importModule === 'wasi_snapshot_preview1' && isPreview1Name(name) ? PREVIEW1_SIGNATURES[name] : undefined;
    if (sig === undefined) return 0;
    const [params, results] = sig.split('->').map((l) => (l === '' ? [] : l.split(',').map((t) => (t === 'i64' ? 0x7e : 0x7f))));
    types.push([0x60, ...leb(params!.length), ...params!, ...leb(results!.length), ...results!]);
    return types.length - 1;
  };
  const imports = (spec.imports ?? []).map((n) => [...str(importModule), ...str(n), 0x00, ...leb(typeOf(n))]);
  const allImports = [...imports, ...(spec.rawImports ?? [])];
  const funcImports = allImports.filter((i) => {
    // kind byte sits after the two names; only function imports shift function indices
    const [l1, p1] = readLeb(i, 0);
    const [l2, p2] = readLeb(i, p1 + l1);
    return i[p2 + l2] === 0x00;
  }).length;
  const memory = spec.memory === undefined ? { min: 1 } : spec.memory;
  const start = spec.start ?? true;
  const exports: number[][] = [];
  if (start !== false) exports.push([...str(start === true ? '_start' : start), 0x00, ...leb(funcImports)]);
  if (memory && memory.exported !== false) exports.push([...str('memory'), 0x02, 0x00]);
  const sections: number[][] = [section(1, vec(types))];
  if (allImports.length > 0) sections.push(section(2, vec(allImports)));
  sections.push(section(3, vec([[0x00]])));
  if (memory) {
    const lim = memory.max === undefined ? [0x00, ...leb(memory.min)] : [0x01, ...leb(memory.min), ...leb(memory.max)];
    sections.push(section(5, vec([lim])));
  }
  sections.push(section(7, vec(exports)));
  sections.push(section(10, vec([[0x02, 0x00, 0x0b]])));
  for (const [name, payload] of spec.custom ?? []) sections.push(customSection(name, payload));
  return wasm(...sections);
}

function readLeb(b: number[], at: number): [number, number] {
  let v = 0;
  let i = 0;
  for (;;) {
    const byte = b[at + i]!;
    v += (byte & 0x7f) * 2 ** (7 * i);
    i++;
    if ((byte & 0x80) === 0) return [v, at + i];
  }
}

/** `bytes` with a custom section `name` holding `payload` appended: still valid, another sha256. */
export function withCustomSection(bytes: Uint8Array, name: string, payload: string): Buffer {
  return Buffer.concat([bytes, Uint8Array.from(customSection(name, [...Buffer.from(payload, 'utf8')]))]);
}

/** The SHA-256 of `bytes`, as lowercase hex (how the library names modules). */
export const sha256 = (bytes: Uint8Array): string => crypto.createHash('sha256').update(bytes).digest('hex');
