/**
 * The module store: `<home>/store/<sha256>.wasm`, content-addressed, so identical bytes are kept
 * once. Bytes are written to a temp file, fsynced and renamed into place, so a crash leaves either
 * no file or a whole one; temp files of dead processes and modules no app uses are swept.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomHex, sha256Hash, sha256Hex } from './hash.ts';
import { checkHash, readModuleChecked, settled, settlesIn, statSignature } from '../shared/module-check.ts';

const SHA256 = /^[0-9a-f]{64}$/;
const TEMP = /^tmp-(\d+)-[0-9a-f]+$/;
/** Size of each read of `readInBackground` (hashed while the next is read). */
const READ_PIECE = 1024 * 1024;

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// The check of a stored module's bytes (stat signature or hash) is one rule for the store and a
// run's worker alike: main/shared/module-check.ts.
export { SETTLE_MS, statSignature } from '../shared/module-check.ts';

/** The content-addressed store of module bytes. */
export class ModuleStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
    fs.mkdirSync(dir, { recursive: true });
  }

  /** The path of the module with hash `sha256`. */
  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`bad sha256 ${sha256}`);
    return path.join(this.dir, `${sha256}.wasm`);
  }

  /** A fresh temp file path in the store (same filesystem, so the final rename is atomic). */
  tempPath(): string {
    return path.join(this.dir, `tmp-${process.pid}-${randomHex(6)}`);
  }

  has(sha256: string): boolean {
    return fs.existsSync(this.pathOf(sha256));
  }

  /** Writes `bytes` durably to a temp file and returns its path (not yet in the store). */
  writeTemp(bytes: Uint8Array): string {
    const tmp = this.tempPath();
    const fd = fs.openSync(tmp, 'wx', 0o644);
    try {
      fs.writeSync(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return tmp;
  }

  /** Moves a complete temp file into place as `<sha256>.wasm` (or drops it if already stored). */
  commit(tmp: string, sha256: string): void {
    if (this.has(sha256)) {
      fs.rmSync(tmp, { force: true });
      return;
    }
    fs.renameSync(tmp, this.pathOf(sha256));
    this.syncDir();
  }

  /**
   * How many ms until the stored module `sha256` will have been left unchanged for SETTLE_MS (0: it
   * has), when a signature taken of it could be recorded; throws if it is missing.
   */
  settlesIn(sha256: string): number {
    return settlesIn(fs.statSync(this.pathOf(sha256), { bigint: true }), Date.now());
  }

  /** Reads a stored module and checks its hash; throws if it is missing or changed. */
  read(sha256: string): Uint8Array {
    return this.readChecked(sha256, undefined).bytes;
  }

  /**
   * Reads a stored module, checked by its stat signature (`statSignature`) when `recorded` is the
   * one taken when its bytes were last hashed and found right, and by its hash otherwise; throws if
   * it is missing or changed. `signature` is what to record now: set when the bytes were hashed
   * and the file had settled (docs/design/runapp.md).
   */
  readChecked(sha256: string, recorded: string | undefined): { bytes: Uint8Array; signature?: string } {
    return readModuleChecked(this.pathOf(sha256), sha256, recorded);
  }

  /**
   * `readChecked` for the window's cold runs, off the main thread: the file is read in pieces on
   * the thread pool. When its stat signature before the read is `recorded`, nothing is hashed and
   * the signature after the read must still be it; otherwise each piece is hashed (node:crypto, on
   * this thread, a piece at a time) while the next one is read, so the hash is done when the read
   * is (issue 14.4; reading, then hashing the whole of flite's 21 MB, took ~20 ms more). Returns
   * the bytes read, `checked`, which rejects if they do not match `sha256` (a caller must not run
   * the bytes before it resolves), and `signature`, to record once `checked` resolves (as
   * `readChecked`'s).
   */
  async readInBackground(sha256: string, recorded?: string): Promise<{ bytes: Uint8Array; checked: Promise<void>; signature?: string }> {
    const file = await fs.promises.open(this.pathOf(sha256), 'r');
    let bytes: Buffer;
    let digest: string | undefined;
    let after: fs.BigIntStats;
    try {
      const before = await file.stat({ bigint: true });
      const size = Number(before.size);
      const whole = Buffer.allocUnsafe(size);
      const hash = recorded !== undefined && statSignature(before) === recorded ? undefined : sha256Hash();
      const readAt = (at: number): Promise<{ bytesRead: number }> => (at < size ? file.read(whole, at, Math.min(READ_PIECE, size - at), at) : Promise.resolve({ bytesRead: 0 }));
      let off = 0;
      let next = readAt(0);
      for (;;) {
        const { bytesRead } = await next;
        if (bytesRead === 0) break;
        const start = off;
        off += bytesRead;
        next = readAt(off);
        hash?.update(whole.subarray(start, off));
      }
      bytes = whole.subarray(0, off);
      // Taken after the read: a change during it shows in the ctime, as one made before.
      after = await file.stat({ bigint: true });
      if (hash !== undefined) digest = hash.digest('hex');
      else if (statSignature(after) !== recorded || BigInt(off) !== after.size) digest = sha256Hex(bytes);
    } finally {
      await file.close();
    }
    // Made only now, so a refusal is never left unhandled while the file closes.
    const checked = (async () => {
      if (digest !== undefined) checkHash(sha256, digest);
    })();
    return digest !== undefined && settled(after, Date.now()) ? { bytes, checked, signature: statSignature(after) } : { bytes, checked };
  }

  /** Removes a stored module. */
  remove(sha256: string): void {
    fs.rmSync(this.pathOf(sha256), { force: true });
  }

  /**
   * Removes temp files of processes that are gone and modules whose hash is not in `used`.
   * Call only while holding the database's write lock, so no install is between rename and commit.
   */
  sweep(used: Set<string>): string[] {
    const removed: string[] = [];
    for (const name of fs.readdirSync(this.dir)) {
      const t = TEMP.exec(name);
      const orphanTemp = t !== null && !alive(Number(t[1]));
      const orphanModule = name.endsWith('.wasm') && SHA256.test(name.slice(0, -5)) && !used.has(name.slice(0, -5));
      if (orphanTemp || orphanModule) {
        fs.rmSync(path.join(this.dir, name), { force: true });
        removed.push(name);
      }
    }
    return removed;
  }

  private syncDir(): void {
    if (process.platform === 'win32') return; // directories cannot be fsynced there
    const fd = fs.openSync(this.dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
}
