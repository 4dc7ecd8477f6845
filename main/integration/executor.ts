/**
 * Performs the planners' file operations, and finds what of an app's already exists. Every guard is
 * checked before anything is written, so a collision with the person's own file changes nothing.
 *
 * Ambient Authority: reads and writes the person's folders given in the operations and the host.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { commandNameProblem } from './names.ts';
import { type Host, folders, markedApp, pathFor } from './host.ts';
import { desktopFileName } from './linux.ts';
import type { FileOp, Guard, ShortcutOptions } from './ops.ts';
import type { Existing } from './plan.ts';
import { isAppShortcut } from './windows.ts';
import { CodedError } from '../shared/coded-error.ts';

/** Something that is not the app's is where one of its files would go (`exists`, `details.path`). */
export function collisionError(where: string): CodedError {
  return new CodedError('exists', `${where} already exists and was not made by Terrarium for this app`, { path: where });
}

/** Electron's shortcut functions (Windows only); without them, `.lnk` operations fail. */
export interface ShortcutIo {
  writeShortcut?: (path: string, options: ShortcutOptions) => boolean;
  readShortcut?: (path: string) => { args?: string } | null;
}

/** Generated files are small; anything bigger at one of their paths is not Terrarium's. */
const MARKED_FILE_MAX = 64 * 1024;

async function exists(p: string): Promise<'none' | 'link' | 'there'> {
  try {
    return (await fs.lstat(p)).isSymbolicLink() ? 'link' : 'there';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw err;
  }
}

/** Whether the guarded place is free, the app's, or someone else's (a symbolic link always is). */
async function ownership(guard: Guard, io: ShortcutIo): Promise<'free' | 'ours' | 'other'> {
  const root = await exists(guard.root ?? guard.file);
  if (root === 'none') return 'free';
  if (root === 'link' || (await exists(guard.file)) !== 'there') return 'other';
  if (/\.lnk$/i.test(guard.file)) {
    const link = io.readShortcut?.(guard.file) ?? null;
    return link !== null && isAppShortcut(link, guard.appId) ? 'ours' : 'other';
  }
  const stat = await fs.stat(guard.file);
  if (!stat.isFile() || stat.size > MARKED_FILE_MAX) return 'other';
  return markedApp(await fs.readFile(guard.file, 'utf8')) === guard.appId ? 'ours' : 'other';
}

async function writeFile(target: string, content: string | Uint8Array, mode: number): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.terrarium-${process.pid}.tmp`;
  await fs.writeFile(temp, content, { mode });
  await fs.chmod(temp, mode); // the umask may have narrowed it
  await fs.rename(temp, target);
}

/** Performs `ops` in order, after checking that no write would replace something not the app's. */
export async function applyOps(ops: readonly FileOp[], io: ShortcutIo = {}): Promise<void> {
  const skip = new Set<FileOp>();
  for (const op of ops) {
    if (op.op === 'copy') continue;
    const owner = await ownership(op.guard, io);
    if (op.op === 'remove' && owner !== 'ours') skip.add(op);
    else if (op.op !== 'remove' && owner === 'other') throw collisionError(op.guard.root ?? op.path);
  }
  for (const op of ops) {
    if (skip.has(op)) continue;
    switch (op.op) {
      case 'write':
        await writeFile(op.path, op.content, op.mode);
        break;
      case 'copy':
        // readFile, not copyFile: the source may be inside Electron's app.asar.
        await writeFile(op.path, await fs.readFile(op.from), 0o644);
        break;
      case 'shortcut':
        if (io.writeShortcut === undefined) throw new CodedError('unsupported', 'Windows shortcuts need Electron\'s shell.writeShortcutLink');
        await fs.mkdir(path.dirname(op.path), { recursive: true });
        if (!io.writeShortcut(op.path, op.options)) throw new CodedError('io', `could not write the shortcut ${op.path}`, { path: op.path });
        break;
      case 'remove':
        await fs.rm(op.path, { recursive: op.recursive, force: true });
        break;
    }
  }
}

async function list(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch {
    return [];
  }
}

/** The app's shortcuts and commands that exist now, found by their markers in the known folders. */
export async function findExisting(host: Host, appId: string, io: ShortcutIo = {}): Promise<Existing[]> {
  const p = pathFor(host);
  const dirs = folders(host);
  const found: Existing[] = [];
  const check = async (kind: Existing['kind'], file: string, root = file): Promise<void> => {
    if ((await ownership({ appId, file, root }, io)) === 'ours') found.push({ kind, path: root });
  };
  const places = [['menu', dirs.menu], ['desktop', dirs.desktop]] as const;
  for (const [kind, dir] of places) {
    if (host.platform === 'linux') await check(kind, p.join(dir, desktopFileName(appId)));
    if (host.platform === 'win32') for (const f of await list(dir)) if (/\.lnk$/i.test(f)) await check(kind, p.join(dir, f));
  }
  if (host.platform === 'darwin') {
    for (const f of await list(dirs.menu)) if (f.endsWith('.app')) await check('menu', p.join(dirs.menu, f, 'Contents', 'Info.plist'), p.join(dirs.menu, f));
  }
  for (const f of await list(dirs.commands)) {
    const name = host.platform === 'win32' ? /^(.+)\.cmd$/i.exec(f)?.[1] : f;
    if (name !== undefined && commandNameProblem(name) === null) await check('command', p.join(dirs.commands, f));
  }
  return found;
}

/**
 * Another program `name` would shadow or be shadowed by, on `PATH` outside Terrarium's command
 * folder (null when there is none): adding `ls` as a command is refused.
 */
export async function commandOnPath(host: Host, name: string, pathVar: string): Promise<string | null> {
  const p = pathFor(host);
  const own = p.resolve(folders(host).commands);
  const exts = host.platform === 'win32' ? ['.exe', '.cmd', '.bat', '.com', '.ps1', ''] : [''];
  for (const dir of pathVar.split(host.platform === 'win32' ? ';' : ':')) {
    if (dir === '' || p.resolve(dir) === own) continue;
    for (const ext of exts) {
      const candidate = p.join(dir, name + ext);
      if ((await exists(candidate)) !== 'none') return candidate;
    }
  }
  return null;
}

/** Whether Terrarium's command folder is on `PATH` (on macOS, and some Linux setups, ~/.local/bin is not). */
export function commandFolderOnPath(host: Host, pathVar: string): boolean {
  const p = pathFor(host);
  const own = p.resolve(folders(host).commands);
  const same = (dir: string): boolean => (host.platform === 'win32' ? p.resolve(dir).toLowerCase() === own.toLowerCase() : p.resolve(dir) === own);
  return pathVar.split(host.platform === 'win32' ? ';' : ':').some((dir) => dir !== '' && same(dir));
}
