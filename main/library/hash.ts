/**
 * The library's SHA-256 and random ids, with `node:crypto` loaded at the first use, not when the
 * library loads: `node:crypto` brings the whole stream library with it (~40 built-in modules, ~5 ms
 * of a start here), and `terrarium run APP` of a module whose stat signature is unchanged hashes
 * nothing (store.ts `readChecked`, docs/design/runapp.md).
 */
import type { Hash } from 'node:crypto';

const crypto = (): typeof import('node:crypto') => process.getBuiltinModule('node:crypto');

/** A running SHA-256 (`update` piece by piece, then `digest('hex')`). */
export function sha256Hash(): Hash {
  return crypto().createHash('sha256');
}

/** The SHA-256 of `bytes`, in lowercase hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return sha256Hash().update(bytes).digest('hex');
}

/** `n` random bytes in hex (ids, temp file names). */
export function randomHex(n: number): string {
  return crypto().randomBytes(n).toString('hex');
}
