/**
 * Packaging (electron-builder): Windows NSIS, macOS dmg (x64 and arm64), Linux AppImage and deb.
 * Build installers with `npm run dist -- --win|--mac|--linux` where Electron can be downloaded;
 * `npm run check:package` packs an unpacked Linux build offline against a stand-in Electron.
 */
import type { Configuration } from 'electron-builder';
import { afterPack } from './scripts/after-pack.ts';

/**
 * What every target packs. Web mode (`terrarium ui --web`) is for checkouts: neither the window nor
 * the packed CLI reaches it (`npm run check:package` fails on packed files nothing imports).
 */
const FILES = [
  'out/**',
  'package.json',
  '!out/**/*.map',
  '!out/app/main/web{,/**/*}',
  '!out/app/main/cli/ui-command.js',
  '!out/app/preload/wire.js',
  '!**/node_modules/ws{,/**/*}',
  // Modules of types only, which compile to an empty module that nothing loads.
  '!out/app/main/{library/types,runtime/context,runtime/worker-protocol}.js',
  // smol-toml's CommonJS build: the app imports its ES module.
  '!**/node_modules/smol-toml/dist/index.cjs',
  // better-sqlite3's C sources, and per-target entry points its lib/index.js never loads.
  '!**/node_modules/better-sqlite3/{deps,src,binding.gyp}{,/**/*}',
  '!**/node_modules/better-sqlite3/lib/{linux,linuxmusl,darwin,win32}-*.js',
  '!**/node_modules/node-addon-api{,/**/*}',
];

/** Native prebuilds of the target's architecture (`${arch}` is the target's; `${platform}` would be the build machine's). */
const NATIVE_OF_ARCH = ['!**/node_modules/better-sqlite3/prebuilds/*', '**/node_modules/better-sqlite3/prebuilds/*-${arch}.node'];

/**
 * A platform section's files: better-sqlite3 ships Node-API prebuilds that load in Electron as they
 * are (DESIGN §10), and each target packs only its own OS's (named here), of its own architecture
 * (so each macOS build gets its own); nothing is rebuilt. Add any other native dependency here.
 *
 * electron-builder uses a platform's `files` instead of the top-level list for the app's files,
 * but for node_modules it takes the top-level list and then only the platform's exclusions: so the
 * architecture's prebuilds are included at the top level and other systems' excluded here.
 */
export function platformFiles(os: 'linux' | 'darwin' | 'win32'): string[] {
  const others = ['linux', 'linuxmusl', 'darwin', 'win32'].filter((o) => o !== os);
  return [...FILES, NATIVE_OF_ARCH[1]!, `!**/node_modules/better-sqlite3/prebuilds/{${others.join(',')}}-*.node`];
}

const config: Configuration = {
  files: [...FILES, ...NATIVE_OF_ARCH],
  appId: 'org.terrarium.app',
  productName: 'Terrarium',
  copyright: 'Copyright © 2026 the Terrarium authors',
  directories: { output: 'dist', buildResources: 'resources' },
  // Electron takes its Wayland app_id and X11 WM_CLASS from desktopName; with syncDesktopName the
  // installed terrarium.desktop matches it, so the desktop links Terrarium's window to its entry.
  extraMetadata: { desktopName: 'terrarium.desktop' },
  asar: { smartUnpack: false },
  // A native module cannot be loaded from inside the asar: Electron loads it from app.asar.unpacked.
  asarUnpack: ['**/node_modules/better-sqlite3/prebuilds/*.node'],
  npmRebuild: false,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  afterPack,
  fileAssociations: [
    {
      ext: 'wasm',
      name: 'WebAssembly module',
      description: 'WebAssembly module',
      mimeType: 'application/wasm',
      role: 'Viewer',
      rank: 'Default',
    },
  ],
  linux: {
    target: ['AppImage', 'deb'],
    files: platformFiles('linux'),
    category: 'Utility',
    executableName: 'terrarium',
    syncDesktopName: true,
    icon: 'resources/icons',
    synopsis: 'Runs portable WebAssembly command-line apps, each in its own sandbox',
    // The icon per-app shortcuts show (copied out of the AppImage, whose mount moves).
    extraResources: [{ from: 'resources/icons/256x256.png', to: 'icons/terrarium.png' }],
  },
  deb: {
    packageCategory: 'utils',
    // /usr/bin/terrarium is the `terrarium` command, not the window (see the scripts).
    afterInstall: 'resources/linux/after-install.tpl',
    afterRemove: 'resources/linux/after-remove.tpl',
  },
  mac: {
    target: [{ target: 'dmg', arch: ['x64', 'arm64'] }],
    files: platformFiles('darwin'),
    category: 'public.app-category.developer-tools',
    icon: 'resources/icon.icns',
  },
  win: {
    target: [{ target: 'nsis', arch: ['x64'] }],
    files: platformFiles('win32'),
    icon: 'resources/icon.ico',
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    // Puts %LOCALAPPDATA%\Terrarium\bin ("Add as a command") on the person's PATH, and takes it off.
    include: 'resources/installer.nsh',
  },
};

export default config;
