/**
 * macOS: a small application bundle per app in ~/Applications/Terrarium Apps/, which Launchpad,
 * Spotlight and Finder list and which can be kept in the Dock like any app. Its executable is a
 * shell script that asks Launch Services for a new Terrarium instance with `--run <id>`; a running
 * Terrarium gets the request through its single-instance lock, a closed one starts with it.
 */
import { oneLine, shQuote, xmlText } from './escape.ts';
import { APP_ID, type AppRef, type Host, folders, marker, pathFor } from './host.ts';
import { checkAppId, displayFileName } from './names.ts';
import { type FileOp, runArgs } from './ops.ts';

/** The bundle's folder: the app's name, as Finder and Launchpad show it. */
export function bundlePath(host: Host, app: AppRef): string {
  return pathFor(host).join(folders(host).menu, `${displayFileName(app.name, app.id)}.app`);
}

/** Contents/Info.plist: a background-only (LSUIElement) app named after the Terrarium app. */
export function infoPlist(host: Host, app: AppRef): string {
  const name = xmlText(oneLine(app.name, 128) || `App ${app.id}`);
  const entries: [string, string][] = [
    ['CFBundleDevelopmentRegion', '<string>en</string>'],
    ['CFBundleDisplayName', `<string>${name}</string>`],
    ['CFBundleExecutable', '<string>launch</string>'],
    ['CFBundleIconFile', '<string>terrarium.icns</string>'],
    ['CFBundleIdentifier', `<string>${xmlText(`${host.bundleId ?? APP_ID}.app-${checkAppId(app.id)}`)}</string>`],
    ['CFBundleInfoDictionaryVersion', '<string>6.0</string>'],
    ['CFBundleName', `<string>${name}</string>`],
    ['CFBundlePackageType', '<string>APPL</string>'],
    ['CFBundleShortVersionString', '<string>1.0</string>'],
    ['CFBundleVersion', '<string>1</string>'],
    ['LSUIElement', '<true/>'],
    ['TerrariumAppId', `<string>${xmlText(app.id)}</string>`],
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    `<!-- ${marker(app.id)}: made by Terrarium, which updates it on rename and removes it on uninstall. -->`,
    '<plist version="1.0">',
    '<dict>',
    ...entries.map(([key, value]) => `\t<key>${key}</key>\n\t${value}`),
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

/** Contents/MacOS/launch: `open -n -b <Terrarium's bundle id> --args --run <id>`. */
export function launchScript(host: Host, app: AppRef): string {
  const open = ['/usr/bin/open', '-n', '-b', host.bundleId ?? APP_ID, '--args', ...runArgs(checkAppId(app.id))];
  return ['#!/bin/sh', `# ${marker(app.id)}: opens this app in Terrarium.`, `exec ${open.map(shQuote).join(' ')}`, ''].join('\n');
}

/** The operations that write the bundle (its Info.plist is what marks it as the app's). */
export function macShortcutOps(host: Host, app: AppRef): FileOp[] {
  const p = pathFor(host);
  const bundle = bundlePath(host, app);
  const contents = p.join(bundle, 'Contents');
  const guard = { appId: app.id, file: p.join(contents, 'Info.plist'), root: bundle };
  const write = (rel: string, content: string, mode: number): FileOp => ({ op: 'write', path: p.join(contents, rel), content, mode, guard });
  // The plist first: it marks the bundle as the app's, so an interrupted write can be redone.
  return [
    write('Info.plist', infoPlist(host, app), 0o644),
    write('PkgInfo', 'APPL????', 0o644),
    write(p.join('MacOS', 'launch'), launchScript(host, app), 0o755),
    { op: 'copy', from: host.icon, path: p.join(contents, 'Resources', 'terrarium.icns') },
  ];
}
