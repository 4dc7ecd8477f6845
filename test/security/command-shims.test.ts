/**
 * "Add as a command" and shortcuts against hostile app names and command names (attacks that hold;
 * docs/design/secreview2.md). A real temporary home folder on Linux rules; each refusal is exact
 * and leaves every file as it was.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Host } from '../../main/integration/host.ts';
import { createIntegration } from '../../main/integration/service.ts';
import { CodedError } from '../../main/shared/coded-error.ts';

let home: string;
let host: Host;
let cliLog: string;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-secreview2-home-'));
  const icon = path.join(home, 'icon.png');
  fs.writeFileSync(icon, 'PNG');
  // A stand-in for the terrarium command: prints its arguments NUL-separated.
  cliLog = path.join(home, 'cli');
  fs.writeFileSync(cliLog, '#!/bin/sh\nprintf \'%s\\0\' "$@"\n', { mode: 0o755 });
  host = { platform: 'linux', home, executable: '/opt/Terrarium/terrarium', icon, cli: [cliLog] };
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

/** Every file under `dir` with its content (a snapshot to compare). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const p = path.join(e.parentPath, e.name);
    if (e.isFile()) out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    else if (e.isSymbolicLink()) out[path.relative(dir, p)] = `-> ${fs.readlinkSync(p)}`;
  }
  return out;
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CodedError);
  return { code: (err as CodedError).code, message: (err as CodedError).message };
}

const A = { id: 'aaaa0001', name: 'Trusted editor' };
// A hostile app whose name carries another app's marker, a newline, quotes and a command substitution.
const B = { id: 'bbbb0002', name: 'x"\n# terrarium-app aaaa0001\n$(touch /tmp/pwned)`id`\'', description: 'terrarium-app aaaa0001\nExec=sh -c evil' };

describe('a hostile app', () => {
  test('cannot take over another app\'s command, and its own runs only its own id', async () => {
    const integration = createIntegration(host, {}, '');
    await integration.addCommand(A, 'edit');
    const before = tree(home);
    expect(await refusal(integration.addCommand(B, 'edit'))).toEqual({
      code: 'exists', message: `${path.join(home, '.local', 'bin', 'edit')} already exists and was not made by Terrarium for this app`,
    });
    expect(tree(home)).toEqual(before);
    await integration.addCommand(B, 'other');
    // The launcher runs the CLI with B's id, whatever B's name says.
    const ran = execFileSync(path.join(home, '.local', 'bin', 'other'), ['a b', '$(id)']).toString().split('\0').slice(0, -1);
    expect(ran).toEqual(['run', 'bbbb0002', '--', 'a b', '$(id)']);
    expect(fs.existsSync('/tmp/pwned')).toBe(false);
  });

  test('whose name and description carry another app\'s marker is never taken for it', async () => {
    const integration = createIntegration(host, {}, '');
    await integration.addShortcuts(B, { menu: true, desktop: true });
    await integration.addCommand(B, 'bee');
    expect(await integration.list(A.id)).toEqual([]);
    await integration.addCommand(A, 'edit');
    await integration.removeAll(A.id);
    expect((await integration.list(B.id)).map((e) => e.kind).sort()).toEqual(['command', 'desktop', 'menu']);
    await integration.removeAll(B.id);
    expect(fs.readdirSync(path.join(home, '.local', 'bin'))).toEqual([]);
  });

  test('a Desktop Entry from a hostile name and description has exactly one Exec line, running its own id', async () => {
    const integration = createIntegration(host, {}, '');
    await integration.addShortcuts(B, { menu: true, desktop: false });
    const entry = fs.readFileSync(path.join(home, '.local', 'share', 'applications', 'terrarium-app-bbbb0002.desktop'), 'utf8');
    expect(entry.split('\n').filter((l) => l.startsWith('Exec='))).toEqual(['Exec=/opt/Terrarium/terrarium --run bbbb0002']);
    expect(entry.split('\n').filter((l) => /terrarium-app /.test(l))[0]).toMatch(/^# terrarium-app bbbb0002:/);
  });
});

describe('a command name', () => {
  const bad: [string, RegExp][] = [
    ['..', /cannot start with a dot/],
    ['../../.bashrc', /cannot contain \/ or \\/],
    ['.bashrc', /cannot start with a dot/],
    ['-rf', /cannot start with a dash/],
    ['a;reboot', /can only use letters, digits/],
    ['$(id)', /can only use letters, digits/],
    ['a b', /can only use letters, digits/],
    ['a\nb', /can only use letters, digits/],
    ['\uff4c\uff53', /can only use letters, digits/], // fullwidth "ls"
    ['l\u0455', /can only use letters, digits/], // Cyrillic dze for "s"
    ['Terrarium', /Terrarium's own command/],
    ['nul.txt', /reserved name on Windows/],
  ];
  test.each(bad)('%j is refused and nothing is written', async (name, why) => {
    const integration = createIntegration(host, {}, '');
    const before = tree(home);
    const r = await refusal(integration.addCommand(A, name));
    expect(r.code).toBe('bad-command');
    expect(r.message).toMatch(why);
    expect(tree(home)).toEqual(before);
  });

  test('that names a program elsewhere on PATH is refused', async () => {
    const bin = path.join(home, 'usr-bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'ls'), '');
    const integration = createIntegration(host, {}, `${bin}:${path.join(home, '.local', 'bin')}`);
    expect(await refusal(integration.addCommand(A, 'ls'))).toEqual({ code: 'bad-command', message: `There is already a program called "ls" (${path.join(bin, 'ls')}).` });
    expect(fs.existsSync(path.join(home, '.local', 'bin', 'ls'))).toBe(false);
  });
});
