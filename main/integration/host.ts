/**
 * Where Terrarium is and where the person's folders are: everything the generators need to know
 * about the machine, passed in so they stay pure (and each platform is tested on any machine).
 */
import path from 'node:path';

export type DesktopPlatform = 'linux' | 'darwin' | 'win32';

export interface Host {
  platform: DesktopPlatform;
  /** The person's home folder. */
  home: string;
  /** XDG_DATA_HOME (Linux), APPDATA and LOCALAPPDATA (Windows); defaults follow each platform's rules. */
  env?: { XDG_DATA_HOME?: string | undefined; APPDATA?: string | undefined; LOCALAPPDATA?: string | undefined };
  /** The desktop folder (Electron's `app.getPath('desktop')`); default `<home>/Desktop`. */
  desktopDir?: string;
  /** What starts Terrarium: the AppImage or installed binary (Linux), Terrarium.exe (Windows). */
  executable: string;
  /** Terrarium's bundle id, which macOS launchers open by (default `org.terrarium.app`). */
  bundleId?: string;
  /** The icon to show: a PNG (Linux), an .ico or .exe (Windows), an .icns (macOS). */
  icon: string;
  /** How to run the `terrarium` command line (default `['terrarium']`, found on PATH). */
  cli?: readonly string[];
}

/** The id electron-builder gives the app (its config's `appId`), used for the macOS bundle. */
export const APP_ID = 'org.terrarium.app';

/** Path functions for the host's platform, whatever machine this runs on. */
export function pathFor(host: Pick<Host, 'platform'>): path.PlatformPath {
  return host.platform === 'win32' ? path.win32 : path.posix;
}

/** `$XDG_DATA_HOME`, else `~/.local/share` (an XDG value must be absolute to count). */
function xdgDataHome(host: Host): string {
  const value = host.env?.XDG_DATA_HOME;
  return value !== undefined && path.posix.isAbsolute(value) ? value : path.posix.join(host.home, '.local', 'share');
}

/** The folders shortcuts and commands go in. */
export function folders(host: Host): { menu: string; desktop: string; commands: string; icons: string | null } {
  const p = pathFor(host);
  const desktop = host.desktopDir ?? p.join(host.home, 'Desktop');
  switch (host.platform) {
    case 'linux':
      return {
        menu: p.join(xdgDataHome(host), 'applications'),
        desktop,
        commands: p.join(host.home, '.local', 'bin'),
        icons: p.join(xdgDataHome(host), 'icons', 'hicolor', '256x256', 'apps'),
      };
    case 'darwin':
      return { menu: p.join(host.home, 'Applications', 'Terrarium Apps'), desktop, commands: p.join(host.home, '.local', 'bin'), icons: null };
    case 'win32': {
      const appData = host.env?.APPDATA ?? p.join(host.home, 'AppData', 'Roaming');
      return {
        menu: p.join(appData, 'Microsoft', 'Windows', 'Start Menu', 'Programs', 'Terrarium Apps'),
        desktop,
        commands: windowsCommandsDir(host),
        icons: null,
      };
    }
  }
}

/** Windows' command folder, which the installer adds to the person's PATH (resources/installer.nsh). */
export function windowsCommandsDir(host: Pick<Host, 'home' | 'env'>): string {
  const local = host.env?.LOCALAPPDATA ?? path.win32.join(host.home, 'AppData', 'Local');
  return path.win32.join(local, 'Terrarium', 'bin');
}

/** The app, as the integration sees it. */
export interface AppRef {
  id: string;
  name: string;
  description?: string | null;
}

/** The marker every generated file carries, naming the app it belongs to. */
export function marker(appId: string): string {
  return `terrarium-app ${appId}`;
}

/** The app a generated file's text belongs to, or null when the text is not Terrarium's. */
export function markedApp(text: string): string | null {
  return /\bterrarium-app ([A-Za-z0-9][A-Za-z0-9_-]{0,63})\b/.exec(text)?.[1] ?? null;
}
