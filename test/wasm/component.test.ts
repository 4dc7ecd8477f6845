/**
 * The component outline reader faces hostile input (DESIGN §3: bad input gets one clear error):
 * truncated sections, lengths past the end, overlong numbers, bad UTF-8 and random bytes after a
 * component header give a 'malformed' ModuleLimitError and nothing else; a real component's
 * names and core module 0 are read exactly.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WasmBinaryError as ModuleLimitError } from '../../main/wasm/binary.ts';
import { binaryKind, componentOutline } from '../../main/wasm/component.ts';
import { preview1Core } from '../../main/wasm/unbundle.ts';
import { fixture } from '../helpers/paths.ts';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];
const bytes = (...b: number[]): Uint8Array => Uint8Array.from([...HEADER, ...b]);

function outcome(b: Uint8Array): string {
  try {
    componentOutline(b);
    return 'ok';
  } catch (err) {
    // One clear error: malformed, and saying that it is the component that is.
    if (err instanceof ModuleLimitError) return err.message.startsWith(`${err.code} WebAssembly component: `) ? err.code : `${err.code} (${err.message})`;
    return `threw ${(err as Error).name}: ${(err as Error).message}`;
  }
}

describe('componentOutline', () => {
  it('reads an adapter-built component: its WASI 0.2 names and the preview1 program as core module 0', () => {
    const comp = readFileSync(fixture('components/stdio.component.wasm'));
    const o = componentOutline(comp);
    expect(binaryKind(comp)).toBe('component');
    expect(o.exports).toEqual([expect.stringMatching(/^wasi:cli\/run@0\.2\.\d+$/)]);
    expect(o.imports).toContain(o.imports.find((n) => /^wasi:cli\/stdout@0\.2\.\d+$/.test(n)));
    // Module 0 is the program as build.sh linked it (with its cabi_realloc): a whole core module
    // that compiles, imports only preview1 and exports the program's entry and allocator.
    const core = new WebAssembly.Module(Uint8Array.from(preview1Core(comp)!));
    expect(new Set(WebAssembly.Module.imports(core).map((i) => i.module))).toEqual(new Set(['wasi_snapshot_preview1']));
    expect(WebAssembly.Module.exports(core).map((e) => e.name)).toEqual(expect.arrayContaining(['_start', 'cabi_realloc', 'memory']));
  });

  it('tells components, core modules and other files apart by the header', () => {
    expect(binaryKind(Uint8Array.from(HEADER))).toBe('component');
    expect(binaryKind(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))).toBe('module');
    expect(binaryKind(Uint8Array.from([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]))).toBe('unknown');
    expect(binaryKind(Uint8Array.from([0, 0x61, 0x73]))).toBe('not-wasm');
  });

  it.each([
    ['a section longer than the file', bytes(10, 0x7f, 1)],
    ['an import count with no imports', bytes(10, 1, 5)],
    ['a name running past its section', bytes(10, 4, 1, 0x00, 9, 0x61)],
    ['an overlong LEB128', bytes(10, 0x86, 0x80, 0x80, 0x80, 0x80, 0x00)],
    ['an unknown name encoding', bytes(10, 4, 1, 0x07, 1, 0x61)],
    ['an unknown extern kind', bytes(10, 5, 1, 0x00, 1, 0x61, 0x09)],
    ['a name that is not UTF-8', bytes(10, 6, 1, 0x00, 1, 0xff, 0x05, 0x00)],
    ['an export cut after its name', bytes(11, 4, 1, 0x00, 1, 0x61)],
  ])('%s is malformed', (_what, b) => {
    expect(outcome(b)).toBe('malformed');
  });

  it('gives only ok or malformed for random bytes after a component header', () => {
    let seed = 7;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 24;
    };
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const body = Array.from({ length: 1 + (i % 40) }, rand);
      // Aim at the sections that are parsed: import (10) and export (11), and core modules (1).
      body[0] = [1, 10, 11][i % 3]!;
      seen.add(outcome(bytes(...body)));
    }
    expect([...seen].filter((s) => s !== 'ok' && s !== 'malformed')).toEqual([]);
    expect(seen.has('malformed')).toBe(true);
  });
});
