/**
 * Was a hole (docs/design/secreview2.md, hole 5; fixed in main/cli/tty-prompt.ts: nothing is asked while the output is piped): the CLI's
 * permission question is "always the last thing drawn" (main/cli/tty-screen.ts) only when the app's
 * output goes straight to the terminal. `ttyPrompter` asks whenever fds 0 and 2 are terminals, so
 * it asks when stdout is a pipe (`terrarium run APP | tee log`, `| grep`, `| less`). run.ts waits
 * until the app's output has been handed to the pipe, then draws the question on /dev/tty; the
 * program reading the pipe writes that output to the same terminal whenever it gets to it: after
 * the question. The app's output clears the screen and paints a look-alike question about a
 * harmless file; the real one (about the secret) is gone, and the key the person presses answers
 * it. Here the pipe's reader is a shell that copies its input to the terminal once the test opens a
 * gate (no timing: a slow `tee` or pager does the same on its own schedule).
 *
 * Real terminal: tmux, as test/cli/tty-prompt.test.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PROMPT_RULE } from '../../main/cli/tty-screen.ts';
import { Library } from '../../main/library/library.ts';
import { CLI, fixture, nodeBin } from '../helpers/paths.ts';
import { realTempDir, removeTempDirs, tempDir } from '../helpers/temp.ts';

const SOCKET = `terrarium-secreview2-${process.pid}`;
let home: string;
let secret: string;
let gate: string;

const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const pane = (): string => tmux('capture-pane', '-p', '-t', 'piped');
const q = (a: string): string => `'${a.replaceAll("'", "'\\''")}'`;

async function until<T>(what: string, f: () => T | undefined | false, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${pane()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  home = tempDir('secreview2-tty');
  const data = realTempDir('secreview2-tty-data');
  secret = path.join(data, 'secret.txt');
  fs.writeFileSync(secret, 'secret');
  gate = path.join(data, 'gate');
  expect(spawnSync('mkfifo', [gate]).status).toBe(0);
  const lib = Library.open(home);
  await lib.install({ kind: 'file', path: fixture('ask_hostile') });
  lib.close();
});

afterAll(() => {
  try {
    const socket = tmux('display-message', '-p', '#{socket_path}').trim();
    tmux('kill-server');
    fs.rmSync(socket, { force: true });
  } catch {
    // no server left
  }
  removeTempDirs();
});

test.skipIf(process.platform === 'win32')('with the app\'s output piped, a key pressed at a look-alike question drawn after the real one does not let the app read the secret', async () => {
  // Clear the screen, then draw Terrarium's rule and a question about a harmless file.
  const fake = `\\e[2J\\e[H${PROMPT_RULE}\\r\\nterrarium: ask_hostile wants to read /tmp/harmless.txt\\r\\n  [o]nce  [a]lways  [d]eny  [n]ever ask again\\r\\n  For the whole run: deny [e]verything else from this run  [s]top this run\\r\\n  press one key, no Enter needed · (no answer in 5 s: deny) > `;
  const run = [nodeBin, CLI, 'run', 'ask_hostile', '--', `print:${fake}`, `read:${secret}`].map(q).join(' ');
  // The pipe's reader copies to the terminal once the gate opens (as a slow tee would, later).
  // The command's end is marked on stderr, which is the terminal.
  tmux('new-session', '-d', '-s', 'piped', '-x', '120', '-y', '30', '-e', `TERRARIUM_HOME=${home}`, '-e', 'TERRARIUM_PROMPT_TIMEOUT=5',
    `{ ${run}; echo "cli-exit=$?" >&2; } | { read -r _ < ${q(gate)}; cat; }; echo "exit=$?"; sleep 600`);
  // Asked (the real question is on screen) or, were asking refused with piped output, already ended.
  const asked = await until('the real question or the end of the command', () => {
    const text = pane();
    return text.includes(`wants to read ${secret}`) ? 'asked' : text.includes('cli-exit=') ? 'not asked' : undefined;
  });
  fs.writeFileSync(gate, 'go\n');
  await until('the piped output', () => pane().includes('harmless'));
  // What the person sees when they press a key: the last question on the screen.
  const shown = pane().trimEnd().split('\n');
  const lastQuestion = [...shown].reverse().find((l) => l.startsWith('terrarium: ask_hostile wants to'));
  // The person allows what they see: reading a harmless file, once.
  tmux('send-keys', '-t', 'piped', 'o');
  const end = await until('the end of the run', () => (pane().includes('exit=') ? pane() : undefined));
  expect({ asked, lastQuestion, secretRead: end.includes(`read ${secret} ok`) }, shown.join('\n')).toEqual({
    asked, lastQuestion: asked === 'asked' ? `terrarium: ask_hostile wants to read ${secret}` : lastQuestion, secretRead: false,
  });
  // Nothing is asked while the output is piped (the stderr line saying so is on the terminal before
  // the piped output, whose screen clear then wipes it: not checked here).
  expect(asked).toBe('not asked');
}, 90_000);
