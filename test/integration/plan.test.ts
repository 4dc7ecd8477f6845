/** Removal on uninstall and update on rename, per platform, as file operations. */
import { describe, expect, it } from 'vitest';
import { planRemoval, planRename, planShortcuts, supportsDesktopShortcut } from '../../main/integration/plan.ts';
import { APP, LINUX, MAC, WINDOWS } from '../helpers/integration-hosts.ts';

const RENAMED = { ...APP, name: 'Moo' };
const summary = (ops: { op: string; path: string }[]) => ops.map((o) => `${o.op} ${o.path}`);

describe('planRemoval', () => {
  it('removes each existing file, guarded by its marker; a macOS bundle as a folder', () => {
    expect(planRemoval(LINUX, APP.id, [{ kind: 'command', path: '/home/ada/.local/bin/cowsay' }])).toEqual([
      { op: 'remove', path: '/home/ada/.local/bin/cowsay', recursive: false, guard: { appId: APP.id, file: '/home/ada/.local/bin/cowsay', root: '/home/ada/.local/bin/cowsay' } },
    ]);
    const bundle = '/Users/ada/Applications/Terrarium Apps/Cow Say.app';
    expect(planRemoval(MAC, APP.id, [{ kind: 'menu', path: bundle }])).toEqual([
      { op: 'remove', path: bundle, recursive: true, guard: { appId: APP.id, file: `${bundle}/Contents/Info.plist`, root: bundle } },
    ]);
    expect(planRemoval(WINDOWS, APP.id, [])).toEqual([]);
  });
});

describe('planRename', () => {
  it('Linux: rewrites the entries in place (their names are the app id) and the command', () => {
    const existing = [
      { kind: 'menu' as const, path: '/home/ada/.local/share/applications/terrarium-app-1a2b3c4d.desktop' },
      { kind: 'desktop' as const, path: '/home/ada/Desktop/terrarium-app-1a2b3c4d.desktop' },
      { kind: 'command' as const, path: '/home/ada/.local/bin/cowsay' },
    ];
    const ops = planRename(LINUX, RENAMED, existing);
    expect(summary(ops)).toEqual([
      'copy /home/ada/.local/share/icons/hicolor/256x256/apps/org.terrarium.app.png',
      `write ${existing[0]!.path}`,
      `write ${existing[1]!.path}`,
      'write /home/ada/.local/bin/cowsay',
    ]);
    expect((ops[1] as { content: string }).content).toContain('Name=Moo');
    expect((ops[3] as { content: string }).content).toContain('"Moo"');
  });

  it('Windows: removes the old .lnk files and writes ones with the new name, only where they were', () => {
    const old = 'C:\\Users\\Ada\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Terrarium Apps\\Cow Say.lnk';
    const ops = planRename(WINDOWS, RENAMED, [{ kind: 'menu', path: old }]);
    expect(summary(ops)).toEqual([`remove ${old}`, `shortcut ${old.replace('Cow Say', 'Moo')}`]);
  });

  it('Windows: a change of letter case removes first, so a case-insensitive disk ends with the new name', () => {
    const old = 'C:\\Users\\Ada\\OneDrive\\Desktop\\Cow Say.lnk';
    expect(summary(planRename(WINDOWS, { ...APP, name: 'COW SAY' }, [{ kind: 'desktop', path: old }]))).toEqual([
      `remove ${old}`,
      'shortcut C:\\Users\\Ada\\OneDrive\\Desktop\\COW SAY.lnk',
    ]);
  });

  it('macOS: moves the bundle to the new name', () => {
    const old = '/Users/ada/Applications/Terrarium Apps/Cow Say.app';
    const ops = planRename(MAC, RENAMED, [{ kind: 'menu', path: old }]);
    expect(summary(ops)[0]).toBe(`remove ${old}`);
    expect(summary(ops).slice(1).every((s) => s.includes('/Terrarium Apps/Moo.app/Contents/'))).toBe(true);
  });

  it('an unchanged name rewrites without removing anything', () => {
    const existing = [{ kind: 'menu' as const, path: '/Users/ada/Applications/Terrarium Apps/Cow Say.app' }];
    expect(planRename(MAC, APP, existing).some((o) => o.op === 'remove')).toBe(false);
    expect(planRename(LINUX, APP, []).length).toBe(1); // only the shared icon copy
  });
});

describe('planShortcuts', () => {
  it('macOS has no desktop shortcut: the bundle is the one launcher', () => {
    expect(supportsDesktopShortcut('darwin')).toBe(false);
    expect(supportsDesktopShortcut('win32')).toBe(true);
    expect(planShortcuts(MAC, APP, { menu: false, desktop: false })).toEqual([]);
    expect(planShortcuts(MAC, APP, { menu: true, desktop: true })).toHaveLength(4);
  });
});
