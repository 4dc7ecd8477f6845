/** Temporary folders for tests: each a fresh mkdtemp folder, removed by `removeTempDirs()`. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];

/**
 * A new empty folder under the OS temp folder, named `terrarium-<label>-XXXXXX` (a label given
 * with the `terrarium-` prefix or a trailing `-` is taken as the same label). Removed by
 * `removeTempDirs()`.
 */
export function tempDir(label = 'test'): string {
  const bare = label.replace(/^terrarium-/, '').replace(/-+$/, '');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `terrarium-${bare}-`));
  made.push(dir);
  return dir;
}

/** `tempDir`, with symlinks in the temp folder's own path resolved (macOS's /var → /private/var). */
export function realTempDir(label = 'test'): string {
  return fs.realpathSync(tempDir(label));
}

/** Removes every folder `tempDir` made so far; call it from afterEach/afterAll. */
export function removeTempDirs(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}
