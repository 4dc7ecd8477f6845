/**
 * Issue 9 point 1 through the window's core: an app rearranges a granted folder inside its
 * read-write grant during one run; the next run (with ask mode's root, as the window runs apps)
 * starts without it and never sees the outside folder, and the app page's grant carries `stale`.
 * Adding a folder through a planted link is refused; an overlap is carried on the grant.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { AppDetails, GrantRecord, SessionInfo } from '../../preload/api.ts';
import { code, exitOf, fixture, fresh, install, ok, outputOf, tmp, until, useCleanup } from '../helpers/api-harness.ts';

useCleanup();

function tree(): { w: string; inner: string } {
  const root = fs.realpathSync(tmp('terrarium-api-pin-'));
  const w = path.join(root, 'box', 'w');
  const inner = path.join(w, 'inner');
  fs.mkdirSync(inner, { recursive: true });
  fs.mkdirSync(path.join(root, 'outside'));
  fs.writeFileSync(path.join(root, 'outside', 'secret.txt'), 'SECRET');
  return { w, inner };
}

describe('grants pinned to what was granted (API)', () => {
  test('a folder replaced by a symlink during a run is stale on the app page and left out of the next run', async () => {
    const h = fresh();
    const { w, inner } = tree();
    const id = await install(h.api, fixture('grant_swap'));
    await ok(h.api, 'grants.add', { ref: id, grants: [
      { kind: 'folder', host: w, guest: '/w', access: 'read-write' }, { kind: 'folder', host: inner, guest: '/w/inner', access: 'read-write' }] });
    const run = async (args: string[]): Promise<string> => {
      const s = await ok<SessionInfo>(h.api, 'runs.start', { ref: id, args, cols: 80, rows: 24 });
      expect(await until(() => exitOf(h, s.runId), 'run.exit')).toMatchObject({ outcome: 'exit', exitCode: 0 });
      return outputOf(h, s.runId);
    };
    expect(await run(['swap-link'])).toContain('done 2 checks, 0 failed');
    const out = await run(['probe', '63']);
    expect(out).not.toContain('SECRET');
    expect(out).not.toMatch(/preopen \d+ \/w\/inner/);
    expect(out).toContain('done 1 checks, 0 failed');
    const grants = (await ok<AppDetails>(h.api, 'apps.get', { ref: id })).grants;
    const stale = grants.find((g): g is Extract<GrantRecord, { kind: 'folder' }> => g.kind === 'folder' && g.guest === '/w/inner')!;
    expect(stale.stale).toBe(`${inner} was replaced by a symbolic link`);
    expect(grants.find((g) => g.kind === 'folder' && g.guest === '/w')!.stale).toBeUndefined();
    // The window cannot re-grant it through the link the app planted.
    expect(await code(h.api, 'grants.add', { ref: id, grants: [{ kind: 'folder', host: inner, guest: '/w/inner', access: 'read' }] })).toBe('planted-link');
  });

  test('the grant list carries overlaps: read-only wins', async () => {
    const h = fresh();
    const { w, inner } = tree();
    const id = await install(h.api, fixture('grant_swap'));
    const grants = await ok<GrantRecord[]>(h.api, 'grants.add', { ref: id, grants: [
      { kind: 'folder', host: w, guest: '/w', access: 'read-write' }, { kind: 'folder', host: inner, guest: '/w/inner', access: 'read' }] });
    expect(grants.map((g) => (g.kind === 'folder' ? g.overlap?.note ?? null : null))).toEqual([`read-only wins: contains read-only folder ${inner}`, null]);
  });
});
