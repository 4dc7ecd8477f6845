/**
 * Per-app memory cap, enforced by rewriting the module (DESIGN §3, "Limits per app").
 *
 * V8 makes `memory.grow` return -1 once a memory would pass its declared maximum, so lowering that
 * maximum in the binary before compiling is all the enforcement needed — no hook on every grow. The
 * memory types are found by main/wasm/memory.ts; everything else is copied byte for byte.
 */
import { WasmBinaryError, encodeU32Leb, malformed, sections } from '../wasm/binary.ts';
import { LimitsFlag, MAX_PAGES_32, isMemoryBearing, memorySpans } from '../wasm/memory.ts';

/**
 * Returns a new binary in which every imported and defined 32-bit memory has a maximum of at most
 * `maxPages` (keeping a lower existing maximum and the shared flag); all other bytes are unchanged.
 * Throws WasmBinaryError — and nothing else for any input bytes — when the binary is not wasm, is a
 * component, is malformed, or declares a memory whose minimum already exceeds `maxPages`.
 * Throws RangeError if `maxPages` is not an integer in 0..65536.
 */
export function capMemory(bytes: Uint8Array, maxPages: number): Uint8Array {
  if (!Number.isInteger(maxPages) || maxPages < 0 || maxPages > MAX_PAGES_32) {
    throw new RangeError(`maxPages must be an integer in 0..${MAX_PAGES_32}, got ${maxPages}`);
  }
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  for (const section of sections(bytes)) {
    if (!isMemoryBearing(section)) {
      parts.push(bytes.subarray(section.start, section.end));
      continue;
    }
    const body: Uint8Array[] = [];
    let from = section.contentStart;
    for (const span of memorySpans(bytes, section)) {
      if (span.min > maxPages) {
        throw new WasmBinaryError(
          'memory-over-cap',
          `the module needs at least ${span.min} pages of memory (${span.min * 64} KiB), more than the cap of ${maxPages} pages`,
        );
      }
      const max = span.max === null ? maxPages : Math.min(span.max, maxPages);
      const flags = LimitsFlag.hasMax | (span.shared ? LimitsFlag.shared : 0);
      body.push(bytes.subarray(from, span.start), Uint8Array.of(flags), encodeU32Leb(span.min), encodeU32Leb(max));
      from = span.end;
    }
    body.push(bytes.subarray(from, section.end));
    const size = body.reduce((n, b) => n + b.length, 0);
    if (size > 0xffffffff) throw malformed(`section ${section.id} too large`);
    parts.push(Uint8Array.of(section.id), encodeU32Leb(size), ...body);
  }
  return concat(parts);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
