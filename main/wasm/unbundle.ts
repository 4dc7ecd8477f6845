/**
 * The fast path for components built by the preview1 adapter (issue 15.3): such a component
 * carries the original `wasi_snapshot_preview1` program as its core module 0, and running that
 * module on the preview1 runtime directly keeps preview1 speed under the same grants and sandbox.
 */
import { WASI_MODULE } from './preview1.ts';
import { readU32Leb } from './binary.ts';
import { binaryKind, componentOutline } from './component.ts';

const SECTION_IMPORT = 2;

/** True when every import of core module `m` is a `wasi_snapshot_preview1` function. */
function importsOnlyPreview1(m: Uint8Array): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pos = 8;
  while (pos < m.length) {
    const id = m[pos]!;
    const [size, start] = readU32Leb(m, pos + 1);
    if (size > m.length - start) return false;
    if (id === SECTION_IMPORT) {
      let [count, p] = readU32Leb(m, start);
      const name = (): string => {
        const [len, q] = readU32Leb(m, p);
        if (len > start + size - q) throw new RangeError('name past its section');
        p = q + len;
        return decoder.decode(m.subarray(q, q + len));
      };
      for (; count > 0; count--) {
        if (name() !== WASI_MODULE) return false;
        name();
        if (m[p++] !== 0x00) return false; // not a function
        [, p] = readU32Leb(m, p);
      }
      return true;
    }
    pos = start + size;
  }
  return true;
}

/**
 * True when `TERRARIUM_COMPONENT_HOST=wasi-0.2` sends every component to the WASI 0.2 host (tests
 * compare both paths on the same programs); inspection and the loader agree on it.
 */
export const forcedFullHost = (): boolean => process.env.TERRARIUM_COMPONENT_HOST === 'wasi-0.2';

/**
 * The bytes of core module 0 of component `bytes` when that module imports nothing but
 * `wasi_snapshot_preview1` functions (an adapter-built command), else null. Throws a 'malformed'
 * WasmBinaryError for a component whose outline cannot be read.
 */
export function preview1Core(bytes: Uint8Array): Uint8Array | null {
  const { coreModule0 } = componentOutline(bytes);
  if (coreModule0 === null || forcedFullHost()) return null;
  const m = bytes.subarray(coreModule0.start, coreModule0.end);
  if (binaryKind(m) !== 'module') return null;
  try {
    return importsOnlyPreview1(m) ? m : null;
  } catch {
    return null; // unreadable imports: not a module the fast path can vouch for
  }
}
