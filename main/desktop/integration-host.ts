/**
 * The desktop integration's view of this machine, from Electron: where Terrarium's executable and
 * icon are (an AppImage's own path, not its temporary mount) and Electron's `.lnk` functions.
 */
import path from 'node:path';
import type { App, Shell, ShortcutDetails } from 'electron';
import { cliPrefix, launcherName } from '../integration/cli-launch.ts';
import type { ShortcutIo } from '../integration/executor.ts';
import type { DesktopPlatform, Host } from '../integration/host.ts';
import type { ShortcutOptions } from '../integration/ops.ts';

/** Compile-time check: what the generators produce is what `shell.writeShortcutLink` takes. */
const asDetails = (options: ShortcutOptions): ShortcutDetails => options;

export interface HostInputs {
  app: Pick<App, 'getPath'>;
  platform: DesktopPlatform;
  env: NodeJS.ProcessEnv;
  /** `process.execPath`. */
  execPath: string;
  /** `process.resourcesPath`: where electron-builder put the icons (see electron-builder.config.ts). */
  resourcesPath: string;
  /** How to run the `terrarium` command line (default: the installed app's, see installedCli). */
  cli?: readonly string[];
}

/**
 * The installed app's `terrarium` command, as "Add as a command" launchers run it: the launcher
 * packed in `<resources>/bin` (a deb's /usr/bin/terrarium links to it), or, from an AppImage, whose
 * mount moves on every start, the AppImage file itself in CLI mode.
 */
export function installedCli(platform: DesktopPlatform, resourcesPath: string, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'linux' && env.APPIMAGE) return [env.APPIMAGE, ...cliPrefix('linux')];
  const p = platform === 'win32' ? path.win32 : path.posix;
  return [p.join(resourcesPath, 'bin', launcherName(platform))];
}

export function desktopHost({ app, platform, env, execPath, resourcesPath, cli }: HostInputs): Host {
  const icon = {
    linux: path.join(resourcesPath, 'icons', 'terrarium.png'),
    darwin: path.join(resourcesPath, 'icon.icns'),
    win32: execPath, // the executable carries the icon
  }[platform];
  return {
    platform,
    home: app.getPath('home'),
    env: { XDG_DATA_HOME: env.XDG_DATA_HOME, APPDATA: env.APPDATA, LOCALAPPDATA: env.LOCALAPPDATA },
    desktopDir: app.getPath('desktop'),
    // An AppImage runs from a new temporary mount each time; $APPIMAGE is the file itself.
    executable: platform === 'linux' && env.APPIMAGE ? env.APPIMAGE : execPath,
    icon,
    cli: cli ?? installedCli(platform, resourcesPath, env),
  };
}

/** Electron's shortcut functions, as the executor wants them. */
export function shortcutIo(shell: Pick<Shell, 'writeShortcutLink' | 'readShortcutLink'>): ShortcutIo {
  return {
    writeShortcut: (file, options) => shell.writeShortcutLink(file, 'create', asDetails(options)),
    readShortcut: (file) => {
      try {
        return shell.readShortcutLink(file);
      } catch {
        return null;
      }
    },
  };
}
