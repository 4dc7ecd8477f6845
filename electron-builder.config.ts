/**
 * Packaging (electron-builder): Windows NSIS, macOS dmg (x64 and arm64), Linux AppImage and deb.
 * Build installers with `npm run dist -- --win|--mac|--linux` where Electron can be downloaded;
 * `npm run check:package` packs an unpacked Linux build offline against a stand-in Electron.
 */
import { type AfterPackContext, Arch, type Configuration, type FileSet } from 'electron-builder';
import { afterPack } from './scripts/after-pack.ts';
import { KOFFI_CACHE, prepareKoffi } from './scripts/koffi-binaries.ts';

/**
 * What every target packs. Web mode (`terrarium ui --web`) is for checkouts: neither the window nor
 * the packed CLI reaches it (`npm run check:package` fails on packed files nothing imports).
 */
const FILES = [
  'out/**',
  'package.json',
  // The bundled command (scripts/bundle-cli.ts), which the packaged `terrarium` command runs
  // (main/desktop/cli-mode.ts) and its run workers start from (main/runtime/run.ts workerEntry),
  // with the compile-cache module it imports from outside the bundle (../../main/ from out/cli).
  // Not its list of sources (bin/terrarium.js's freshness rule: a package has no sources; cli-mode
  // starts the bundle from out/cli/start.json), its ES entry (a checkout's route for a bundle of no
  // start), nor web mode's command. check:package runs the packed command and a guest in a packed worker.
  'main/compile-cache.{js,cjs}',
  '!out/cli/{sources.json,cli.js,ui-command-*.js}',
  '!out/**/*.map',
  '!out/app/main/web{,/**/*}',
  '!out/app/main/cli/ui-command.js',
  '!out/app/preload/{wire,plain-text}.js',
  '!**/node_modules/ws{,/**/*}',
  // Modules of types only, which compile to an empty module that nothing loads.
  '!out/app/main/{library/types,runtime/context,runtime/host-calls/types,launcher/events}.js',
  '!out/app/preload/shapes.js',
  // smol-toml's CommonJS build: the app imports its ES module.
  '!**/node_modules/smol-toml/dist/index.cjs',
  // valibot: its ES module only (the preload bundles its own copy).
  '!**/node_modules/valibot/dist/index.{cjs,min.cjs,min.mjs,d.cts,d.mts}',
  // better-sqlite3's C sources, and per-target entry points its lib/index.js never loads.
  '!**/node_modules/better-sqlite3/{deps,src,binding.gyp}{,/**/*}',
  '!**/node_modules/better-sqlite3/lib/{linux,linuxmusl,darwin,win32}-*.js',
  '!**/node_modules/node-addon-api{,/**/*}',
  // koffi: its CommonJS entry and loader only (the runtime requires it lazily; no sources, docs or
  // ES module twins); its native module comes per target from scripts/koffi-binaries.ts as a
  // resource, never from the build machine's own @koromix package.
  '!**/node_modules/@koromix{,/**/*}',
  '!**/node_modules/koffi/{doc,vendor,lib,cnoke.cjs,CHANGELOG.md,README.md,index.js,index.d.ts,indirect.cjs,indirect.js}{,/**/*}',
  '!**/node_modules/koffi/src/koffi/{CMakeLists.txt,index.js,indirect.cjs,indirect.js}',
  '!**/node_modules/koffi/src/koffi/src/{abi,*.cc,*.hh,*.inc,*.def,static.js,trampolines.cjs}{,/**/*}',
  // jco-transpile (issue 15): only its code generator (`/component`: vendor/js-component-bindgen-
  // component.js and its two core modules) is loaded (wasm/transpile.ts), with the parts of
  // preview2-shim it imports as its own host (cli, filesystem, io, random, and their calls and
  // synckit, and the I/O worker it starts when loaded); the generator makes no file I/O through
  // it, so preview2-shim's native file helper (jco-node-fs, only for fadvise) is never loaded
  // nor packed. Its front end, wasm-tools, minifier (oxc-minify, native),
  // preview3-shim and optimiser (binaryen, 93 MB) are never loaded nor packed; check:package
  // refuses a packed binaryen or minifier and transpiles a component with the packed generator.
  '!**/node_modules/binaryen{,/**/*}',
  '!**/node_modules/{oxc-minify,@oxc-minify}{,/**/*}',
  '!**/node_modules/{@emnapi,@napi-rs,@tybys,tslib}{,/**/*}',
  '!**/node_modules/@bytecodealliance/{preview3-shim,jco-node-fs,jco-node-fs-*}{,/**/*}',
  '!**/node_modules/@bytecodealliance/jco-transpile/{dist,vendor/wasm-tools*,vendor/interfaces,vendor/*.d.ts,vendor/.gitkeep,README.md}{,/**/*}',
  '!**/node_modules/@bytecodealliance/preview2-shim/{types,README.md,dist/browser,dist/common}{,/**/*}',
  '!**/node_modules/@bytecodealliance/preview2-shim/dist/**/*.d.ts',
  '!**/node_modules/@bytecodealliance/preview2-shim/dist/nodejs/{clocks,http,index,io-worker,sockets}.js',
  '!**/node_modules/@bytecodealliance/preview2-shim/dist/io/{extension,worker-filesystem,worker-http,worker-socket-tcp,worker-socket-udp,worker-sockets,worker-thread}.js',
];

/**
 * The target's koffi binaries (gathered by `beforePack`) as resources, outside the asar, where
 * koffi's loader looks in a packaged app: <resources>/koffi/<triplet>/koffi.node (the runtime
 * hands `process.resourcesPath` to its workers). Windows never loads koffi.
 */
function koffiResources(os: 'linux' | 'darwin'): FileSet {
  return { from: `${KOFFI_CACHE}/${os}-\${arch}`, to: 'koffi', filter: ['**/koffi.node'] };
}

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

/** electron-builder's beforePack hook: gathers the target's koffi binaries (see koffi-binaries.ts). */
export function beforePack(context: Pick<AfterPackContext, 'electronPlatformName' | 'arch'>): void {
  const os = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName;
  if (os === 'linux' || os === 'darwin') prepareKoffi({ os, arch: String(Arch[context.arch]) });
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
  beforePack,
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
    extraResources: [{ from: 'resources/icons/256x256.png', to: 'icons/terrarium.png' }, koffiResources('linux')],
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
    extraResources: [koffiResources('darwin')],
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
