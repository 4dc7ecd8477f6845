/** Windows: .lnk options for Electron's shell.writeShortcutLink, and where they go. */
import { describe, expect, it } from 'vitest';
import { isAppShortcut, shortcutFileName, windowsShortcut, windowsShortcutOps } from '../../main/integration/windows.ts';
import { APP, TRICKY, WINDOWS } from '../helpers/integration-hosts.ts';

describe('windowsShortcut', () => {
  it('targets Terrarium.exe with --run <id>, its icon and the app description', () => {
    expect(windowsShortcut(WINDOWS, APP)).toEqual({
      target: WINDOWS.executable,
      args: '--run 1a2b3c4d',
      description: 'Says things, like a cow.',
      icon: WINDOWS.icon,
      iconIndex: 0,
    });
  });

  it('describes an app without a description by name, on one line, within the shell limit', () => {
    expect(windowsShortcut(WINDOWS, TRICKY).description).toBe('Runs "Q\\uote" 100% $HOME <x>& `id` in Terrarium');
    expect(windowsShortcut(WINDOWS, { ...APP, description: 'x'.repeat(1000) }).description).toHaveLength(259);
  });

  it('tells its own shortcuts by their arguments', () => {
    expect(isAppShortcut({ args: '--run 1a2b3c4d' }, '1a2b3c4d')).toBe(true);
    expect(isAppShortcut({ args: '--run 1a2b3c4e' }, '1a2b3c4d')).toBe(false);
    expect(isAppShortcut({}, '1a2b3c4d')).toBe(false);
  });
});

describe('windowsShortcutOps', () => {
  it('writes to the Start menu folder and the (redirected) desktop, named after the app', () => {
    const ops = windowsShortcutOps(WINDOWS, APP, { menu: true, desktop: true });
    expect(ops.map((o) => [o.op, o.path])).toEqual([
      ['shortcut', 'C:\\Users\\Ada\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Terrarium Apps\\Cow Say.lnk'],
      ['shortcut', 'C:\\Users\\Ada\\OneDrive\\Desktop\\Cow Say.lnk'],
    ]);
    expect(windowsShortcutOps(WINDOWS, APP, { menu: false, desktop: true })).toHaveLength(1);
  });

  it('makes a safe file name of any app name', () => {
    expect(shortcutFileName(TRICKY)).toBe('-Q\\uote- 100% $HOME -x-& `id`.lnk'.replace('\\', '-'));
    expect(shortcutFileName({ id: 'a1', name: 'aux' })).toBe('App aux.lnk');
  });
});
