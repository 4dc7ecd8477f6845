/**
 * The one list of preview1 functions (main/wasm/preview1.ts) and the lookups by a name the module
 * chose: only preview1's own names count, never a name every object has (`toString`,
 * `constructor`, `__proto__`).
 */
import { describe, expect, test } from 'vitest';
import { PREVIEW1_NAMES, PREVIEW1_SIGNATURES, isPreview1Name, mistypedWasiImport } from '../../main/wasm/preview1.ts';
import { buildModule } from '../helpers/library.ts';

const INHERITED = ['toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__'];

describe('the preview1 names', () => {
  test('46 distinct names, each with a "params->results" signature of i32/i64 returning an errno (proc_exit nothing)', () => {
    expect(new Set(PREVIEW1_NAMES).size).toBe(46);
    for (const name of PREVIEW1_NAMES) {
      expect(PREVIEW1_SIGNATURES[name]).toMatch(name === 'proc_exit' ? /^i32->$/ : /^((i32|i64)(,(i32|i64))*)?->i32$/);
    }
  });

  test('a name every object has is no preview1 function', () => {
    for (const name of INHERITED) expect(isPreview1Name(name)).toBe(false);
    expect(isPreview1Name('fd_read')).toBe(true);
  });
});

describe('mistypedWasiImport', () => {
  test('a module importing "toString" (or another inherited name) is not judged mistyped: it answers nosys', () => {
    for (const name of INHERITED) expect(mistypedWasiImport(buildModule({ imports: [name, 'fd_write'] }))).toBeNull();
  });

  test('a preview1 function imported with the wrong type is named', () => {
    const bytes = buildModule({ imports: ['fd_write'] });
    expect(mistypedWasiImport(bytes)).toBeNull();
    // fd_write typed as () -> (): the helper gives unknown names type 0, so rename an import to fd_write
    const other = buildModule({ imports: ['fd_writ_'] });
    const at = Buffer.from(other).indexOf('fd_writ_');
    other[at + 7] = 'e'.charCodeAt(0);
    expect(mistypedWasiImport(other)).toMatch(/"wasi_snapshot_preview1\.fd_write" as \(->\), but WASI defines it as \(i32,i32,i32,i32->i32\)/);
  });
});
