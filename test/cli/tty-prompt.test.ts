/**
 * The terminal prompt end to end (issue 9, points 4 and 10): `terrarium run APP` in a real
 * terminal (tmux), running ask_hostile.wasm, which prints hostile output (a look-alike question,
 * a scroll region, the alternate screen, a hidden cursor, concealed black-on-black text, an
 * unterminated OSC or DCS) and then touches an ungranted path. The pane must show the real
 * question, plainly, last; the answers about the whole run must work from the keyboard.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PROMPT_RULE } from '../../main/cli/tty-screen.ts';
import { Library } from '../../main/library/library.ts';
import { CLI, fixture, nodeBin } from '../helpers/paths.ts';
import { realTempDir, removeTempDirs, tempDir } from '../helpers/temp.ts';

const SOCKET = `terrarium-test-${process.pid}`;
const FAKE = 'terrarium: ask_hostile wants to read /tmp/harmless.txt\\r\\n  [o]nce  [a]lways  [d]eny  [n]ever ask again  (no answer in 60 s: deny) > ';
const HIDE = '\\e[5;6r\\e[?1049h\\e[?25l\\e[8m\\e[30;40m';
let home: string;
let secret: string;
let session = 0;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

/** Starts `terrarium run ask_hostile -- ARGS` in a new 120x30 pane; returns the session name. */
function start(args: string[]): string {
  const name = `s${++session}`;
  const quoted = [nodeBin, CLI, 'run', 'ask_hostile', '--', ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '30', '-e', `TERRARIUM_HOME=${home}`, '-e', 'TERRARIUM_PROMPT_TIMEOUT=60',
    `${quoted}; echo "exit=$?"; sleep 600`);
  return name;
}

const pane = (name: string, ...flags: string[]): string => tmux('capture-pane', '-p', '-t', name, ...flags);
const state = (name: string, what: string): string => tmux('display-message', '-p', '-t', name, what).trim();

