/**
 * Stand-in Electron distributions for offline packaging checks (DESIGN §10): electron-builder
 * copies one, renames its executable, edits its resources and flips its fuses, exactly as it does
 * the real one. Each executable carries Electron's fuse wire (its sentinel, version 1, eight fuses at
 * Electron's defaults), so the afterPack hook's fuse flipping runs, and is checked, as on the real
 * binary. None of them can start a window.
 *
 * - Linux: a shell script. With $TERRARIUM_STAND_IN_ENTRY set it runs that file with
 *   $TERRARIUM_STAND_IN_NODE (plain Node standing in for Electron's main process), which is how the
 *   packed `terrarium` command is run here; otherwise it exits 1.
 * - Windows: an empty PE image with a version resource (electron-builder writes the asar's
 *   integrity into the executable's resources, so it must parse), the fuse wire after it.
 * - macOS: an Electron.app tree with its four helper apps and Electron Framework (the fuse wire's
 *   home), which electron-builder renames and whose Info.plist files it rewrites.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** @electron/fuses' sentinel, which marks the fuse wire in every Electron binary. */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** Electron's defaults, in wire order: RunAsNode, CookieEncryption, NodeOptions, CliInspect, AsarIntegrity, OnlyFromAsar, BrowserV8Snapshot, FileProtocolPrivileges. */
const DEFAULT_WIRE = '10110001';
const WIRE = `# fuse wire: ${FUSE_SENTINEL}\u0001\u0008${DEFAULT_WIRE}\n`;

export type TargetOs = 'linux' | 'win32' | 'darwin';

/** The Linux stand-in: a script (see above). */
function linuxExecutable(): string {
  return [
    '#!/bin/sh',
    // Electron's main process knows its resources folder (process.resourcesPath): so does the stand-in's.
    'if [ -n "$TERRARIUM_STAND_IN_ENTRY" ]; then exec "$TERRARIUM_STAND_IN_NODE" --import "data:text/javascript,process.resourcesPath=process.env.TERRARIUM_STAND_IN_RESOURCES" "$TERRARIUM_STAND_IN_ENTRY" "$@"; fi',
    "echo 'This is a stand-in for Electron, made by npm run check:package; it runs nothing.' >&2",
    'exit 1',
    WIRE,
  ].join('\n');
}

/** An empty PE executable with one version resource (what electron-builder's asar-integrity step needs). */
function windowsExecutable(): Buffer {
  const resedit = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'))('resedit') as typeof import('resedit');
  const exe = resedit.NtExecutable.createEmpty(false, false);
  const res = resedit.NtExecutableResource.from(exe);
  const version = resedit.Resource.VersionInfo.createEmpty();
  version.setStringValues({ lang: 1033, codepage: 1200 }, { ProductName: 'Electron stand-in', FileDescription: 'Electron stand-in' });
  version.setFileVersion(45, 5, 0, 0, 1033);
  version.outputToResourceEntries(res.entries);
  res.outputResource(exe);
  exe.setExtraData(Buffer.from(WIRE, 'latin1'));
  return Buffer.from(exe.generate());
}

function plist(name: string, id: string): string {
  const entries = { CFBundleExecutable: name, CFBundleIdentifier: id, CFBundleName: name, CFBundleDisplayName: name, CFBundleVersion: '45.5.0', CFBundleShortVersionString: '45.5.0' };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0"><dict>',
    ...Object.entries(entries).map(([k, v]) => `<key>${k}</key><string>${v}</string>`),
    '</dict></plist>',
    '',
  ].join('\n');
}

function write(file: string, content: string | Buffer, mode = 0o644): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, { mode });
  return file;
}

/** Writes a stand-in distribution for `os` into `dir` (electron-builder's `electronDist`); returns the file that holds the fuse wire. */
export function writeStandInElectron(dir: string, os: TargetOs = 'linux'): string {
  if (os === 'linux') return write(path.join(dir, 'electron'), linuxExecutable(), 0o755);
  if (os === 'win32') return write(path.join(dir, 'electron.exe'), windowsExecutable(), 0o755);
  const contents = path.join(dir, 'Electron.app', 'Contents');
  const script = '#!/bin/sh\nexit 1\n';
  write(path.join(contents, 'Info.plist'), plist('Electron', 'com.github.Electron'));
  write(path.join(contents, 'MacOS', 'Electron'), script, 0o755);
  fs.mkdirSync(path.join(contents, 'Resources'), { recursive: true });
  for (const kind of ['', ' (GPU)', ' (Renderer)', ' (Plugin)']) {
    const helper = path.join(contents, 'Frameworks', `Electron Helper${kind}.app`, 'Contents');
    write(path.join(helper, 'Info.plist'), plist(`Electron Helper${kind}`, 'com.github.Electron.helper'));
    write(path.join(helper, 'MacOS', `Electron Helper${kind}`), script, 0o755);
  }
  return write(path.join(contents, 'Frameworks', 'Electron Framework.framework', 'Electron Framework'), `${script}${WIRE}`, 0o755);
}

/**
 * A stand-in for macOS's `codesign`, which @electron/fuses runs to renew an arm64 build's ad-hoc
 * signature and which exists only on macOS: it records its arguments in `log` and succeeds.
 * Returns the folder to put first on PATH.
 */
export function writeStandInCodesign(dir: string, log: string): string {
  write(path.join(dir, 'codesign'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log.replaceAll("'", "'\\''")}'\n`, 0o755);
  return dir;
}
