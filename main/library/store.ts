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
   * `read` off the main thread (the window's cold runs): the bytes, and `checked`, which rejects
   * if they do not match `sha256`; a caller may compile the bytes meanwhile but must not run them
   * before `checked` resolves.
   */
  async readInBackground(sha256: string): Promise<{ bytes: Uint8Array; checked: Promise<void> }> {
    const bytes = await fs.promises.readFile(this.pathOf(sha256));
    const checked = crypto.subtle.digest('SHA-256', bytes).then((d) => checkHash(sha256, Buffer.from(d).toString('hex')));
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
