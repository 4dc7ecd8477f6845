/**
 * The module store: `<home>/store/<sha256>.wasm`, content-addressed, so identical bytes are kept
 * once. Bytes are written to a temp file, fsynced and renamed into place, so a crash leaves either
 * no file or a whole one; temp files of dead processes and modules no app uses are swept.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

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

/** Throws unless the stored module's `actual` hash is the `expected` one. */
function checkHash(expected: string, actual: string): void {
  if (actual !== expected) throw new Error(`the stored module changed on disk (expected sha256 ${expected}, found ${actual})`);
}

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
    return path.join(this.dir, `tmp-${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
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

  /** Reads a stored module and checks its hash; throws if it is missing or changed. */
  read(sha256: string): Uint8Array {
    const bytes = fs.readFileSync(this.pathOf(sha256));
    checkHash(sha256, crypto.createHash('sha256').update(bytes).digest('hex'));
    return bytes;
  }

  /**
   * `read` for the window's cold runs, hashing while reading: the file is read in pieces on the
   * thread pool, each piece hashed (node:crypto, on this thread, a piece at a time) while the next
   * one is read, so the hash is done when the read is (issue 14.4; reading, then hashing the whole
   * of flite's 21 MB, took ~20 ms more). Returns the bytes read, exactly those hashed, and
   * `checked`, which rejects if they do not match `sha256`; a caller must not run the bytes before
   * `checked` resolves.
   */
  async readInBackground(sha256: string): Promise<{ bytes: Uint8Array; checked: Promise<void> }> {
    const file = await fs.promises.open(this.pathOf(sha256), 'r');
    let bytes: Buffer;
    let digest: string;
    try {
      const size = (await file.stat()).size;
      const whole = Buffer.allocUnsafe(size);
      const hash = crypto.createHash('sha256');
      const readAt = (at: number): Promise<{ bytesRead: number }> => (at < size ? file.read(whole, at, Math.min(READ_PIECE, size - at), at) : Promise.resolve({ bytesRead: 0 }));
      let off = 0;
      let next = readAt(0);
      for (;;) {
        const { bytesRead } = await next;
        if (bytesRead === 0) break;
        const start = off;
        off += bytesRead;
        next = readAt(off);
        hash.update(whole.subarray(start, off));
      }
      digest = hash.digest('hex');
      bytes = whole.subarray(0, off);
    } finally {
      await file.close();
    }
    // Made only now, so a refusal is never left unhandled while the file closes.
    const checked = (async () => checkHash(sha256, digest))();
    return { bytes, checked };
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
