/** Linux Desktop Entries (Desktop Entry Specification 1.5). */
import { describe, expect, it } from 'vitest';
import { folders } from '../../main/integration/host.ts';
import { desktopEntry, desktopFileName, linuxShortcutOps } from '../../main/integration/linux.ts';
import { APP, LINUX, TRICKY } from '../helpers/integration-hosts.ts';

function keys(entry: string): Map<string, string> {
  return new Map(entry.split('\n').filter((l) => /^[A-Za-z0-9-]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('desktopEntry', () => {
  it('runs Terrarium --run <id> with the app name, icon and category, outside a terminal', () => {
    const entry = desktopEntry(LINUX, APP);
    expect(entry.split('\n')[0]).toBe('[Desktop Entry]');
    expect(Object.fromEntries(keys(entry))).toEqual({
      Type: 'Application',
      Version: '1.5',
      Name: 'Cow Say',
      Comment: 'Says things, like a cow.',
      Exec: '"/home/ada/Apps/Terrarium 1.0.AppImage" --run 1a2b3c4d',
      Icon: '/home/ada/.local/share/icons/hicolor/256x256/apps/org.terrarium.app.png',
      Terminal: 'false',
      Categories: 'Utility;',
      StartupNotify: 'true',
      'X-Terrarium-App': '1a2b3c4d',
    });
    expect(entry).toContain('# terrarium-app 1a2b3c4d');
    expect(entry.endsWith('\n')).toBe(true);
  });

  it('escapes the name per the spec and keeps it on one line', () => {
    const entry = desktopEntry(LINUX, TRICKY);
    const k = keys(entry);
    expect(k.get('Name')).toBe('"Q\\\\uote" 100% $HOME <x>& `id`');
    expect(k.get('Comment')).toBe('Runs "Q\\\\uote" 100% $HOME <x>& `id` in Terrarium');
    expect(entry.split('\n').filter((l) => l.startsWith('Name='))).toHaveLength(1);
  });

  it('quotes an executable path with quotes, dollars and percent signs', () => {
    const exec = keys(desktopEntry({ ...LINUX, executable: '/opt/my "apps"/$t 100%/terrarium' }, APP)).get('Exec');
    expect(exec).toBe('"/opt/my \\\\"apps\\\\"/\\\\$t 100%%/terrarium" --run 1a2b3c4d');
  });

  it('follows XDG_DATA_HOME when it is absolute', () => {
    expect(folders({ ...LINUX, env: { XDG_DATA_HOME: '/data' } }).menu).toBe('/data/applications');
    expect(folders({ ...LINUX, env: { XDG_DATA_HOME: 'relative' } }).menu).toBe('/home/ada/.local/share/applications');
  });
});

describe('linuxShortcutOps', () => {
  it('copies the icon to a stable place and writes the entry to the menu and the desktop', () => {
    const ops = linuxShortcutOps(LINUX, APP, { menu: true, desktop: true });
    expect(ops.map((o) => [o.op, o.path, 'mode' in o ? o.mode.toString(8) : null])).toEqual([
      ['copy', '/home/ada/.local/share/icons/hicolor/256x256/apps/org.terrarium.app.png', null],
      ['write', '/home/ada/.local/share/applications/terrarium-app-1a2b3c4d.desktop', '644'],
      ['write', '/home/ada/Desktop/terrarium-app-1a2b3c4d.desktop', '755'],
    ]);
    expect(ops[1]).toMatchObject({ guard: { appId: '1a2b3c4d', file: ops[1]!.path } });
    expect(linuxShortcutOps(LINUX, APP, { menu: true, desktop: false })).toHaveLength(2);
  });

  it('names the file by app id', () => {
    expect(desktopFileName('1a2b3c4d')).toBe('terrarium-app-1a2b3c4d.desktop');
    expect(() => desktopFileName('../x')).toThrow();
  });
});
