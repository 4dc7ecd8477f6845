/**
 * Opening granted folders as granted (issue 9 point 1): `openPinned` follows no symlink anywhere
 * on the recorded path and checks the identity; the worker leaves a replaced folder out of the run
 * even when main's check passed (its open is the authoritative one); and `terrarium run --dir`
 * refuses a folder reached through a symbolic link inside another writable --dir folder; the
 * command pins and opens a --dir folder in one step (`openNamed`) and the run starts from that descriptor.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCommand } from '../../main/runtime/load.ts';
import { NamedFolderError, openNamed, pinFolder, plantedLink } from '../../main/shared/folder-pin.ts';
import { openPinned } from '../../main/runtime/pinned-folder.ts';
import { type Preopen, startRun } from '../../main/runtime/run.ts';
import { fixtureWasm, runCli } from '../helpers/sandbox-box.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tree(): { root: string; w: string; inner: string; outside: string } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-pin-')));
  dirs.push(root);
  const w = path.join(root, 'box', 'w');
  const inner = path.join(w, 'inner');
  const outside = path.join(root, 'outside');
  fs.mkdirSync(inner, { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'SECRET');
  return { root, w, inner, outside };
}

/** grant_swap's probe of `preopens` (it lists them and reads what it can), its output, stale reports and outcome. */
async function probeRun(preopens: Preopen[], sameThread = false): Promise<{ out: string; stale: string[]; done: unknown }> {
  let out = '';
  const stale: string[] = [];
  const handle = startRun({
    module: loadCommand(fs.readFileSync(fixtureWasm('grant_swap.wasm'))),
    args: ['grant_swap.wasm', 'probe', '63'],
    env: [],
    preopens,
    sameThread,
    onOutput: (_s, d) => {
      out += Buffer.from(d).toString('utf8');
    },
    onStale: (p, reason) => stale.push(`${p.guestPath}: ${reason}`),
  });
  handle.endStdin();
  const done = await handle.done;
  return { out, stale, done };
}

describe('openPinned', () => {
  it('opens the recorded folder, and refuses a symlink anywhere on its path or another identity', () => {
    const { root, w, inner } = tree();
    const pin = pinFolder(inner);
    expect(pin.resolved).toBe(inner);
    fs.closeSync(openPinned(pin));
    // A symlink for a folder on the way (the same folder behind it): still refused.
    fs.renameSync(path.join(root, 'box'), path.join(root, 'real-box'));
    fs.symlinkSync('real-box', path.join(root, 'box'));
    expect(() => openPinned(pin)).toThrow(expect.objectContaining({ code: 'stale-folder' }));
    expect(() => openPinned(pin)).toThrow(`${path.join(root, 'box')} was replaced by a symbolic link`);
    fs.unlinkSync(path.join(root, 'box'));
    fs.renameSync(path.join(root, 'real-box'), path.join(root, 'box'));
    fs.closeSync(openPinned(pin));
    fs.rmdirSync(inner);
    expect(() => openPinned(pin)).toThrow(`${inner} no longer exists`);
    // Made again under the same name: ext4 hands it the same inode number, the birth time tells.
    fs.mkdirSync(inner);
    expect(() => openPinned(pin)).toThrow(`${inner} is another folder than the one granted`);
    expect(plantedLink(w, [w])).toBeNull();
  });

  it('the worker leaves out a folder replaced after main checked it, and says so', async () => {
    const { w, inner } = tree();
    const pins = [pinFolder(w), pinFolder(inner)];
    // main checked (pinned) both; then the app's earlier run, or a racing process, swaps inner.
    fs.renameSync(inner, `${inner}.old`);
    fs.symlinkSync('../../outside', inner);
    const { out, stale, done } = await probeRun([
      { hostPath: w, guestPath: '/w', readOnly: false, pin: pins[0] },
      { hostPath: inner, guestPath: '/w/inner', readOnly: false, pin: pins[1] },
    ]);
    expect(done).toEqual({ kind: 'exit', code: 0 });
    expect(out).toContain('preopen 3 /w\n');
    expect(out).not.toContain('/w/inner');
    expect(out).not.toContain('SECRET');
    expect(stale).toEqual([`/w/inner: ${inner} was replaced by a symbolic link`]);
  });
});

