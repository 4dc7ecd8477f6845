/**
 * Packaging (electron-builder): Windows NSIS, macOS dmg (x64 and arm64), Linux AppImage and deb.
 * Build installers with `npm run dist -- --win|--mac|--linux` where Electron can be downloaded;
 * `npm run check:package` packs an unpacked Linux build offline against a stand-in Electron.
 */
import type { Configuration } from 'electron-builder';
import { afterPack } from './scripts/after-pack.ts';

const config: Configuration = {
  appId: 'org.terrarium.app',
  productName: 'Terrarium',
  copyright: 'Copyright © 2026 the Terrarium authors',
  directories: { output: 'dist', buildResources: 'resources' },
  // Electron takes its Wayland app_id and X11 WM_CLASS from desktopName; with syncDesktopName the
  // installed terrarium.desktop matches it, so the desktop links Terrarium's window to its entry.
  extraMetadata: { desktopName: 'terrarium.desktop' },
  files: [
    'out/**',
    'package.json',
    '!out/**/*.map',
    // better-sqlite3 ships Node-API prebuilds that load in Electron as they are (DESIGN §10): only
    // this platform's is packed, never its C sources, and nothing is rebuilt.
    '!**/node_modules/better-sqlite3/{deps,src,binding.gyp}{,/**/*}',
    '!**/node_modules/better-sqlite3/prebuilds/*',
    '**/node_modules/better-sqlite3/prebuilds/${platform}-${arch}.node',
    '!**/node_modules/node-addon-api{,/**/*}',
  ],
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
    category: 'Utility',
    executableName: 'terrarium',
    syncDesktopName: true,
    icon: 'resources/icons',
    synopsis: 'Runs portable WebAssembly command-line apps, each in its own sandbox',
    // The icon per-app shortcuts show (copied out of the AppImage, whose mount moves).
    extraResources: [{ from: 'resources/icons/256x256.png', to: 'icons/terrarium.png' }],
  },
  deb: { packageCategory: 'utils' },
  mac: {
    target: [{ target: 'dmg', arch: ['x64', 'arm64'] }],
    category: 'public.app-category.developer-tools',
    icon: 'resources/icon.icns',
  },
  win: {
    target: [{ target: 'nsis', arch: ['x64'] }],
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
