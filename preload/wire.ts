/**
 * How the contract's messages travel on the web transport. A message without byte arrays is JSON
 * text (a text frame); one with byte arrays (run output, a dropped module) is a binary frame:
 * a 4-byte little-endian length, that many bytes of JSON in UTF-8 where each `Uint8Array` is
 * `{"$blob":[start,length]}`, then the arrays' bytes, back to back. The bytes are never
 * re-encoded (no base64), and decoding hands out views into the frame, not copies.
 * Pure, dependency-free, shared by main/web and the renderer.
 */

/** A request from the renderer. */
export interface WireRequest {
  id: number;
  name: string;
  args: unknown;
}

/** A reply to request `id`, or an event. */
export type WireMessage = { id: number; result: unknown } | { event: string; payload: unknown };

/**
 * Flow control of the web transport (not part of the contract): the renderer says how many bytes of
 * binary frames it has received so far; main keeps at most a window of them unacknowledged, so a
 * reply is never queued behind more output than that (main/web/server.ts).
 */
export interface WireAck {
  ack: number;
}

/**
 * The web transport's two sockets per page: events (run output, and the replies below) on one, the
 * other requests and their replies on a second (`?role=requests`), so a reply never waits behind
 * output still in the sockets and the browser (main/web/server.ts). A socket without a role carries both.
 */
export const REQUESTS_ROLE = 'requests';

/**
 * Requests whose replies keep their place behind the events sent before them, so they travel on the
 * events socket: `runs.recent` hands back output kept so far, and output sent before it must not
 * arrive after it (it would be written twice).
 */
export const IN_ORDER: ReadonlySet<string> = new Set(['runs.recent']);

/** A frame that cannot be decoded. */
export class WireError extends Error {}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The frame for `value`: JSON text, or a binary frame when it holds byte arrays. */
export function encode(value: unknown): string | Uint8Array<ArrayBuffer> {
  const parts = encodeParts(value);
  if (typeof parts === 'string') return parts;
  let size = 0;
  for (const p of parts) size += p.length;
  const frame = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    frame.set(p, off);
    off += p.length;
  }
  return frame;
}

/**
 * `encode`'s frame without joining it: JSON text, or the binary frame's parts in order (its
 * header, then the byte arrays themselves, not copied). A sender that can write a message in parts
 * (main/web/server.ts, as WebSocket fragments) saves a copy of every byte and an allocation the
 * size of the frame (run output: about a MiB per frame during a flood).
 */
export function encodeParts(value: unknown): string | Uint8Array[] {
  const blobs: Uint8Array[] = [];
  let at = 0;
  // `this[k]` is the raw value: Node's Buffer has a toJSON that runs before the replacer sees `v`.
  const json = JSON.stringify(value, function (this: Record<string, unknown>, k: string, v: unknown) {
    const raw = this[k];
    if (!(raw instanceof Uint8Array)) return v;
    blobs.push(raw);
    at += raw.length;
    return { $blob: [at - raw.length, raw.length] };
  });
  if (blobs.length === 0) return json;
  const json8 = utf8.encode(json);
  const head = new Uint8Array(4 + json8.length);
  new DataView(head.buffer).setUint32(0, json8.length, true);
  head.set(json8, 4);
  return [head, ...blobs.filter((b) => b.length > 0)];
}

/** The value of a frame from `encode` (text, or binary as bytes or an ArrayBuffer); throws WireError. */
export function decode(frame: string | ArrayBuffer | Uint8Array): unknown {
  if (typeof frame === 'string') return parse(frame, null);
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  if (bytes.length < 4) throw new WireError('a binary frame shorter than its header');
  const length = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
  if (length > bytes.length - 4) throw new WireError('a binary frame shorter than its JSON');
  let json: string;
  try {
    json = fromUtf8.decode(bytes.subarray(4, 4 + length));
  } catch {
    throw new WireError('a binary frame whose JSON is not UTF-8');
  }
  return parse(json, bytes.subarray(4 + length));
}

function parse(json: string, blobs: Uint8Array | null): unknown {
  try {
    return JSON.parse(json, (_k, v: unknown) => {
      if (blobs === null || v === null || typeof v !== 'object' || Array.isArray(v)) return v;
      const o = v as Record<string, unknown>;
      const r = o.$blob;
      if (!Array.isArray(r) || Object.keys(o).length !== 1) return v;
      const [start, len] = r as unknown[];
      if (r.length !== 2 || !Number.isSafeInteger(start) || !Number.isSafeInteger(len) || (start as number) < 0 || (len as number) < 0
        || (start as number) + (len as number) > blobs.length) throw new WireError('a byte array outside its frame');
      return blobs.subarray(start as number, (start as number) + (len as number));
    });
  } catch (err) {
    if (err instanceof WireError) throw err;
    throw new WireError(`not a message: ${(err as Error).message}`);
  }
}
