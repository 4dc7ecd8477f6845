/**
 * A stand-in Electron distribution for offline packaging checks (DESIGN §10): electron-builder
 * only copies it, so an executable named `electron` is all it needs. The file carries Electron's
 * fuse wire (its sentinel, version 1, eight fuses at Electron's defaults), so the afterPack hook's
 * fuse flipping runs, and is checked, exactly as on the real binary. It cannot start anything.
 */
import fs from 'node:fs';
import path from 'node:path';

/** @electron/fuses' sentinel, which marks the fuse wire in every Electron binary. */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** Electron's defaults, in wire order: RunAsNode, CookieEncryption, NodeOptions, CliInspect, AsarIntegrity, OnlyFromAsar, BrowserV8Snapshot, FileProtocolPrivileges. */
const DEFAULT_WIRE = '10110001';

export function writeStandInElectron(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'electron');
  const script = [
    '#!/bin/sh',
    "echo 'This is a stand-in for Electron, made by npm run check:package; it runs nothing.' >&2",
    'exit 1',
    `# fuse wire: ${FUSE_SENTINEL}\u0001\u0008${DEFAULT_WIRE}`,
    '',
  ].join('\n');
  fs.writeFileSync(file, script, { mode: 0o755 });
  return file;
}
