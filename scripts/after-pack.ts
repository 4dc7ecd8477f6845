/**
 * electron-builder's afterPack hook: flips Electron's fuses in the packaged binary (DESIGN §8)
 * before electron-builder signs it, then reads them back so a build never ships unflipped; and
 * puts the `terrarium` command's launcher in the resources folder (main/integration/cli-launch.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { type FuseConfig, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { type AfterPackContext, Arch } from 'electron-builder';
import { packedLauncher } from '../main/integration/cli-launch.ts';

/** The fuses Terrarium sets; the rest keep Electron's defaults. */
export const FUSES = {
  /** ELECTRON_RUN_AS_NODE cannot turn Terrarium into a plain Node. */
  [FuseV1Options.RunAsNode]: false,
  /** NODE_OPTIONS (and NODE_EXTRA_CA_CERTS) are ignored. */
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  /** --inspect and SIGUSR1 cannot open a debugger on the main process. */
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  /** The app.asar is checked against the hash electron-builder records (macOS, Windows). */
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  /** Code loads only from app.asar, never from an app folder put beside it. */
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  /** The renderer is served from app://, so file:// needs no extra privileges. */
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
} as const;

/**
 * The fuse settings for a build. Flipping fuses breaks an arm64 Mac binary's ad-hoc signature, which
 * arm64 Macs require even of unsigned apps, so it is renewed there (a real identity signs after).
 */
export function fuseConfig(target?: Pick<AfterPackContext, 'electronPlatformName' | 'arch'>): FuseConfig {
  const darwinArm = target !== undefined && ['darwin', 'mas'].includes(target.electronPlatformName) && target.arch === Arch.arm64;
  return { version: FuseVersion.V1, ...(darwinArm ? { resetAdHocDarwinSignature: true } : {}), ...FUSES };
}

/** The fuse wire's byte for an enabled and a disabled fuse. */
const STATE = { true: '1'.charCodeAt(0), false: '0'.charCodeAt(0) } as const;

/** Flips the fuses of the binary in `context.appOutDir` (the app bundle's framework on macOS), and checks them; writes the launcher. */
export async function afterPack(context: AfterPackContext): Promise<void> {
  await context.packager.addElectronFuses(context, fuseConfig(context));
  const binary = fusedBinary(context);
  const wire = (await getCurrentFuseWire(binary)) as unknown as Record<string, number>;
  for (const [index, enabled] of Object.entries(FUSES)) {
    if (wire[index] !== STATE[`${enabled}`]) throw new Error(`fuse ${FuseV1Options[Number(index)]} is not ${enabled} in ${binary}`);
  }
  writeLauncher(context);
}

/** Where a build keeps its resources, and its executable relative to them. */
export function packedLayout(platform: string, appOutDir: string, productFilename: string, executableName: string): { resources: string; executable: string; os: 'linux' | 'darwin' | 'win32' } {
  if (platform === 'darwin' || platform === 'mas') {
    return { resources: path.join(appOutDir, `${productFilename}.app`, 'Contents', 'Resources'), executable: `../MacOS/${productFilename}`, os: 'darwin' };
  }
  if (platform === 'win32') return { resources: path.join(appOutDir, 'resources'), executable: `../${productFilename}.exe`, os: 'win32' };
  return { resources: path.join(appOutDir, 'resources'), executable: `../${executableName}`, os: 'linux' };
}

/** Writes `<resources>/bin/terrarium` (`terrarium.cmd` on Windows), the installed `terrarium` command. */
function writeLauncher(context: AfterPackContext): void {
  const { appOutDir, electronPlatformName, packager } = context;
  const executableName = (packager as unknown as { executableName: string }).executableName;
  const layout = packedLayout(electronPlatformName, appOutDir, packager.appInfo.productFilename, executableName);
  const launcher = packedLauncher(layout.os, layout.executable);
  const dir = path.join(layout.resources, 'bin');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, launcher.name), launcher.content, { mode: launcher.mode });
}

/** The file @electron/fuses edits: what addElectronFuses points it at. */
function fusedBinary(context: AfterPackContext): string {
  const { appOutDir, electronPlatformName, packager } = context;
  const executable = electronPlatformName === 'linux' ? (packager as unknown as { executableName: string }).executableName : packager.appInfo.productFilename;
  const ext = { darwin: '.app', mas: '.app', win32: '.exe' }[electronPlatformName] ?? '';
  return `${appOutDir}/${executable}${ext}`;
}
