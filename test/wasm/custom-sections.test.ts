/**
 * The custom sections a module carries about itself (main/wasm/custom-sections.ts): `producers`
 * and the module name of a `name` section. A section that cannot be read throws.
 */
import { describe, expect, test } from 'vitest';
import { parseModuleName, parseProducers } from '../../main/wasm/custom-sections.ts';
import { WasmBinaryError } from '../../main/wasm/binary.ts';
import { leb, namePayload, producersPayload, str, vec } from '../helpers/library.ts';

describe('custom sections', () => {
  test('parseProducers reads every field and value, in order', () => {
    const payload = producersPayload({
      language: [['C99', ''], ['Rust', '']],
      'processed-by': [['clang', '17.0.6'], ['rustc', '1.78.0 (9b00956e5 2024-04-29)']],
      sdk: [['wasi-sdk', '22.0']],
    });
    expect(parseProducers(Uint8Array.from(payload))).toEqual({
      language: [{ name: 'C99', version: '' }, { name: 'Rust', version: '' }],
      'processed-by': [{ name: 'clang', version: '17.0.6' }, { name: 'rustc', version: '1.78.0 (9b00956e5 2024-04-29)' }],
      sdk: [{ name: 'wasi-sdk', version: '22.0' }],
    });
  });

  test('parseProducers: no fields, UTF-8 names, and a field with no values', () => {
    expect(parseProducers(Uint8Array.from([0]))).toEqual({});
    expect(parseProducers(Uint8Array.from(producersPayload({ language: [['Zig ⚡', 'ünï']] })))).toEqual({ language: [{ name: 'Zig ⚡', version: 'ünï' }] });
    expect(parseProducers(Uint8Array.from(producersPayload({ sdk: [] })))).toEqual({ sdk: [] });
  });

  test('parseProducers throws on a truncated section', () => {
    const payload = producersPayload({ language: [['C99', '']] });
    expect(() => parseProducers(Uint8Array.from(payload.slice(0, -2)))).toThrow();
    expect(() => parseProducers(Uint8Array.from([5]))).toThrow();
    expect(() => parseProducers(new Uint8Array(0))).toThrow();
  });

  test('parseModuleName finds subsection 0, skipping others, and null without one', () => {
    expect(parseModuleName(Uint8Array.from(namePayload('hello')))).toBe('hello');
    // A function-names subsection (id 1) before it is skipped by its size.
    const funcNames = vec([[...leb(0), ...str('_start')]]);
    expect(parseModuleName(Uint8Array.from(namePayload('after-funcs', [[1, funcNames]])))).toBe('after-funcs');
    expect(parseModuleName(Uint8Array.from(namePayload(null, [[1, funcNames]])))).toBeNull();
    expect(parseModuleName(new Uint8Array(0))).toBeNull();
    expect(parseModuleName(Uint8Array.from(namePayload('émoji 🐢')))).toBe('émoji 🐢');
  });

  test('what cannot be read is a WasmBinaryError: a name past its section, invalid UTF-8, a subsection past the end', () => {
    expect(() => parseProducers(Uint8Array.from([1, 5, 0x61]))).toThrow(WasmBinaryError);
    expect(() => parseProducers(Uint8Array.from([1, 1, 0xff, 0]))).toThrow(WasmBinaryError);
    expect(() => parseModuleName(Uint8Array.from([1, 9, 0]))).toThrow(WasmBinaryError);
  });
});
