/** macOS: the per-app launcher bundle in ~/Applications/Terrarium Apps/. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bundlePath, infoPlist, launchScript, macShortcutOps } from '../../main/integration/macos.ts';
import { APP, MAC, TRICKY } from '../helpers/integration-hosts.ts';

/** The plist's dict as key → raw value, after checking the XML is balanced and has no raw markup in text. */
function plistDict(xml: string): Map<string, string> {
  const body = /<dict>\n([\s\S]*)<\/dict>/.exec(xml)?.[1] ?? '';
  const pairs = [...body.matchAll(/\t<key>([^<]*)<\/key>\n\t(<true\/>|<string>([^<>]*)<\/string>)/g)];
  expect(pairs.length).toBe(body.split('<key>').length - 1);
  return new Map(pairs.map((m) => [m[1]!, m[3] ?? m[2]!]));
}

describe('infoPlist', () => {
  it('is a background-only app bundle named after the app, marked with its id', () => {
    const xml = infoPlist(MAC, APP);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist')).toBe(true);
    expect(xml).toContain('<!-- terrarium-app 1a2b3c4d');
    expect(Object.fromEntries(plistDict(xml))).toEqual({
      CFBundleDevelopmentRegion: 'en',
      CFBundleDisplayName: 'Cow Say',
      CFBundleExecutable: 'launch',
      CFBundleIconFile: 'terrarium.icns',
      CFBundleIdentifier: 'org.terrarium.app.app-1a2b3c4d',
      CFBundleInfoDictionaryVersion: '6.0',
      CFBundleName: 'Cow Say',
      CFBundlePackageType: 'APPL',
      CFBundleShortVersionString: '1.0',
      CFBundleVersion: '1',
      LSUIElement: '<true/>',
      TerrariumAppId: '1a2b3c4d',
    });
  });

  it('escapes markup in the name', () => {
    const dict = plistDict(infoPlist(MAC, TRICKY));
    expect(dict.get('CFBundleName')).toBe('&#34;Q\\uote&#34; 100% $HOME &#60;x&#62;&#38; `id`');
  });
});

describe('launchScript', () => {
  it('asks Launch Services for a new Terrarium with --run <id>, every word quoted', () => {
    const script = launchScript(MAC, APP);
    expect(script).toBe(
      "#!/bin/sh\n# terrarium-app 1a2b3c4d: opens this app in Terrarium.\nexec '/usr/bin/open' '-n' '-b' 'org.terrarium.app' '--args' '--run' '1a2b3c4d'\n",
    );
    const argv = execFileSync('/bin/sh', ['-c', script.replace('exec ', "printf '%s\\n' ")]).toString();
    expect(argv.split('\n').slice(0, -1)).toEqual(['/usr/bin/open', '-n', '-b', 'org.terrarium.app', '--args', '--run', '1a2b3c4d']);
  });
});

describe('macShortcutOps', () => {
  it('writes the bundle, its plist first, guarded by that plist', () => {
    const ops = macShortcutOps(MAC, APP);
    const bundle = '/Users/ada/Applications/Terrarium Apps/Cow Say.app';
    expect(bundlePath(MAC, APP)).toBe(bundle);
    expect(ops.map((o) => [o.op, o.path, 'mode' in o ? o.mode.toString(8) : null])).toEqual([
      ['write', `${bundle}/Contents/Info.plist`, '644'],
      ['write', `${bundle}/Contents/PkgInfo`, '644'],
      ['write', `${bundle}/Contents/MacOS/launch`, '755'],
      ['copy', `${bundle}/Contents/Resources/terrarium.icns`, null],
    ]);
    for (const op of ops) if (op.op === 'write') expect(op.guard).toEqual({ appId: APP.id, file: `${bundle}/Contents/Info.plist`, root: bundle });
    expect(ops[3]).toMatchObject({ from: MAC.icon });
  });
});
