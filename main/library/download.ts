/**
 * Downloading a module from an http(s) URL: streamed, capped in size, with progress, and an
 * optional expected sha256 checked before anything is stored.
 *
 * Ambient Authority: reaches the network, for the URL the person gave.
 */
import { CodedError } from '../shared/coded-error.ts';
import { sha256Hex } from './hash.ts';

/**
 * Progress of an install: a download's bytes so far and the total when the server said it; then,
 * for a component on the WASI 0.2 host, `stage` 'transpile' (its size as both counts) while it is
 * prepared for that host.
 */
export type Progress = (received: number, total: number | null, stage?: 'transpile') => void;

/** Downloads `url` into memory, refusing more than `maxBytes`. */
export async function download(url: string, maxBytes: number, onProgress?: Progress, timeoutMs = 60_000): Promise<Uint8Array> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CodedError('bad-url', `not a valid URL: ${url}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new CodedError('bad-url', `only http and https URLs can be installed from, not ${parsed.protocol}`);
  }
  let res: Response;
  try {
    res = await fetch(parsed, { redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new CodedError('unreachable', `cannot reach ${parsed.host}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  if (!res.ok || res.body === null) {
    throw new CodedError('http-status', `${url} answered ${res.status} ${res.statusText}`.trim());
  }
  const header = Number(res.headers.get('content-length'));
  const sent = Number.isFinite(header) && header > 0 ? header : null;
  // fetch decodes a gzip/br/deflate body, but Content-Length counts the encoded bytes: the
  // decoded total is unknown (a truncated encoded body fails to decode instead).
  const encoded = (res.headers.get('content-encoding') ?? 'identity').trim().toLowerCase() !== 'identity';
  const total = encoded ? null : sent;
  if (sent !== null && sent > maxBytes) {
    // Decoding only makes a body larger, so an encoded one over the limit is too large as well.
    await res.body.cancel();
    throw new CodedError('too-large', `${url} is ${sent} bytes, over the limit of ${maxBytes}`);
  }
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for await (const chunk of res.body) {
      received += chunk.length;
      if (received > maxBytes) throw new CodedError('too-large', `${url} is over the limit of ${maxBytes} bytes`);
      chunks.push(chunk);
      onProgress?.(received, total);
    }
  } catch (err) {
    if (err instanceof CodedError) throw err;
    if (total !== null && received < total) {
      throw new CodedError('truncated', `the download of ${url} ended after ${received} of ${total} bytes`);
    }
    // undici ends an encoded body that stops short of its Content-Length with "terminated".
    if (encoded && sent !== null && (err as Error).message === 'terminated') {
      throw new CodedError('truncated', `the download of ${url} ended before its ${sent} encoded bytes arrived`);
    }
    throw new CodedError('unreachable', `the download of ${url} failed: ${(err as Error).message}`);
  }
  if (total !== null && received !== total) {
    throw new CodedError('truncated', `the download of ${url} ended after ${received} of ${total} bytes`);
  }
  return Buffer.concat(chunks, received);
}

/**
 * The file name at the end of `url`'s path, percent-decoded; a bad percent-escape (`%zz`, a
 * broken UTF-8 sequence) leaves the name as it was written rather than failing.
 */
export function urlFileName(url: string): string {
  const last = new URL(url).pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** Throws unless `bytes` hash to `expected` (hex, any case). */
export function checkSha256(bytes: Uint8Array, expected: string): void {
  const want = expected.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(want)) throw new CodedError('bad-sha256', `not a sha256 (64 hex digits): ${expected}`);
  const got = sha256Hex(bytes);
  if (got !== want) throw new CodedError('sha256-mismatch', `the sha256 is ${got}, not the expected ${want}`);
}
