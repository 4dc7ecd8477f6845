/** `npm start` finds Electron's binary, downloads it once if missing, and points at web mode when it cannot. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { NO_ELECTRON, electronBinary, findElectron } from '../../scripts/start/electron.ts';

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-start-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

/** An electron package folder, with its binary downloaded or not. */
function electronPackage(name: string, downloaded: boolean): string {
  const dir = path.join(temp, name);
  fs.mkdirSync(dir, { recursive: true });
  if (downloaded) install(dir);
  return dir;
}
function install(dir: string): { ok: true } {
  fs.writeFileSync(path.join(dir, 'path.txt'), 'electron');
  fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'dist', 'electron'), '');
  return { ok: true };
}

describe('findElectron', () => {
  it('uses a downloaded binary without downloading again', () => {
    const download = vi.fn(() => ({ ok: false }));
    const dir = electronPackage('present', true);
    expect(findElectron(dir, download)).toBe(path.join(dir, 'dist', 'electron'));
    expect(download).not.toHaveBeenCalled();
  });

  it('downloads a missing binary once', () => {
    const dir = electronPackage('missing', false);
    const download = vi.fn(install);
    expect(findElectron(dir, download)).toBe(path.join(dir, 'dist', 'electron'));
    expect(download).toHaveBeenCalledExactlyOnceWith(dir);
  });

  it('is null when the download fails, or leaves path.txt pointing at nothing', () => {
    expect(findElectron(electronPackage('offline', false), () => ({ ok: false }))).toBeNull();
    const dir = electronPackage('half', false);
    fs.writeFileSync(path.join(dir, 'path.txt'), 'electron');
    expect(electronBinary(dir)).toBeNull();
    expect(findElectron(dir, () => ({ ok: true }))).toBeNull();
  });

  it('points at web mode in one line', () => {
    expect(NO_ELECTRON).not.toContain('\n');
    expect(NO_ELECTRON).toContain('npx terrarium ui --web');
  });
});
