/**
 * Where Terrarium keeps its library: a `library` folder of its own, or `TERRARIUM_HOME` when set.
 *
 * Not Electron's user-data folder: on Windows and macOS that is the app-data folder itself
 * (`%APPDATA%\Terrarium`, `~/Library/Application Support/Terrarium`, named after productName),
 * where Chromium keeps its caches and storage, and which electron-builder's uninstaller deletes
 * whole when told to delete app data. So the library is `<app data>/library` on macOS and Linux,
 * and `%LOCALAPPDATA%\Terrarium\library` on Windows (local: modules can be large, and the
 * uninstaller asks about it separately). Older versions kept `library.db` and `store/` directly in
 * the app-data folder; they are moved on first open.
 *
 * Ambient Authority: reads the environment and the home folder to find it, and moves an old
 * library's files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The user's home folder, `os.homedir()`: on POSIX that is $HOME when it is set (libuv's
 * `uv_os_homedir`; an empty one included), else the password database's. Taken only where a path
 * needs it, and from $HOME without node:os, which a `terrarium run APP` then does not load
 * (~0.3 ms of its start; main/compile-cache.js `homeDir` does the same). `env` is the process's.
 */
export function homeDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = platform === 'win32' ? undefined : env.HOME;
  return home ?? os.homedir();
}

/** Terrarium's app-data folder: XDG data (Linux), Application Support (macOS), AppData (Windows). */
export function appDataFolder(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home?: string): string {
  if (platform === 'win32') return path.win32.join(env.APPDATA ?? path.win32.join(home ?? homeDir(), 'AppData', 'Roaming'), 'Terrarium');
  if (platform === 'darwin') return path.posix.join(home ?? homeDir(), 'Library', 'Application Support', 'Terrarium');
  return path.posix.join(env.XDG_DATA_HOME || path.posix.join(home ?? homeDir(), '.local', 'share'), 'terrarium');
}

/** The library folder's name inside the app-data folder. */
export const LIBRARY_FOLDER = 'library';

/** The library folder: $TERRARIUM_HOME, else `%LOCALAPPDATA%\Terrarium\library` (Windows) or `<app data>/library`. */
export function dataHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home?: string): string {
  if (env.TERRARIUM_HOME) return path.resolve(env.TERRARIUM_HOME);
  if (platform === 'win32') return path.win32.join(env.LOCALAPPDATA ?? path.win32.join(home ?? homeDir(), 'AppData', 'Local'), 'Terrarium', LIBRARY_FOLDER);
  return path.posix.join(appDataFolder(env, platform, home), LIBRARY_FOLDER);
}

/** A library's files, in the order they are moved: the database last, so its presence says the move is done. */
const LIBRARY_FILES = ['store', 'library.db-wal', 'library.db-shm', 'library.db'];

/**
 * Moves a library that lives directly in `legacy` into `target` (on the same volume), and returns
 * the folder to open. All or nothing: when a step fails (the database held open by an older
 * Terrarium on Windows, say), what was moved goes back and the old place is used this time.
 * Nothing happens when `target` already has a library or `legacy` has none.
 */
export function migrateLibrary(legacy: string, target: string, rename: (from: string, to: string) => void = fs.renameSync): string {
  if (fs.existsSync(path.join(target, 'library.db')) || !fs.existsSync(path.join(legacy, 'library.db'))) return target;
  const moved: string[] = [];
  try {
    fs.mkdirSync(target, { recursive: true });
    for (const name of LIBRARY_FILES) {
      if (!fs.existsSync(path.join(legacy, name)) || fs.existsSync(path.join(target, name))) continue;
      rename(path.join(legacy, name), path.join(target, name));
      moved.push(name);
    }
    return target;
  } catch (err) {
    for (const name of moved.reverse()) {
      try {
        rename(path.join(target, name), path.join(legacy, name));
      } catch {
        // Left where it is; the next open moves the rest.
      }
    }
    process.stderr.write(`terrarium: could not move the library from ${legacy} into ${target} (${(err as Error).message}); using it where it is\n`);
    return legacy;
  }
}

/** The library folder to open by default: dataHome(), with an old library moved into it first. */
export function defaultLibraryHome(env: NodeJS.ProcessEnv = process.env): string {
  const home = dataHome(env);
  return env.TERRARIUM_HOME ? home : migrateLibrary(appDataFolder(env), home);
}
