/**
 * The library's own folder (`<app data>/library`, apart from Electron's user data), and moving a
 * library an older version kept directly in the app-data folder: a real SQLite library with its
 * store, grants and a write still in the WAL, moved in place, all or nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import os from 'node:os';
import { appDataFolder, dataHome, defaultLibraryHome, homeDir, migrateLibrary } from '../../main/library/home.ts';
import { cleanup, fixture, openLibrary, storeListing, tempDir } from '../helpers/library.ts';

afterEach(cleanup);

describe('dataHome', () => {
  it('is a library folder of its own inside the app-data folder, on every platform', () => {
    expect(dataHome({ LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }, 'win32', 'C:\\Users\\ada')).toBe('C:\\Users\\ada\\AppData\\Local\\Terrarium\\library');
    expect(dataHome({}, 'win32', 'C:\\Users\\ada')).toBe('C:\\Users\\ada\\AppData\\Local\\Terrarium\\library');
    expect(dataHome({}, 'darwin', '/Users/ada')).toBe('/Users/ada/Library/Application Support/Terrarium/library');
    expect(dataHome({}, 'linux', '/home/ada')).toBe('/home/ada/.local/share/terrarium/library');
    expect(dataHome({ XDG_DATA_HOME: '/data' }, 'linux', '/home/ada')).toBe('/data/terrarium/library');
    expect(dataHome({ TERRARIUM_HOME: '/tmp/lib' }, 'win32', 'C:\\Users\\ada')).toBe(path.resolve('/tmp/lib'));
  });

  it('takes the home folder as os.homedir() does: $HOME on POSIX (even empty), else the system\'s', () => {
    expect(homeDir({ HOME: '/home/ada' }, 'linux')).toBe('/home/ada');
    expect(homeDir({ HOME: '' }, 'darwin')).toBe('');
    expect(homeDir({}, 'linux')).toBe(os.homedir());
    expect(homeDir({ HOME: '/home/ada' }, 'win32')).toBe(os.homedir()); // USERPROFILE and the system's, not HOME
    expect(homeDir()).toBe(os.homedir());
    // The library's folder needs it only when neither TERRARIUM_HOME nor the platform's variable names one.
    expect(dataHome({ TERRARIUM_HOME: '/tmp/lib' })).toBe(path.resolve('/tmp/lib'));
    expect(dataHome({}, 'linux')).toBe(path.join(os.homedir(), '.local', 'share', 'terrarium', 'library'));
  });

  it("is never inside Electron's user-data folder on Windows (which --delete-app-data removes), nor is it that folder on macOS", () => {
    const userData = { win32: 'C:\\Users\\ada\\AppData\\Roaming\\Terrarium', darwin: '/Users/ada/Library/Application Support/Terrarium' } as const;
    expect(dataHome({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ada').toLowerCase().startsWith(userData.win32.toLowerCase())).toBe(false);
    expect(dataHome({}, 'darwin', '/Users/ada').toLowerCase()).not.toBe(userData.darwin.toLowerCase());
    expect(dataHome({}, 'darwin', '/Users/ada')).not.toBe(appDataFolder({}, 'darwin', '/Users/ada'));
  });
});

/** A library an older version made: directly in `dir`, with an app, a grant and a write left in the WAL. */
async function oldLibrary(dir: string): Promise<{ appId: string; store: ReturnType<typeof storeListing> }> {
  const work = tempDir('terrarium-old-');
  const lib = openLibrary(work);
  const { app } = await lib.install({ kind: 'file', path: fixture('e2e_cat') }, { name: 'cat' });
  lib.grant(app.id, [{ kind: 'env', name: 'LANG', value: 'C' }]);
  // A change only the WAL holds, copied with the database as an open library's files would be.
  const db = new Database(path.join(work, 'library.db'));
  db.pragma('wal_autocheckpoint = 0');
  db.prepare("UPDATE apps SET description = 'only in the WAL' WHERE id = ?").run(app.id);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of ['library.db', 'library.db-wal', 'library.db-shm']) fs.copyFileSync(path.join(work, f), path.join(dir, f));
  fs.cpSync(path.join(work, 'store'), path.join(dir, 'store'), { recursive: true });
  db.close();
  // Chromium's own files, which stay where they are.
  fs.mkdirSync(path.join(dir, 'Cache'));
  fs.writeFileSync(path.join(dir, 'Preferences'), '{}');
  return { appId: app.id, store: storeListing(dir) };
}

describe('migrateLibrary', () => {
  it('moves an old library into its own folder, where it opens with everything it had', async () => {
    const xdg = tempDir('terrarium-xdg-');
    const legacy = path.join(xdg, 'terrarium');
    const { appId, store } = await oldLibrary(legacy);
    const home = defaultLibraryHome({ XDG_DATA_HOME: xdg, HOME: xdg });
    expect(home).toBe(path.join(legacy, 'library'));
    expect(fs.readdirSync(legacy).sort()).toEqual(['Cache', 'Preferences', 'library']);
    expect(storeListing(home)).toEqual(store);
    const lib = openLibrary(home);
    expect(lib.app('cat')).toMatchObject({ id: appId, description: 'only in the WAL' });
    expect(lib.grants(appId)).toEqual([expect.objectContaining({ kind: 'env', name: 'LANG', value: 'C' })]);
    // Moved once: the next open finds it in place and touches nothing.
    lib.close();
    expect(migrateLibrary(legacy, home)).toBe(home);
    expect(fs.readdirSync(legacy).sort()).toEqual(['Cache', 'Preferences', 'library']);
  });

  it('moves all or nothing: a step that fails puts back what was moved, and the old place is used', async () => {
    const legacy = path.join(tempDir('terrarium-xdg-'), 'terrarium');
    const { appId } = await oldLibrary(legacy);
    const before = fs.readdirSync(legacy).sort();
    const target = path.join(legacy, 'library');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const used = migrateLibrary(legacy, target, (from, to) => {
      if (path.basename(from) === 'library.db') throw Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' });
      fs.renameSync(from, to);
    });
    const said = stderr.mock.calls.map((c) => String(c[0])).join('');
    stderr.mockRestore();
    expect(used).toBe(legacy);
    expect(said).toMatch(/could not move the library .* \(EBUSY: resource busy or locked\); using it where it is/);
    expect(fs.readdirSync(legacy).sort()).toEqual(before.includes('library') ? before : [...before, 'library'].sort());
    expect(fs.readdirSync(target)).toEqual([]);
    expect(openLibrary(legacy).app('cat').id).toBe(appId);
  });

  it('leaves a new library alone, and an empty app-data folder empty', async () => {
    const legacy = path.join(tempDir('terrarium-xdg-'), 'terrarium');
    fs.mkdirSync(path.join(legacy, 'library'), { recursive: true });
    fs.writeFileSync(path.join(legacy, 'library', 'library.db'), '');
    fs.writeFileSync(path.join(legacy, 'library.db'), 'an older copy');
    expect(migrateLibrary(legacy, path.join(legacy, 'library'))).toBe(path.join(legacy, 'library'));
    expect(fs.readFileSync(path.join(legacy, 'library.db'), 'utf8')).toBe('an older copy');
    const empty = tempDir('terrarium-xdg-');
    expect(migrateLibrary(empty, path.join(empty, 'library'))).toBe(path.join(empty, 'library'));
    expect(fs.readdirSync(empty)).toEqual([]);
  });
});
