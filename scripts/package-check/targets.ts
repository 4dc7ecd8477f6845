/**
 * The builds `npm run check:package` packs: one per installer target (DESIGN §7), each with the
 * native binary, the executable and the launcher it must carry.
 */
import path from 'node:path';
import { packedLayout } from '../after-pack.ts';
import type { TargetOs } from './stand-in.ts';

export interface Target {
  os: TargetOs;
  arch: 'x64' | 'arm64';
  /** electron-builder's platform flag. */
  flag: '--linux' | '--win' | '--mac';
  /** The unpacked build's folder name in the output folder. */
  dir: string;
}

export const TARGETS: readonly Target[] = [
  { os: 'linux', arch: 'x64', flag: '--linux', dir: 'linux-unpacked' },
  { os: 'win32', arch: 'x64', flag: '--win', dir: 'win-unpacked' },
  { os: 'darwin', arch: 'x64', flag: '--mac', dir: 'mac' },
  { os: 'darwin', arch: 'arm64', flag: '--mac', dir: 'mac-arm64' },
];

export const PRODUCT = 'Terrarium';
export const EXECUTABLE = 'terrarium';

/** The native module a target must carry, unpacked, as its path inside the app. */
export function nativeOf(target: Pick<Target, 'os' | 'arch'>): string {
  return `node_modules/better-sqlite3/prebuilds/${target.os}-${target.arch}.node`;
}

/** Where the build's resources are, what @electron/fuses reads its fuse wire from, and its launcher's OS. */
export function layoutOf(target: Target, appOutDir: string): { resources: string; fused: string; executable: string } {
  const layout = packedLayout(target.os, appOutDir, PRODUCT, EXECUTABLE);
  const fused = {
    linux: path.join(appOutDir, EXECUTABLE),
    win32: path.join(appOutDir, `${PRODUCT}.exe`),
    // @electron/fuses finds the framework (the wire's home) inside the bundle itself.
    darwin: path.join(appOutDir, `${PRODUCT}.app`),
  }[target.os];
  return { resources: layout.resources, fused, executable: layout.executable };
}

/** What a native binary's header says it is for, or null when it is no binary of a known kind. */
export function binaryKind(bytes: Buffer): { os: TargetOs; arch: string } | null {
  if (bytes.length < 64) return null;
  if (bytes.subarray(0, 4).equals(Buffer.from('\x7fELF', 'latin1'))) {
    const machine = bytes.readUInt16LE(18);
    return { os: 'linux', arch: machine === 62 ? 'x64' : machine === 183 ? 'arm64' : `machine ${machine}` };
  }
  if (bytes.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = bytes.readUInt32LE(4);
    return { os: 'darwin', arch: cpu === 0x01000007 ? 'x64' : cpu === 0x0100000c ? 'arm64' : `cpu ${cpu}` };
  }
  if (bytes.subarray(0, 2).toString('latin1') === 'MZ') {
    const pe = bytes.readUInt32LE(0x3c);
    if (pe + 6 > bytes.length || bytes.subarray(pe, pe + 4).toString('latin1') !== 'PE\0\0') return null;
    const machine = bytes.readUInt16LE(pe + 4);
    return { os: 'win32', arch: machine === 0x8664 ? 'x64' : machine === 0xaa64 ? 'arm64' : `machine ${machine}` };
  }
  return null;
}

/**
 * The oldest glibc the Linux build runs on, as the README states it: the newest `GLIBC_x.y`
 * symbol version its native module needs (better-sqlite3 13's prebuild needs 2.34, for the
 * pthread and dl functions glibc 2.34 moved into libc). check:package fails when it rises.
 */
export const LINUX_GLIBC = '2.34';

/** The newest glibc symbol version a Linux binary names (from the version names in its string table), or null. */
export function glibcFloor(bytes: Buffer): string | null {
  const versions = [...bytes.toString('latin1').matchAll(/GLIBC_(\d+)\.(\d+)(?:\.(\d+))?\0/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] as const);
  if (versions.length === 0) return null;
  const [a, b, c] = versions.reduce((x, y) => (y[0] - x[0] || y[1] - x[1] || y[2] - x[2]) > 0 ? y : x);
  return c === 0 ? `${a}.${b}` : `${a}.${b}.${c}`;
}