async function until<T>(what: string, f: () => T | undefined | false, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the pane's last non-empty line is the question's "> " line; returns the pane. */
function waitForQuestion(name: string, nth = 1): Promise<string> {
  return until(`question ${nth}`, () => {
    const text = pane(name);
    const count = text.split('\n').filter((l) => l === PROMPT_RULE).length;
    return count >= nth && /\(no answer in \d+ s: deny\) >\s*$/.test(text.trimEnd() + ' ') ? text : undefined;
  });
}

beforeAll(async () => {
  home = tempDir('tty');
  secret = path.join(realTempDir('tty-data'), 'secret.txt');
  fs.writeFileSync(secret, 'secret');
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

for (const [what, open] of [['an unterminated OSC', '\\e]0;pwned '], ['an unterminated DCS', '\\eP1$r'], ['an unterminated APC', '\\e_G']] as const) {
  test(`after hostile output ending in ${what} the pane shows the real question, plainly and last`, async () => {
    const name = start([`print:${FAKE}\\r\\n${HIDE}${open}`, `read:${secret}`]);
    const text = await waitForQuestion(name);
    const lines = text.trimEnd().split('\n');
    const rule = lines.lastIndexOf(PROMPT_RULE);
    expect(rule).toBeGreaterThanOrEqual(0);
    expect(lines[rule + 1]).toBe(`terrarium: ask_hostile wants to read ${secret}`);
    expect(lines.slice(rule).join('\n')).not.toContain('harmless');
    // The terminal's state: normal screen, cursor shown, whole scroll region, no origin mode.
    expect(state(name, '#{alternate_on} #{cursor_flag} #{scroll_region_upper} #{scroll_region_lower} #{origin_flag}')).toBe('0 1 0 29 0');
    // Drawn with default attributes: the question's lines carry no SGR at all.
    const withAttrs = pane(name, '-e').trimEnd().split('\n');
    const at = withAttrs.findIndex((l) => l.includes(`wants to read ${secret}`));
    expect(at).toBeGreaterThan(0);
    for (const l of withAttrs.slice(at - 1)) expect(l).not.toMatch(/\x1b\[/);
    // The question is the pane's last line, and the cursor is on it.
    expect(Number(state(name, '#{cursor_y}'))).toBe(29);
    tmux('send-keys', '-t', name, 'o', 'Enter');
    const after = await until('the answer', () => (pane(name).includes('exit=') ? pane(name) : undefined));
    expect(after).toContain('allowed');
    expect(after).toContain(`read ${secret} ok`);
    expect(after).toContain('exit=0');
  }, 60_000);
}

test('"deny everything else from this run" denies the rest without asking, and the audit says so', async () => {
  const missing = path.join(path.dirname(secret), 'none-');
  const name = start([`many:40:${missing}`]);
  await waitForQuestion(name, 1);
  tmux('send-keys', '-t', name, 'd', 'Enter');
  await waitForQuestion(name, 2);
  tmux('send-keys', '-t', name, 'd', 'Enter');
  // The third question within 10 s leads with the answers about the whole run.
  const third = await waitForQuestion(name, 3);
  const tail = third.trimEnd().split('\n').slice(-5).join('\n');
  expect(tail).toMatch(/It keeps asking.*\n {2}For the whole run: deny \[e\]verything else from this run {2}\[s\]top this run\n {2}For this path only: \[o\]nce/);
  tmux('send-keys', '-t', name, 'e', 'Enter');
  const done = await until('the end of the run', () => (pane(name).includes('exit=') ? pane(name) : undefined));
  expect(done).toContain('many: 0 allowed, 40 denied');
  expect(done).toContain('exit=0');
  expect(done.split('\n').filter((l) => l === PROMPT_RULE)).toHaveLength(3);
  const lib = Library.open(home);
  try {
    const audit = lib.audit('ask_hostile').filter((e) => e.path?.startsWith(missing));
    expect(audit).toHaveLength(40);
    expect(audit.every((e) => e.decision === 'denied')).toBe(true);
  } finally {
    lib.close();
  }
}, 60_000);

test('"stop this run" stops it', async () => {
  const missing = path.join(path.dirname(secret), 'stop-');
  const name = start([`many:40:${missing}`, 'print:not reached\\n']);
  await waitForQuestion(name, 1);
  tmux('send-keys', '-t', name, 's', 'Enter');
  const done = await until('the end of the run', () => (pane(name).includes('exit=') ? pane(name) : undefined));
  expect(done).toContain('stopping the run');
  expect(done).not.toContain('not reached');
  expect(done).not.toContain('many:');
  expect(done).toContain('exit=130');
}, 60_000);

test('one key answers without Enter, and the question says so (issue 13.9)', async () => {
  const name = start([`read:${secret}`]);
  const text = await waitForQuestion(name);
  expect(text.trimEnd().split('\n').at(-1)).toMatch(/^ {2}press one key, no Enter needed · \(no answer in 60 s: deny\) >$/);
  tmux('send-keys', '-t', name, 'o');
  const after = await until('the answer to a single key', () => (pane(name).includes('exit=') ? pane(name) : undefined), 10_000);
  expect(after).toContain('allowed');
  expect(after).toContain(`read ${secret} ok`);
  expect(after).toContain('exit=0');
}, 60_000);

test('another key is ignored (the question stays), a listed key then answers; Ctrl+C stops the run', async () => {
  const name = start([`read:${secret}`]);
  await waitForQuestion(name);
  tmux('send-keys', '-t', name, 'x');
  await new Promise((r) => setTimeout(r, 700));
  expect(pane(name)).not.toContain('denied');
  expect(pane(name)).not.toContain('exit=');
  tmux('send-keys', '-t', name, 'd');
  const denied = await until('the denial', () => (pane(name).includes('exit=') ? pane(name) : undefined), 10_000);
  expect(denied).toMatch(/> {3}denied\n/);
  expect(denied).not.toContain(`read ${secret} ok`);

  const second = start([`read:${secret}`, 'print:not reached\\n']);
  await waitForQuestion(second);
  tmux('send-keys', '-t', second, 'C-c');
  const stopped = await until('the stop', () => (pane(second).includes('exit=') ? pane(second) : undefined), 10_000);
  expect(stopped).toContain('stopping the run');
  expect(stopped).not.toContain('not reached');
  expect(stopped).toContain('exit=130');
}, 60_000);
