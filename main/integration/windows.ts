/** Windows: a Start-menu (and optional desktop) `.lnk` per app, written by Electron's shell API. */
import { oneLine, windowsArg } from './escape.ts';
import { type AppRef, type Host, folders, pathFor } from './host.ts';
import { checkAppId, displayFileName } from './names.ts';
import { type FileOp, type ShortcutOptions, runArgs } from './ops.ts';

/** Longest description a shortcut keeps (the shell's INFOTIPSIZE, less room for the terminator). */
const DESCRIPTION_MAX = 259;

/** `shell.writeShortcutLink`'s options: Terrarium.exe `--run <id>`, with Terrarium's icon. */
export function windowsShortcut(host: Host, app: AppRef): ShortcutOptions {
  const name = oneLine(app.name, 128) || `App ${app.id}`;
  const description = oneLine(app.description ?? '', DESCRIPTION_MAX) || oneLine(`Runs ${name} in Terrarium`, DESCRIPTION_MAX);
  return {
    target: host.executable,
    args: runArgs(checkAppId(app.id)).map(windowsArg).join(' '),
    description,
    icon: host.icon,
    iconIndex: 0,
  };
}

/** The shortcut's file name: the app's name, as the Start menu shows it. */
export function shortcutFileName(app: AppRef): string {
  return `${displayFileName(app.name, app.id)}.lnk`;
}

/** The operations that add the app's shortcut to the Start menu and, if asked, the desktop. */
export function windowsShortcutOps(host: Host, app: AppRef, where: { menu: boolean; desktop: boolean }): FileOp[] {
  const p = pathFor(host);
  const dirs = folders(host);
  const options = windowsShortcut(host, app);
  const link = (dir: string): FileOp => {
    const target = p.join(dir, shortcutFileName(app));
    return { op: 'shortcut', path: target, options, guard: { appId: app.id, file: target } };
  };
  return [...(where.menu ? [link(dirs.menu)] : []), ...(where.desktop ? [link(dirs.desktop)] : [])];
}

/** Whether a shortcut's target and arguments are the app's (how a `.lnk`'s owner is told). */
export function isAppShortcut(link: { args?: string }, appId: string): boolean {
  return (link.args ?? '').trim() === runArgs(appId).map(windowsArg).join(' ');
}
