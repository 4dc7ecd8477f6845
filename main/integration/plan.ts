/**
 * What to do on disk when a person adds a shortcut or command, renames an app, or uninstalls it:
 * pure functions from the host, the app and what already exists to a list of file operations.
 */
import { commandNameOf, commandOps } from './commands.ts';
import { type AppRef, type DesktopPlatform, type Host, pathFor } from './host.ts';
import { linuxShortcutOps } from './linux.ts';
import { bundlePath, macShortcutOps } from './macos.ts';
import type { FileOp } from './ops.ts';
import { windowsShortcutOps } from './windows.ts';

/** A file (or macOS bundle) of the app's that exists now, as the executor's scan found it. */
export interface Existing {
  kind: 'menu' | 'desktop' | 'command';
  path: string;
}

/** Where a shortcut goes: the application menu (Start menu, Launchpad) and/or the desktop. */
export interface ShortcutPlaces {
  menu: boolean;
  desktop: boolean;
}

/** Whether the platform has a desktop shortcut (macOS keeps apps in Launchpad and the Dock instead). */
export function supportsDesktopShortcut(platform: DesktopPlatform): boolean {
  return platform !== 'darwin';
}

/** Adds the app's shortcuts. */
export function planShortcuts(host: Host, app: AppRef, places: ShortcutPlaces): FileOp[] {
  switch (host.platform) {
    case 'linux':
      return linuxShortcutOps(host, app, places);
    case 'win32':
      return windowsShortcutOps(host, app, places);
    case 'darwin':
      return places.menu || places.desktop ? macShortcutOps(host, app) : [];
  }
}

/** Adds command `name` for the app (throws a `bad-command` CodedError for a name that cannot be used). */
export function planCommand(host: Host, app: AppRef, name: string): FileOp[] {
  return commandOps(host, app, name);
}

/** Removes everything the app has (on uninstall, or when the person removes them). */
export function planRemoval(host: Host, appId: string, existing: readonly Existing[]): FileOp[] {
  return existing.map((e) => {
    const bundle = host.platform === 'darwin' && e.kind !== 'command';
    const file = bundle ? pathFor(host).join(e.path, 'Contents', 'Info.plist') : e.path;
    return { op: 'remove', path: e.path, recursive: bundle, guard: { appId, file, root: e.path } };
  });
}

/**
 * Brings the app's files up to date with its new name: shortcuts are rewritten (and moved, where the
 * file name is the app's name), commands keep the name the person chose and are rewritten. Old
 * files are removed before new ones are written, so a rename that only changes letter case works
 * on case-insensitive file systems.
 */
export function planRename(host: Host, app: AppRef, existing: readonly Existing[]): FileOp[] {
  const shortcuts = existing.filter((e) => e.kind !== 'command');
  const places = { menu: shortcuts.some((e) => e.kind === 'menu'), desktop: shortcuts.some((e) => e.kind === 'desktop') };
  const writes = [...planShortcuts(host, app, places), ...existing.filter((e) => e.kind === 'command').flatMap((e) => planCommand(host, app, commandNameOf(host, e.path)))];
  const written = new Set(writes.map((op) => op.path));
  const newBundle = host.platform === 'darwin' ? bundlePath(host, app) : null;
  const moved = shortcuts.filter((e) => !written.has(e.path) && e.path !== newBundle);
  return [...planRemoval(host, app.id, moved), ...writes];
}
