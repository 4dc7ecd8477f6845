/**
 * JSON encoding of the contract's messages for the web transport: `Uint8Array`s travel as
 * `{"$bytes": base64}`. Pure, dependency-free, shared by main/web and the renderer.
 */

/** A request from the renderer. */
export interface WireRequest {
  id: number;
  name: string;
  args: unknown;
}

/** A reply to request `id`, or an event. */
export type WireMessage = { id: number; result: unknown } | { event: string; payload: unknown };

/** Node's Buffer where there is one (main): ~60× faster than the portable path (the renderer). */
const NodeBuffer = (globalThis as { Buffer?: { from(b: ArrayBufferLike, o: number, l: number): { toString(e: 'base64'): string } } }).Buffer;

function toBase64(b: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** JSON text for `value`, with byte arrays encoded. */
export function encode(value: unknown): string {
  // `this[k]` is the raw value: Node's Buffer has a toJSON that runs before the replacer sees `v`.
  return JSON.stringify(value, function (this: Record<string, unknown>, k: string, v: unknown) {
    const raw = this[k];
    return raw instanceof Uint8Array ? { $bytes: toBase64(raw) } : v;
  });
}

/** The value of JSON `text`, with byte arrays decoded. */
export function decode(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (typeof o.$bytes === 'string' && Object.keys(o).length === 1) return fromBase64(o.$bytes);
    }
    return v;
  });
}
