/**
 * Loading koffi. Its own loader (koffi's index.cjs) copies every property of `node:fs` and
 * `node:util` through esbuild's `__toESM`, which wakes their lazy members (`fs.promises`, util's
 * colors, which make the process's stdio streams): ~7 ms of CPU in every run that touches a file,
 * against ~2.5 ms for its native module alone. So the native module is loaded straight from where
 * npm installs it (`@koromix/koffi-<platform>-<arch>/<platform>_<arch>/koffi.node`, found in the
 * folders `require` would search, in its order) when it is there and is the version koffi itself
 * expects; anything else (another layout, a packaged app, a musl host, a version mismatch) goes
 * through koffi's own loader, as before. The raw module has every function the native calls use
 * (`load`, `errno`, `version`); koffi's wrapper only adds deprecated aliases.
 * The native module is opened with `process.dlopen`, not `require`: a command's first `require`
 * sets up the CommonJS loader (its resolver, package.json reads, diagnostics channels), ~2 ms of
 * CPU in a run that needs nothing else from it. koffi is a Node-API module, so a second load in the
 * same thread (koffi's loader, say) gets its own instance beside this one.
 * Once a process has found the module and passed the self-test with it, later ones open that file
 * without the search (`koffiAt`, proven-cache.ts: its `createRequire`, stats and package.json read
 * were ~0.6 ms of every file-using start); only a file the search itself could have found is opened.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onMainThread } from './thread-data.ts';

/** The file koffi's native module was last opened from in this thread by `installedNative` or `koffiAt`; "" otherwise. */
let openedFile = '';

/** The file of the koffi `requireKoffi` or `koffiAt` last returned: "" when koffi's own loader found it. */
export function koffiFile(): string {
  return openedFile;
}

/** npm's folder for koffi's native module on this platform, and the module's path inside it. */
const PKG = `@koromix/koffi-${process.platform}-${process.arch}`;
const ADDON = path.join(`${process.platform}_${process.arch}`, 'koffi.node');

/**
 * koffi's native module opened straight from `file` (where an earlier process found it, see
 * proven-cache.ts), when that is a place `installedNative` searches from module URL `from` (npm's
 * folder for it in a node_modules folder of `from`'s folder or one above it: a record cannot name any
 * other file) and the module there is version `version`; else undefined, and the caller searches.
 */
export function koffiAt<K extends { version: string }>(file: string, version: string, from: string): K | undefined {
  const tail = path.join('node_modules', PKG, ADDON);
  if (!path.isAbsolute(file) || path.normalize(file) !== file || !file.endsWith(path.sep + tail)) return undefined;
  const above = file.slice(0, -(tail.length + 1));
  const folder = path.dirname(fileURLToPath(from));
  if (folder !== above && !folder.startsWith(above.endsWith(path.sep) ? above : above + path.sep)) return undefined;
  let koffi: K | undefined;
  try {
    koffi = opened<K>(file, version);
  } catch {
    return undefined; // gone, or not loadable: search
  }
  if (koffi !== undefined) spareStdioAtExit(koffi as unknown as OpensLibraries);
  return koffi;
}

/** The native module at `file`, opened with `process.dlopen`, when it is version `version`. */
function opened<K extends { version: string }>(file: string, version: string): K | undefined {
  const loaded = { exports: {} as K };
  process.dlopen(loaded, file);
  if (loaded.exports.version !== version) return undefined;
  openedFile = file;
  return loaded.exports;
}

/** koffi, through its native module when that is safe (see above), else through its own loader. */
export function requireKoffi<K extends { version: string }>(require: NodeJS.Require): K {
  let koffi: K | undefined;
  openedFile = '';
  try {
    koffi = installedNative<K>(require);
  } catch {
    // Not loadable here: koffi's loader finds the right one.
  }
  koffi ??= require('koffi') as K;
  spareStdioAtExit(koffi as unknown as OpensLibraries);
  return koffi;
}

/** What `spareStdioAtExit` uses of koffi: the process's own symbols (`load(null)`). */
interface OpensLibraries {
  load(name: null): { func(declaration: string): (...args: number[]) => number };
}

let spared = false;

/**
 * koffi's C library flushes its own stdout and stderr when the process exits (an exit handler,
 * `K_EXIT(FlushStd)` in koffi's base.cc), and that flush is `fsync(1)` and `fsync(2)`: a command
 * whose output went to a file would wait at its exit until all of it is on disk (0.5–20 ms for one
 * line on this machine's ext4, more the more is unwritten), which node:wasi never does. So once
 * koffi is loaded, the main thread's `exit` puts /dev/null over descriptor 1 or 2 where it is a
 * regular file: everything was written to it already (Node writes to files synchronously), and
 * koffi's fsync then returns at once. Pipes and terminals are left alone (fsync returns at once
 * there). A worker's `exit` is not the process's and changes nothing. Rule: nothing writes to
 * stdout or stderr from an `exit` listener added after the native calls loaded.
 */
function spareStdioAtExit(koffi: OpensLibraries): void {
  if (spared || process.platform === 'win32') return;
  spared = true;
  process.once('exit', () => {
    const files = [1, 2].filter((fd) => {
      try {
        return fs.fstatSync(fd).isFile();
      } catch {
        return false;
      }
    });
    // Without loading node:worker_threads in the main thread (~5 ms of CPU at every such exit).
    if (files.length === 0 || !onMainThread()) return;
    try {
      const dup2 = koffi.load(null).func('int dup2(int, int)');
      const devNull = fs.openSync('/dev/null', 'w');
      for (const fd of files) dup2(devNull, fd);
      fs.closeSync(devNull);
    } catch {
      // Left as it is: the exit then waits for the disk, as it did.
    }
  });
}

/** The native module npm installed beside koffi, loaded, when it is koffi's own version; else undefined. */
function installedNative<K extends { version: string }>(require: NodeJS.Require): K | undefined {
  let addon: string | undefined;
  let wanted: unknown;
  // The first folder holding each package wins, as `require` resolves them.
  for (const dir of require.resolve.paths('koffi') ?? []) {
    if (addon === undefined && fs.existsSync(path.join(dir, PKG, 'package.json'))) addon = path.join(dir, PKG, ADDON);
    // Looked for before it is read: a failed read throws, and an error costs its stack (~0.1 ms each
    // of the folders before the project's, from out/cli/).
    const manifest = path.join(dir, 'koffi', 'package.json');
    if (wanted === undefined && fs.existsSync(manifest)) {
      try {
        wanted = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: unknown }).version;
      } catch {
        wanted = null; // unreadable: koffi's loader then
      }
    }
    if (addon !== undefined && wanted !== undefined) break;
  }
  if (addon === undefined || typeof wanted !== 'string') return undefined;
  return opened<K>(addon, wanted);
}
