/**
 * The terminal prompt for a component on the WASI 0.2 host (issue 15.4): `terrarium run APP` in a
 * real terminal (tmux) runs the installed natively-0.2 component notes.component.wasm with a
 * read-only and a read-write grant; a path outside them is asked about on the terminal, and the
 * answer decides: [o]nce reads the file, [d]eny fails the step with `access`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Library } from '../../main/library/library.ts';

const repo = path.resolve(import.meta.dirname, '..', '..');
const cli = path.join(repo, 'bin', 'terrarium.js');
const SOCKET = `terrarium-component-${process.pid}`;
let home: string;
let data: string;
let secret: string;

const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const pane = (name: string): string => tmux('capture-pane', '-p', '-J', '-t', name, '-S', '-100');

async function until(what: string, f: () => boolean, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; !f();) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs `terrarium run notes -- ARGS` in pane `name`, answers its one question with `key`; returns the pane. */
async function runAnswering(name: string, args: string[], key: string): Promise<string> {
  const quoted = [process.execPath, cli, 'run', 'notes', '--', ...args].map((a) => `'${a}'`).join(' ');
  tmux('new-session', '-d', '-s', name, '-x', '160', '-y', '40', '-e', `TERRARIUM_HOME=${home}`, `${quoted}; echo "exit=$?"; sleep 600`);
  await until('the question', () => /\(no answer in \d+ s: deny\) >\s*$/.test(pane(name).trimEnd() + ' '));
  expect(pane(name)).toContain(`terrarium: notes wants to read ${secret}`);
  tmux('send-keys', '-t', name, key, 'Enter');
  await until('the end of the run', () => pane(name).includes('exit='));
  return pane(name);
}

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-component-tty-'));
  data = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-component-data-')));
  for (const d of ['ro', 'rw', 'outside']) fs.mkdirSync(path.join(data, d));
  fs.writeFileSync(path.join(data, 'ro', 'in.txt'), 'granted');
  secret = path.join(data, 'outside', 'secret.txt');
  fs.writeFileSync(secret, 'outside');
  const file = path.join(data, 'notes.wasm');
  fs.copyFileSync(path.join(repo, 'test', 'fixtures', 'components', 'notes.component.wasm'), file);
  const lib = Library.open(home);
  const { app } = await lib.install({ kind: 'file', path: file });
  lib.grant(app.id, [
    { kind: 'folder', host: path.join(data, 'ro'), guest: '/in', access: 'read' },
    { kind: 'folder', host: path.join(data, 'rw'), guest: '/out', access: 'read-write' },
  ]);
  lib.close();
});

afterAll(() => {
  const socket = spawnSync('tmux', ['-L', SOCKET, 'display-message', '-p', '#{socket_path}'], { encoding: 'utf8' }).stdout.trim();
  spawnSync('tmux', ['-L', SOCKET, 'kill-server']); // ends the panes' sleeps
  if (socket !== '') fs.rmSync(socket, { force: true });
  for (const d of [home, data]) fs.rmSync(d, { recursive: true, force: true });
});

test('a component outside its grants asks on the terminal: "once" reads the file, "deny" refuses it', async () => {
  const steps = ['read:/in/in.txt', 'mkdir:/out/made', `read:${secret}`];
  const once = await runAnswering('s1', steps, 'o');
  expect(once).toContain(`read /in/in.txt: granted\nmkdir /out/made ok\n`);
  expect(once).toContain(`read ${secret}: outside\n`);
  expect(once).toContain('exit=0');
  const deny = await runAnswering('s2', ['list:/in', `read:${secret}`], 'd');
  expect(deny).toContain('list /in: in.txt\n');
  expect(deny).toContain(`read ${secret} error=access\n`);
  expect(deny).toContain('exit=1');
  expect(fs.readdirSync(path.join(data, 'rw'))).toEqual(['made']);
}, 90_000);
