/**
 * A grant opens the folder the person granted, never one an app arranged (issue 9 point 1),
 * through the real `terrarium` command: an app whose read-write grant "/w" holds another granted
 * folder "/w/inner" replaces that folder during one run (grant_swap.wasm); the next run starts
 * without it, says so in one line with the command that grants it again, and the app reaches
 * nothing outside. Both resolvers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { grantStatus, statusOptions } from '../../main/launcher/grant-status.ts';
import { policyFor } from '../../main/launcher/policy.ts';
import type { GrantRecord } from '../../main/library/types.ts';
import { resolverModes } from '../helpers/sandbox-box.ts';
import { Library } from '../../main/library/library.ts';
import { cli, cliJson } from '../helpers/cli.ts';
import { fixture } from '../helpers/paths.ts';
import { tempDir } from '../helpers/temp.ts';

const PERM = 63;
const NOENT = 44;

describe.each(resolverModes)('grants pinned to what was granted (%s)', (_name, env) => {
  let home: string;
  let root: string;
  let w: string;
  let inner: string;
  beforeEach(async () => {
    home = tempDir('terrarium-home-');
    root = fs.realpathSync(tempDir('terrarium-pin-'));
    w = path.join(root, 'box', 'w');
    inner = path.join(w, 'inner');
    fs.mkdirSync(inner, { recursive: true });
    fs.mkdirSync(path.join(root, 'outside'));
    fs.writeFileSync(path.join(root, 'outside', 'secret.txt'), 'SECRET');
    expect((await cli(home, ['install', fixture('grant_swap.wasm')])).code).toBe(0);
    const g = await cli(home, ['grant', 'grant_swap', '--dir', `${w}::/w`, '--dir', `${inner}::/w/inner`]);
    expect(g.code, g.stderr).toBe(0);
  });
  afterEach(() => {
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  });
  const run = (...args: string[]) => cli(home, ['run', 'grant_swap', '--', ...args], { env });
  const innerGrant = async (): Promise<GrantRecord> =>
    (await cliJson<GrantRecord[]>(home, ['grants', 'grant_swap', '--json'], { env })).find((g) => g.kind === 'folder' && g.guest === '/w/inner')!;

  it('a grant records the resolved folder and its identity', async () => {
    const st = fs.statSync(inner, { bigint: true });
    expect((await innerGrant()).pin).toEqual({ resolved: inner, dev: String(st.dev), ino: String(st.ino), born: st.birthtimeNs > 0n ? String(st.birthtimeNs) : null });
    expect((await innerGrant()).stale).toBeUndefined();
  });

  it('a granted folder replaced by a symlink to outside is stale: the next run starts without it', async () => {
    const r1 = await run('swap-link');
    expect(r1.stdout, r1.stderr).toMatch(/done 2 checks, 0 failed/);
    expect(fs.lstatSync(inner).isSymbolicLink()).toBe(true);
    const r2 = await run('probe', String(PERM));
    expect(r2.stdout + r2.stderr).not.toContain('SECRET');
    expect(r2.stdout).not.toMatch(/preopen \d+ \/w\/inner/);
    expect(r2.stdout, r2.stderr).toMatch(/done 1 checks, 0 failed/);
    expect(r2.code).toBe(0);
    const lines = r2.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`(folder ${inner}) is stale: ${inner} was replaced by a symbolic link; the run starts without it`);
    expect(lines[0]).toContain(`terrarium grant grant_swap --dir ${inner}::/w/inner`);
    // `terrarium grants` says so too, and the grant cannot be made again through the planted link.
    expect((await innerGrant()).stale).toContain('symbolic link');
    expect((await cli(home, ['grants', 'grant_swap'])).stdout).toContain('STALE');
    const again = await cli(home, ['grant', 'grant_swap', '--dir', `${inner}::/w/inner`]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`passes through the symbolic link ${inner}, which lies inside ${w}, a folder granted read-write`);
  });

  it('a read-only grant moved away inside the writable one stays read-only there', async () => {
    const ro = path.join(w, 'a', 'ro');
    fs.mkdirSync(ro, { recursive: true });
    fs.writeFileSync(path.join(ro, 'file.txt'), 'readonly');
    expect((await cli(home, ['grant', 'grant_swap', '--dir', `${ro}::/ro:ro`])).code).toBe(0);
    const r1 = await run('move-parent');
    expect(r1.stdout, r1.stderr).toMatch(/done 1 checks, 0 failed/);
    const r2 = await run('write-moved');
    expect(r2.stderr).toContain(`(folder ${ro}) is stale: ${path.join(w, 'a')} no longer exists`);
    expect(r2.stdout, r2.stderr).toMatch(/done 2 checks, 0 failed/);
    expect(fs.readFileSync(path.join(w, 'b', 'ro', 'file.txt'), 'utf8')).toBe('readonly');
  });

  it('a granted folder replaced by another folder of the same name is stale', async () => {
    const r1 = await run('swap-identity');
    expect(r1.stdout, r1.stderr).toMatch(/done 2 checks, 0 failed/);
    const r2 = await run('probe', String(NOENT));
    expect(r2.stdout).not.toMatch(/preopen \d+ \/w\/inner/);
    expect(r2.stderr).toContain(`is stale: ${inner} is another folder than the one granted`);
    expect(r2.code, r2.stdout + r2.stderr).toBe(0);
    // Granting it again (the person's act) records the new folder, and it opens again.
    expect((await cli(home, ['grant', 'grant_swap', '--dir', `${inner}::/w/inner`])).code).toBe(0);
    const r3 = await run('probe', String(NOENT));
    expect(r3.stdout).toMatch(/preopen \d+ \/w\/inner/);
    expect(r3.stderr).toBe('');
  });
});

describe('grants made before identities were recorded (migration 0006)', () => {
  let home: string;
  let root: string;
  afterEach(() => {
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('are pinned on first use, unless their path passes through a link inside a writable grant', async () => {
    home = tempDir('terrarium-home-');
    root = fs.realpathSync(tempDir('terrarium-legacy-'));
    const w = path.join(root, 'w');
    const plain = path.join(root, 'plain');
    fs.mkdirSync(path.join(root, 'outside'), { recursive: true });
    fs.mkdirSync(w);
    fs.mkdirSync(plain);
    fs.symlinkSync('../outside', path.join(w, 'inner'));
    const lib = Library.open(home);
    try {
      const { app } = await lib.install({ kind: 'file', path: fixture('grant_swap.wasm') });
      // As a version-5 Terrarium stored them: host paths only.
      const insert = lib.db.prepare(`INSERT INTO grants (app_id, kind, host, guest, access, created_at) VALUES (?, 'folder', ?, ?, ?, 0)`);
      insert.run(app.id, w, '/w', 'read-write');
      insert.run(app.id, path.join(w, 'inner'), '/w/inner', 'read');
      insert.run(app.id, plain, '/plain', 'read');
      const gs = grantStatus(lib, app.id);
      expect(gs.map((g) => (g.kind === 'folder' ? [g.guest, g.pin?.resolved ?? null, g.stale ?? null] : null))).toEqual([
        ['/w', w, null],
        ['/w/inner', null, `granted before Terrarium recorded folder identities, and its path passes through the symbolic link ${path.join(w, 'inner')} inside the writable folder ${w}`],
        ['/plain', plain, null],
      ]);
      // The identities were recorded once, in the database.
      const rows = lib.db.prepare(`SELECT guest, resolved, dev FROM grants ORDER BY id`).all() as { guest: string; resolved: string | null; dev: string | null }[];
      expect(rows.map((r) => [r.guest, r.resolved, r.dev !== null])).toEqual([['/w', w, true], ['/w/inner', null, false], ['/plain', plain, true]]);
      const policy = policyFor(lib.grants(app.id), {}, statusOptions(lib));
      expect(policy.preopens.map((p) => p.guestPath)).toEqual(['/w', '/plain']);
      expect(policy.stale.map((s) => s.guest)).toEqual(['/w/inner']);
    } finally {
      lib.close();
    }
  });
});
