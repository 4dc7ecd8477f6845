/**
 * The one rule by which a stored module's bytes are proven to be the installed ones before anything
 * of them runs (DESIGN §3.1, docs/design/runapp.md "The stored module is checked by its stat
 * signature"): either the file's stat signature after the read is the one recorded when its bytes
 * were last hashed and found right, or the bytes' SHA-256 is the stored hash. A leaf, so that the
 * library's store (main thread) and a run's worker (runtime, warm-runs.md round 10) check alike.
 */
import fs from 'node:fs';

/**
 * A stored file's stat signature: size, device, inode, and modification and change times in
 * nanoseconds. Any write through the file system sets the change time (which no program can set
 * back), and a replaced file has another inode; docs/design/runapp.md says what it does not see.
 */
export function statSignature(st: fs.BigIntStats): string {
  return `${st.size}:${st.dev}:${st.ino}:${st.mtimeNs}:${st.ctimeNs}`;
}

/**
 * How long a file must have been left unchanged before its signature is trusted (Git's "racy
 * clean" entries): the file system's clock is coarse (a few ms on Linux, 2 s on FAT), so a write
 * made in the same tick as the change before it may leave both times as they were.
 */
export const SETTLE_MS = 2000;

/** How many ms after `nowMs` the file stat'ed as `st` will have been left unchanged for SETTLE_MS (0: it has). */
export function settlesIn(st: fs.BigIntStats, nowMs: number): number {
  const last = st.ctimeNs > st.mtimeNs ? st.ctimeNs : st.mtimeNs;
  const left = BigInt(SETTLE_MS) * 1_000_000n - (BigInt(nowMs) * 1_000_000n - last);
  return left > 0n ? Math.ceil(Number(left) / 1e6) : 0;
}

/** True when the file stat'ed as `st` last changed at least SETTLE_MS before `nowMs`. */
export function settled(st: fs.BigIntStats, nowMs: number): boolean {
  return settlesIn(st, nowMs) === 0;
}

/** Throws unless the stored module's `actual` hash is the `expected` one. */
export function checkHash(expected: string, actual: string): void {
  if (actual !== expected) throw new Error(`the stored module changed on disk (expected sha256 ${expected}, found ${actual})`);
}

/** The SHA-256 of `bytes` in hex; `node:crypto` loaded at the first use (library/hash.ts says why). */
export function sha256Of(bytes: Uint8Array): string {
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(bytes).digest('hex');
}

/**
 * Reads the stored module `file` (content `sha256`) on this thread, in one synchronous read, and
 * proves its bytes: by its stat signature when `recorded` is the one taken when they were last
 * hashed and found right (taken after the read: a change before or during it shows in the change
 * time), by their hash otherwise. Throws if the file is missing or changed. `signature` is what to
 * record now: set only when the bytes were hashed and found right and the file had settled;
 * `hashed`, whether they were.
 */
export function readModuleChecked(file: string, sha256: string, recorded: string | undefined): { bytes: Uint8Array; signature?: string; hashed: boolean } {
  const fd = fs.openSync(file, 'r');
  try {
    const bytes = fs.readFileSync(fd);
    const st = fs.fstatSync(fd, { bigint: true });
    const now = statSignature(st);
    if (recorded !== undefined && now === recorded && BigInt(bytes.length) === st.size) return { bytes, hashed: false };
    checkHash(sha256, sha256Of(bytes));
    return settled(st, Date.now()) ? { bytes, signature: now, hashed: true } : { bytes, hashed: true };
  } finally {
    fs.closeSync(fd);
  }
}
