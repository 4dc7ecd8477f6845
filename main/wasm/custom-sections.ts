/**
 * Custom sections a module may carry about itself: `producers` (the languages, tools and SDKs that
 * made it; tool-conventions/ProducersSection.md) and the module name of a `name` section
 * (subsection 0). Each parser takes the section's payload and throws WasmBinaryError for one it
 * cannot read.
 */
import { Reader } from './binary.ts';

/** A `producers` section: field name ("language", "processed-by", "sdk") → name/version pairs. */
export type Producers = Record<string, { name: string; version: string }[]>;

/** Parses a `producers` custom section's payload. */
export function parseProducers(section: Uint8Array): Producers {
  const r = new Reader(section, 0, section.length);
  const out: Producers = {};
  const fields = r.u32();
  for (let i = 0; i < fields; i++) {
    const field = r.name(true);
    const count = r.u32();
    const values: { name: string; version: string }[] = [];
    for (let j = 0; j < count; j++) {
      const name = r.name(true);
      const version = r.name(true);
      values.push({ name, version });
    }
    out[field] = values;
  }
  return out;
}

/** The module name from a `name` custom section's payload (subsection 0), if any. */
export function parseModuleName(section: Uint8Array): string | null {
  const r = new Reader(section, 0, section.length);
  while (r.pos < r.end) {
    const id = r.u8();
    const size = r.u32();
    if (id === 0) return r.name(true);
    r.skip(size);
  }
  return null;
}
