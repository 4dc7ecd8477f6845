/** Linux: a Desktop Entry per app, in the applications folder and optionally on the desktop. */
import { desktopValue, execLine, oneLine } from './escape.ts';
import { APP_ID, type AppRef, type Host, folders, marker, pathFor } from './host.ts';
import { checkAppId } from './names.ts';
import { type FileOp, runArgs } from './ops.ts';

/** Longest Name= and Comment= (in UTF-16 units; cut at a grapheme boundary, marked with …). */
const NAME_MAX = 128;
const COMMENT_MAX = 512;

/** The entry's file name, from the app id, so a rename rewrites the same file. */
export function desktopFileName(appId: string): string {
  return `terrarium-app-${checkAppId(appId)}.desktop`;
}

/** Where the shared icon the entries point at is copied (a stable path, even for an AppImage). */
export function linuxIconPath(host: Host): string {
  return pathFor(host).join(folders(host).icons!, `${APP_ID}.png`);
}

/** The Desktop Entry text (Desktop Entry Specification 1.5) that runs `Terrarium --run <id>`. */
export function desktopEntry(host: Host, app: AppRef): string {
  const name = oneLine(app.name, NAME_MAX) || `App ${app.id}`;
  const comment = oneLine(app.description ?? '', COMMENT_MAX) || `Runs ${name} in Terrarium`;
  return [
    '[Desktop Entry]',
    `# ${marker(checkAppId(app.id))}: made by Terrarium, which updates it on rename and removes it on uninstall.`,
    'Type=Application',
    'Version=1.5',
    `Name=${desktopValue(name)}`,
    `Comment=${desktopValue(comment)}`,
    `Exec=${execLine([host.executable, ...runArgs(app.id)])}`,
    `Icon=${desktopValue(linuxIconPath(host))}`,
    'Terminal=false',
    'Categories=Utility;',
    'StartupNotify=true',
    `X-Terrarium-App=${app.id}`,
    '',
  ].join('\n');
}

/** The operations that add the app's entry to the menu and, if asked, the desktop. */
export function linuxShortcutOps(host: Host, app: AppRef, where: { menu: boolean; desktop: boolean }): FileOp[] {
  const p = pathFor(host);
  const dirs = folders(host);
  const content = desktopEntry(host, app);
  const file = desktopFileName(app.id);
  const entry = (dir: string, mode: number): FileOp => {
    const target = p.join(dir, file);
    return { op: 'write', path: target, content, mode, guard: { appId: app.id, file: target } };
  };
  // Desktop launchers must be executable for file managers to run them (GNOME also asks to trust them).
  return [
    { op: 'copy', from: host.icon, path: linuxIconPath(host) },
    ...(where.menu ? [entry(dirs.menu, 0o644)] : []),
    ...(where.desktop ? [entry(dirs.desktop, 0o755)] : []),
  ];
}
