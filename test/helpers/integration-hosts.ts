/** Hosts for each platform, as the generators' tests use them. */
import type { Host } from '../../main/integration/host.ts';

export const LINUX: Host = {
  platform: 'linux',
  home: '/home/ada',
  executable: '/home/ada/Apps/Terrarium 1.0.AppImage',
  icon: '/tmp/.mount_x/resources/icons/terrarium.png',
};

export const MAC: Host = {
  platform: 'darwin',
  home: '/Users/ada',
  executable: '/Applications/Terrarium.app/Contents/MacOS/Terrarium',
  icon: '/Applications/Terrarium.app/Contents/Resources/icon.icns',
};

export const WINDOWS: Host = {
  platform: 'win32',
  home: 'C:\\Users\\Ada',
  env: { APPDATA: 'C:\\Users\\Ada\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\Ada\\AppData\\Local' },
  desktopDir: 'C:\\Users\\Ada\\OneDrive\\Desktop',
  executable: 'C:\\Users\\Ada\\AppData\\Local\\Programs\\Terrarium\\Terrarium.exe',
  icon: 'C:\\Users\\Ada\\AppData\\Local\\Programs\\Terrarium\\Terrarium.exe',
};

export const APP = { id: '1a2b3c4d', name: 'Cow Say', description: 'Says things, like a cow.' };
/** A name with everything that needs escaping somewhere. */
export const TRICKY = { id: 'beef0001', name: ' "Q\\uote" 100% $HOME <x>&\n`id`', description: null };