describe('openNamed (terrarium run --dir: pinned and opened in one step)', () => {
  it.runIf(process.platform === 'linux')('pins the folder it opened: the path as named, symlinks followed, its identity', () => {
    const { root, w, inner } = tree();
    fs.symlinkSync('box/w', path.join(root, 'link'));
    const opened = openNamed(path.join(root, 'link', 'inner'))!;
    try {
      expect(opened.pin).toEqual(pinFolder(inner));
      const st = fs.fstatSync(opened.fd);
      expect(st.isDirectory()).toBe(true);
      expect(st.ino).toBe(fs.statSync(inner).ino);
    } finally {
      fs.closeSync(opened.fd);
    }
    expect(() => openNamed(path.join(w, 'missing'))).toThrow(new NamedFolderError('missing'));
    fs.writeFileSync(path.join(w, 'file'), '');
    expect(() => openNamed(path.join(w, 'file'))).toThrow(new NamedFolderError('not-folder'));
  });

  /** The folder `inner` opened by `openNamed`, then its path swapped for a link to outside; the run of grant_swap's probe of it. */
  async function runSwapped(sameThread: boolean): Promise<{ out: string; stale: string[]; done: unknown; inner: string }> {
    const { w, inner } = tree();
    const opened = openNamed(inner)!;
    // The path is swapped after the command opened it (now inner.old, which holds no secret.txt).
    fs.renameSync(inner, `${inner}.old`);
    fs.symlinkSync('../../outside', inner);
    const r = await probeRun([
      { hostPath: w, guestPath: '/w', readOnly: false, pin: pinFolder(w) },
      { hostPath: inner, guestPath: '/w/inner', readOnly: false, pin: opened.pin, hostFd: opened.fd },
    ], sameThread);
    return { ...r, inner };
  }

  it.runIf(process.platform === 'linux')('a run on the command\'s thread given the open folder starts from it, whatever its path became since', async () => {
    const { out, stale, done } = await runSwapped(true);
    expect(done, out).toEqual({ kind: 'exit', code: 0 });
    expect(stale).toEqual([]);
    expect(out).toContain('preopen 4 /w/inner\n');
    expect(out).not.toContain('SECRET');
  });

  it.runIf(process.platform === 'linux')('a run in a worker opens a folder handed over open from its pin again, so a swapped path is left out as stale', async () => {
    // The descriptor is closed on the thread that opened it (Node warns on stderr when a worker
    // closes one it did not open); the worker's walk of the pin finds the link.
    const { out, stale, done, inner } = await runSwapped(false);
    expect(done, out).toEqual({ kind: 'exit', code: 0 });
    expect(stale).toEqual([`/w/inner: ${inner} was replaced by a symbolic link`]);
    expect(out).not.toContain('/w/inner');
    expect(out).not.toContain('SECRET');
  });
});

describe('terrarium run --dir', () => {
  it('refuses a --dir reached through a symlink inside another read-write --dir, in one line and the usage (exit 2)', async () => {
    const { w, inner } = tree();
    fs.rmdirSync(inner);
    fs.symlinkSync('../../outside', inner);
    const r = await runCli(['--dir', `${w}::/w`, '--dir', `${inner}::/w/inner`, fixtureWasm('grant_swap.wasm'), '--', 'probe', '63']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    // One line with the reason, then the command's usage line (every usage error ends so).
    const [reason, usage, ...rest] = r.stderr.split('\n');
    expect(reason).toBe(`terrarium: --dir ${inner}: its path passes through the symbolic link ${inner} inside ${w}, a read-write --dir folder of this command (the app could have put it there); name the folder it leads to instead (see "terrarium run --help")`);
    expect(usage).toMatch(/^usage: terrarium run /);
    expect(rest).toEqual(['']);
    // The same folders with the outer one read-only: nobody could have planted the link, so it runs.
    const ok = await runCli(['--dir', `${w}::/w:ro`, '--dir', `${inner}::/w/inner`, fixtureWasm('grant_swap.wasm'), '--', 'probe', '63']);
    expect(ok.stdout, ok.stderr).toContain('preopen 4 /w/inner\n');
  });

  it('names a missing --dir folder and one that is a file (exit 2), and follows a symlink the person named', async () => {
    const { root } = tree();
    fs.writeFileSync(path.join(root, 'file'), '');
    for (const [named, why] of [[path.join(root, 'missing'), 'no such folder'], [path.join(root, 'file'), 'not a folder']]) {
      const r = await runCli(['--dir', `${named}::/w`, fixtureWasm('grant_swap.wasm'), '--', 'probe', '63']);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(`terrarium: --dir ${named}: ${why} (see "terrarium run --help")`);
    }
    fs.symlinkSync('box/w', path.join(root, 'named-link'));
    const ok = await runCli(['--dir', `${path.join(root, 'named-link')}::/w`, fixtureWasm('grant_swap.wasm'), '--', 'probe', '44']);
    expect(ok.stdout, ok.stderr).toContain('preopen 3 /w\n');
    expect(ok.code, ok.stderr).toBe(0);
  });
});
