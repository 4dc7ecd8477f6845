/** "Add as a command": launchers run for real (sh) and checked as text (.cmd). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandLauncher, commandNameOf, commandOps, commandPath } from '../../main/integration/commands.ts';
import { APP, LINUX, MAC, TRICKY, WINDOWS } from './helpers.ts';

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-commands-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

/** A fake `terrarium` CLI (in a folder with a space and a quote) that prints its arguments, NUL-separated. */
function fakeCli(): string {
  const dir = path.join(temp, "my 'bin'");
  fs.mkdirSync(dir, { recursive: true });
  const cli = path.join(dir, 'terrarium');
  fs.writeFileSync(cli, '#!/bin/sh\nprintf \'%s\\0\' "$@"\n', { mode: 0o755 });
  return cli;
}

describe('sh launchers (Linux and macOS)', () => {
  it('live in ~/.local/bin under the chosen name', () => {
    expect(commandPath(LINUX, 'cowsay')).toBe('/home/ada/.local/bin/cowsay');
    expect(commandPath(MAC, 'cowsay')).toBe('/Users/ada/.local/bin/cowsay');
    expect(commandNameOf(LINUX, '/home/ada/.local/bin/cowsay')).toBe('cowsay');
  });

  it('exec terrarium run <id> -- "$@"', () => {
    expect(commandLauncher(LINUX, APP)).toBe(
      [
        '#!/bin/sh',
        '# terrarium-app 1a2b3c4d: runs the Terrarium app "Cow Say" with its stored grants.',
        '# Made by Terrarium\'s "Add as a command"; Terrarium removes it when the app is uninstalled.',
        "exec 'terrarium' 'run' '1a2b3c4d' '--' \"$@\"",
        '',
      ].join('\n'),
    );
  });

  it('pass every argument through exactly, to a CLI at any path', () => {
    const cli = fakeCli();
    const launcher = path.join(temp, 'cowsay');
    fs.writeFileSync(launcher, commandLauncher({ ...LINUX, cli: [cli] }, APP), { mode: 0o755 });
    const args = ['plain', 'two words', "it's", '"q"', '$HOME', '`id`', '*', '', '-n', '--', 'new\nline', 'ünï'];
    const out = execFileSync(launcher, args).toString();
    expect(out.split('\0').slice(0, -1)).toEqual(['run', '1a2b3c4d', '--', ...args]);
  });

  it('keep a hostile app name inside the comment', () => {
    const text = commandLauncher(LINUX, TRICKY);
    expect(text.split('\n')).toHaveLength(5);
    const cli = fakeCli();
    const launcher = path.join(temp, 'tricky');
    fs.writeFileSync(launcher, commandLauncher({ ...LINUX, cli: [cli] }, TRICKY), { mode: 0o755 });
    expect(execFileSync(launcher).toString().split('\0').slice(0, -1)).toEqual(['run', 'beef0001', '--']);
  });

  it('are written executable, guarded against replacing someone else’s file', () => {
    expect(commandOps(LINUX, APP, 'cowsay')).toEqual([
      { op: 'write', path: '/home/ada/.local/bin/cowsay', content: commandLauncher(LINUX, APP), mode: 0o755, guard: { appId: APP.id, file: '/home/ada/.local/bin/cowsay' } },
    ]);
  });

  it('refuse bad names', () => {
    for (const bad of ['../evil', '-x', 'a b', 'terrarium', 'a;b']) expect(() => commandOps(LINUX, APP, bad)).toThrow(expect.objectContaining({ code: 'bad-command' }));
  });
});

describe('.cmd launchers (Windows)', () => {
  it('live in %LOCALAPPDATA%\\Terrarium\\bin, which the installer puts on PATH', () => {
    expect(commandPath(WINDOWS, 'cowsay')).toBe('C:\\Users\\Ada\\AppData\\Local\\Terrarium\\bin\\cowsay.cmd');
    expect(commandNameOf(WINDOWS, 'C:\\x\\cowsay.CMD')).toBe('cowsay');
    const nsh = fs.readFileSync(path.resolve(import.meta.dirname, '../../resources/installer.nsh'), 'utf8');
    expect(nsh).toContain("Join-Path $$env:LOCALAPPDATA 'Terrarium\\bin'");
    expect(nsh).toContain('RMDir /r "$LOCALAPPDATA\\Terrarium\\bin"');
  });

  it('hand over to the CLI with %* (CRLF lines, % doubled in paths, no delayed expansion)', () => {
    const host = { ...WINDOWS, cli: ['C:\\Users\\Ada\\100% tools\\terrarium.cmd'] };
    expect(commandLauncher(host, APP)).toBe(
      [
        '@echo off',
        'rem terrarium-app 1a2b3c4d: made by Terrarium\'s "Add as a command".',
        'setlocal DisableDelayedExpansion',
        '"C:\\Users\\Ada\\100%% tools\\terrarium.cmd" "run" "1a2b3c4d" "--" %*',
        '',
      ].join('\r\n'),
    );
  });

  it('never put the app name in the batch file', () => {
    expect(commandLauncher(WINDOWS, TRICKY)).not.toContain('HOME');
  });
});
