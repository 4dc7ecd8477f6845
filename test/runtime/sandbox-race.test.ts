/**
 * The race test (DESIGN §3.1): a second host process swaps a folder inside the grant between a
 * real directory and symlinks to the outside folder as fast as it can, while the guest
 * (race_open.wasm) opens, reads, stats and lists through it in a loop. A runtime that checks a
 * path and then opens it by name can be raced into reading the secret; Terrarium must not.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { lstatSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import {
  type Box,
  fixtureWasm,
  HostSnapshot,
  makeBox,
  repoRoot,
  resolverModes,
  runCli,
  writeTree,
} from '../helpers/sandbox-box.ts';

const ITERATIONS = 20_000;
const GUEST_MAX_MS = 5_000;
const SWAPPER_MAX_MS = 60_000;

let box: Box | undefined;
let swapper: { child: ChildProcess; stopFile: string; exited: Promise<string> } | undefined;

/** Asks the swapper to stop (stop file), kills it if it does not within 5 s; returns its stdout. */
async function stopSwapper(): Promise<string> {
  const s = swapper;
  swapper = undefined;
  if (!s) return '';
  writeFileSync(s.stopFile, '');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 5_000);
  try {
    return await s.exited;
  } finally {
    clearTimeout(timer);
  }
}

afterEach(async () => {
  await stopSwapper();
  box?.remove();
  box = undefined;
});

function startSwapper(grant: string, stash: string, stopFile: string): Promise<void> {
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'test', 'helpers', 'swapper.ts'), grant, stash, stopFile, String(SWAPPER_MAX_MS)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  const exited = new Promise<string>((resolve) => child.on('close', () => resolve(out)));
  swapper = { child, stopFile, exited };
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString('utf8');
      if (out.includes('ready\n')) resolve();
    });
    child.on('error', reject);
    void exited.then(() => reject(new Error(`swapper exited before it was ready: ${out}`)));
  });
}

function counters(stdout: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const match = /^([a-z_A-Z]+)=(\d+)$/.exec(line);
    if (match) m.set(match[1]!, Number(match[2]));
  }
  return m;
}

// Only the fd-based resolvers are race-free: the native host calls (Linux and macOS) and the /proc
// walk (Linux). The by-path one (Windows) checks after the fact; a swap-and-swap-back between its
// checks can still slip through, but there a guest cannot make the symlink to swap in (README,
// "Sandbox").
const raceFree = resolverModes.filter(([, env]) => env.TERRARIUM_RESOLVER !== 'portable');

test.each(raceFree)('%s: a folder swapped for a symlink to outside never lets the guest out', async (_name, env) => {
  const b = makeBox({ 'secret.txt': 'SECRET', 'outside_marker': '' });
  box = b;
  const grant = b.dir('grant');
  const stash = b.dir('stash');
  writeTree(grant, { 'swap/secret.txt': 'inside', 'swap/inside_marker': '', 'swapf': 'inside' });
  writeTree(stash, {
    rel: { link: '../outside' },
    abs: { link: b.outside },
    frel: { link: '../outside/secret.txt' },
    fabs: { link: join(b.outside, 'secret.txt') },
  });
  const secretIno = String(lstatSync(join(b.outside, 'secret.txt')).ino);
  const snap = HostSnapshot.take(b.root, { skip: [grant, stash] });

  await startSwapper(grant, stash, join(stash, 'stop'));
  const r = await runCli(
    ['--dir', `${grant}::/sandbox`, fixtureWasm('race_open.wasm'), '--', String(ITERATIONS),
      String(GUEST_MAX_MS), secretIno],
    GUEST_MAX_MS + 30_000,
    env,
  );
  const swapperOut = await stopSwapper();
  const c = counters(r.stdout);
  const get = (k: string): number => c.get(k) ?? 0;

  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(get('iterations'), r.stdout).toBeGreaterThan(0);
  // Nothing ever came from outside: no secret content, inode, stat or listing.
  for (const k of ['escape_open', 'escape_open_ino', 'escape_stat', 'escape_list', 'escape_openf']) {
    expect(c.get(k), `${k}\n${r.stdout}`).toBe(0);
  }
  // The race really ran: both states were seen, through every kind of call.
  expect(counters(swapperOut).get('cycles') ?? 0, swapperOut).toBeGreaterThan(100);
  expect(get('open_inside'), r.stdout).toBeGreaterThan(0);
  expect(get('open_err_PERM'), r.stdout).toBeGreaterThan(0);
  expect(get('stat_inside'), r.stdout).toBeGreaterThan(0);
  expect(get('stat_err_PERM'), r.stdout).toBeGreaterThan(0);
  expect(get('list_inside'), r.stdout).toBeGreaterThan(0);
  expect(get('list_err_PERM'), r.stdout).toBeGreaterThan(0);
  expect(get('openf_inside'), r.stdout).toBeGreaterThan(0);
  expect(get('openf_err_PERM'), r.stdout).toBeGreaterThan(0);
  // Every failed open is one of the errors the swap can legitimately cause.
  const allowed = /^(open|stat|list|openf)_err_(PERM|NOENT|NOTDIR|LOOP)$/;
  const unexpected = [...c.keys()].filter((k) => k.includes('_err_') && !allowed.test(k));
  expect(unexpected, r.stdout).toEqual([]);
  expect(get('open_other'), r.stdout).toBe(0);
  expect(snap.diff()).toEqual([]);
}, 90_000);
