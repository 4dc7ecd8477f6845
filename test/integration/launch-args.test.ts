/** parseLaunchArgs: first launches and forwarded second instances, on each platform. */
import { describe, expect, it } from 'vitest';
import { asLaunchRequest, parseLaunchArgs } from '../../main/integration/launch-args.ts';

const NONE = { kind: 'none' };

describe('parseLaunchArgs', () => {
  it('reads --run APP and --run=APP', () => {
    expect(parseLaunchArgs(['/opt/Terrarium/terrarium', '--run', '1a2b3c4d'], 'linux')).toEqual({ kind: 'run', app: '1a2b3c4d' });
    expect(parseLaunchArgs(['Terrarium.exe', '--run=cowsay'], 'win32')).toEqual({ kind: 'run', app: 'cowsay' });
    expect(parseLaunchArgs(['t', '--run'], 'linux')).toEqual(NONE);
    expect(parseLaunchArgs(['t', '--run='], 'linux')).toEqual(NONE);
    expect(parseLaunchArgs(['t', '--run', 'bad\nname'], 'linux')).toEqual(NONE);
  });

  it('finds the --run value past switches Chromium moved in front of it', () => {
    expect(parseLaunchArgs(['Terrarium.exe', '--run', '--allow-file-access-from-files', '--original-process-start-time=1', '1a2b3c4d'], 'win32')).toEqual({ kind: 'run', app: '1a2b3c4d' });
  });

  it('opens a double-clicked .wasm, resolving it against the launch folder', () => {
    expect(parseLaunchArgs(['terrarium', '/home/ada/hello.wasm'], 'linux')).toEqual({ kind: 'open-file', path: '/home/ada/hello.wasm' });
    expect(parseLaunchArgs(['terrarium', 'hello.WASM'], 'linux', { cwd: '/home/ada' })).toEqual({ kind: 'open-file', path: '/home/ada/hello.WASM' });
    expect(parseLaunchArgs(['Terrarium.exe', 'C:\\Users\\Ada\\My Apps\\hello.wasm'], 'win32')).toEqual({ kind: 'open-file', path: 'C:\\Users\\Ada\\My Apps\\hello.wasm' });
    expect(parseLaunchArgs(['Terrarium.exe', 'tools\\x.wasm'], 'win32', { cwd: 'D:\\work' })).toEqual({ kind: 'open-file', path: 'D:\\work\\tools\\x.wasm' });
  });

  it('takes file: URLs (a Desktop Entry’s %U) and strips quotes a Windows shell left on', () => {
    expect(parseLaunchArgs(['terrarium', 'file:///home/ada/My%20Apps/hello.wasm'], 'linux')).toEqual({ kind: 'open-file', path: '/home/ada/My Apps/hello.wasm' });
    expect(parseLaunchArgs(['Terrarium.exe', 'file:///C:/Users/Ada/x.wasm'], 'win32')).toEqual({ kind: 'open-file', path: 'C:\\Users\\Ada\\x.wasm' });
    expect(parseLaunchArgs(['Terrarium.exe', '"C:\\a b\\x.wasm"'], 'win32')).toEqual({ kind: 'open-file', path: 'C:\\a b\\x.wasm' });
    expect(parseLaunchArgs(['terrarium', 'file://host%/x.wasm'], 'linux')).toEqual(NONE);
  });

  it('skips Electron’s and Chromium’s switches, macOS’s -psn_ argument, and non-.wasm arguments', () => {
    expect(parseLaunchArgs(['/Applications/Terrarium.app/Contents/MacOS/Terrarium', '-psn_0_1234567'], 'darwin')).toEqual(NONE);
    expect(parseLaunchArgs(['terrarium', '--no-sandbox', '--enable-features=X', 'readme.txt', 'x.wasm'], 'linux')).toEqual({ kind: 'open-file', path: 'x.wasm' });
    expect(parseLaunchArgs(['terrarium'], 'linux')).toEqual(NONE);
  });

  it('skips the app folder when run as `electron .`', () => {
    expect(parseLaunchArgs(['electron', '.', '--run', 'a1'], 'linux', { skip: 2 })).toEqual({ kind: 'run', app: 'a1' });
    expect(parseLaunchArgs(['electron', 'app.wasm'], 'linux', { skip: 2 })).toEqual(NONE);
  });

  it('treats everything after -- as files, and lets the first request win', () => {
    expect(parseLaunchArgs(['terrarium', '--', '--run.wasm'], 'linux')).toEqual({ kind: 'open-file', path: '--run.wasm' });
    expect(parseLaunchArgs(['terrarium', '--', '--run', 'a1'], 'linux')).toEqual(NONE);
    expect(parseLaunchArgs(['terrarium', 'x.wasm', '--run', 'a1'], 'linux')).toEqual({ kind: 'open-file', path: 'x.wasm' });
  });
});

describe('asLaunchRequest', () => {
  it('accepts a well-formed request a second instance sent, and nothing else', () => {
    expect(asLaunchRequest({ kind: 'run', app: 'a1' })).toEqual({ kind: 'run', app: 'a1' });
    expect(asLaunchRequest({ kind: 'open-file', path: '/x.wasm', extra: 1 })).toEqual({ kind: 'open-file', path: '/x.wasm' });
    expect(asLaunchRequest({ kind: 'none' })).toEqual(NONE);
    for (const bad of [null, undefined, 'run', {}, { kind: 'run' }, { kind: 'run', app: '' }, { kind: 'open-file', path: 'a\0b' }, { kind: 'exec', cmd: 'rm' }]) {
      expect(asLaunchRequest(bad)).toBeNull();
    }
  });
});
