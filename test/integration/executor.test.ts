/** The executor and the integration service, against a temporary home folder. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyOps, commandFolderOnPath, commandOnPath, findExisting } from '../../main/integration/executor.ts';
import type { Host } from '../../main/integration/host.ts';
import type { ShortcutOptions } from '../../main/integration/ops.ts';
import { createIntegration } from '../../main/integration/service.ts';
import { APP } from './helpers.ts';

let home: string;
let linux: Host;
let mac: Host;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-home-'));
  const icon = path.join(home, 'icon.png');
  fs.writeFileSync(icon, 'PNG');
  linux = { platform: 'linux', home, executable: '/opt/Terrarium/terrarium', icon };
  mac = { platform: 'darwin', home, executable: '/Applications/Terrarium.app', icon };
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

const at = (...parts: string[]) => path.join(home, ...parts);
const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);

describe('on Linux', () => {
  it('adds, lists, renames and removes shortcuts and a command', async () => {
    const integration = createIntegration(linux, {}, '');
    const added = await integration.addShortcuts(APP, { menu: true, desktop: true });
    const entry = at('.local/share/applications/terrarium-app-1a2b3c4d.desktop');
    expect(added).toEqual([
      { kind: 'menu', path: entry },
      { kind: 'desktop', path: at('Desktop/terrarium-app-1a2b3c4d.desktop') },
    ]);
    expect(mode(entry)).toBe('644');
    expect(mode(at('Desktop/terrarium-app-1a2b3c4d.desktop'))).toBe('755');
    expect(fs.readFileSync(at('.local/share/icons/hicolor/256x256/apps/org.terrarium.app.png'), 'utf8')).toBe('PNG');

    await integration.addCommand(APP, 'cowsay');
    expect(mode(at('.local/bin/cowsay'))).toBe('755');
    expect((await integration.list(APP.id)).map((e) => e.kind)).toEqual(['menu', 'desktop', 'command']);

    await integration.rename({ ...APP, name: 'Moo' });
    expect(fs.readFileSync(entry, 'utf8')).toContain('Name=Moo\n');
    expect(fs.readFileSync(at('.local/bin/cowsay'), 'utf8')).toContain('"Moo"');

    await integration.removeAll(APP.id);
    expect(await integration.list(APP.id)).toEqual([]);
    expect(fs.existsSync(entry)).toBe(false);
    expect(fs.existsSync(at('.local/bin/cowsay'))).toBe(false);
  });

  it('refuses to replace a file that is not the app’s, and changes nothing', async () => {
    fs.mkdirSync(at('.local/bin'), { recursive: true });
    fs.writeFileSync(at('.local/bin/cowsay'), '#!/bin/sh\necho mine\n');
    const integration = createIntegration(linux, {}, '');
    await expect(integration.addCommand(APP, 'cowsay')).rejects.toThrow(expect.objectContaining({ code: 'exists' }));
    expect(fs.readFileSync(at('.local/bin/cowsay'), 'utf8')).toContain('mine');
    // Another app's command is not this app's either.
    await integration.addCommand({ ...APP, id: 'other001' }, 'other');
    await expect(integration.addCommand(APP, 'other')).rejects.toThrow(expect.objectContaining({ code: 'exists' }));
  });

  it('refuses a symbolic link where a file would go', async () => {
    fs.mkdirSync(at('.local/bin'), { recursive: true });
    fs.symlinkSync(at('elsewhere'), at('.local/bin/cowsay'));
    await expect(createIntegration(linux, {}, '').addCommand(APP, 'cowsay')).rejects.toThrow(expect.objectContaining({ code: 'exists' }));
    expect(fs.existsSync(at('elsewhere'))).toBe(false);
  });

  it('leaves a file alone on removal when it is no longer the app’s', async () => {
    const integration = createIntegration(linux, {}, '');
    await integration.addCommand(APP, 'cowsay');
    const op = { op: 'remove' as const, path: at('.local/bin/cowsay'), recursive: false, guard: { appId: APP.id, file: at('.local/bin/cowsay') } };
    fs.writeFileSync(at('.local/bin/cowsay'), 'replaced by the person');
    await applyOps([op]);
    expect(fs.readFileSync(at('.local/bin/cowsay'), 'utf8')).toBe('replaced by the person');
  });

  it('refuses a command name another program on PATH already has', async () => {
    fs.mkdirSync(at('usr-bin'));
    fs.writeFileSync(at('usr-bin/ls'), '');
    const own = at('.local/bin');
    expect(await commandOnPath(linux, 'ls', `${own}:${at('usr-bin')}`)).toBe(at('usr-bin/ls'));
    expect(await commandOnPath(linux, 'cowsay', `${own}:${at('usr-bin')}`)).toBeNull();
    await expect(createIntegration(linux, {}, at('usr-bin')).addCommand(APP, 'ls')).rejects.toThrow(expect.objectContaining({ code: 'bad-command' }));
    expect(fs.existsSync(at('.local/bin/ls'))).toBe(false);
  });

  it('tells whether the command folder is on PATH', () => {
    expect(commandFolderOnPath(linux, `/usr/bin:${at('.local/bin')}/`)).toBe(true);
    expect(commandFolderOnPath(linux, '/usr/bin:/bin')).toBe(false);
    const win: Host = { platform: 'win32', home: 'C:\\Users\\Ada', executable: 'T.exe', icon: 'T.exe' };
    expect(commandFolderOnPath(win, 'C:\\Windows;c:\\users\\ada\\appdata\\local\\terrarium\\bin')).toBe(true);
  });

  it('finds only files marked for the app', async () => {
    fs.mkdirSync(at('.local/bin'), { recursive: true });
    fs.writeFileSync(at('.local/bin/big'), 'x'.repeat(100_000));
    fs.writeFileSync(at('.local/bin/mentions'), '# terrarium-app 1a2b3c4dx\n');
    fs.mkdirSync(at('.local/bin/dir'));
    expect(await findExisting(linux, APP.id)).toEqual([]);
  });
});

describe('on macOS', () => {
  it('writes the bundle with an executable launcher, moves it on rename and removes it', async () => {
    const integration = createIntegration(mac, {}, '');
    const [bundle] = await integration.addShortcuts(APP, { menu: true, desktop: false });
    expect(bundle).toEqual({ kind: 'menu', path: at('Applications/Terrarium Apps/Cow Say.app') });
    expect(mode(at('Applications/Terrarium Apps/Cow Say.app/Contents/MacOS/launch'))).toBe('755');
    expect(fs.readFileSync(at('Applications/Terrarium Apps/Cow Say.app/Contents/Resources/terrarium.icns'), 'utf8')).toBe('PNG');

    expect(await integration.rename({ ...APP, name: 'Moo' })).toEqual([{ kind: 'menu', path: at('Applications/Terrarium Apps/Moo.app') }]);
    expect(fs.existsSync(at('Applications/Terrarium Apps/Cow Say.app'))).toBe(false);

    await integration.removeAll(APP.id);
    expect(fs.readdirSync(at('Applications/Terrarium Apps'))).toEqual([]);
  });

  it('does not write into a bundle of the same name that is not the app’s', async () => {
    fs.mkdirSync(at('Applications/Terrarium Apps/Cow Say.app'), { recursive: true });
    await expect(createIntegration(mac, {}, '').addShortcuts(APP, { menu: true, desktop: false })).rejects.toThrow(expect.objectContaining({ code: 'exists' }));
    expect(fs.readdirSync(at('Applications/Terrarium Apps/Cow Say.app'))).toEqual([]);
  });
});

describe('Windows shortcuts through the shell seam', () => {
  it('writes .lnk files with Electron’s function and tells its own by their arguments', async () => {
    const links = new Map<string, ShortcutOptions>();
    const io = {
      writeShortcut: (p: string, o: ShortcutOptions) => (links.set(p, o), fs.writeFileSync(p, 'lnk'), true),
      readShortcut: (p: string) => links.get(p) ?? null,
    };
    const target = at('Start Menu/Cow Say.lnk');
    const op = { op: 'shortcut' as const, path: target, options: { target: 'T.exe', args: '--run 1a2b3c4d', description: 'd', icon: 'T.exe', iconIndex: 0 }, guard: { appId: APP.id, file: target } };
    await applyOps([op], io);
    expect(links.get(target)?.args).toBe('--run 1a2b3c4d');
    await applyOps([op], io); // its own: replaced
    links.set(target, { ...op.options, args: '--other' });
    await expect(applyOps([op], io)).rejects.toThrow(expect.objectContaining({ code: 'exists' }));
    await expect(applyOps([{ ...op, path: at('x.lnk'), guard: { appId: APP.id, file: at('x.lnk') } }], {})).rejects.toThrow(/writeShortcutLink/);
  });
});
