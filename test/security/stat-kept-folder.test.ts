/**
 * Adversarial review (secreview): the wasm fast path of path_filestat_get (host-calls/
 * plain-stat-wasm.ts), which stats "folder/name" through the folder the directory cache last kept
 * (path-resolve.ts `cachedEntry`, `keepPlain`), and the cache itself. A real guest
 * (test/fixtures/stat_swap.c) stats d/x again and again through its grant while the test, between
 * two stats, moves the kept folder out of the grant, replaces it, swaps it for symlinks that leave
 * the grant (absolute and climbing), and revokes the grant. Each stat must answer what a fresh
 * walk answers: ENOENT (44) for the folder moved out, the new folder's file, EPERM (63) for a
 * symlink that leaves (WASI's answer in Terrarium and Wasmtime alike), EACCES (2) once revoked;
 * the outside file's size (the canary: 7777 bytes) never reaches the guest. Native and portable host calls.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startRun } from '../../main/runtime/run.ts';
import { fixture } from '../helpers/paths.ts';
import { realTempDir, removeTempDirs } from '../helpers/temp.ts';

afterEach(removeTempDirs);

const ENOENT = 44;
const EPERM = 63;
const EACCES = 2;
const CANARY_SIZE = 7777;

/** A run of stat_swap over `grant` (fd 3): `stat(line)` sends one line and resolves with the guest's answer line. */
function statRun(grant: string) {
  let out = '';
  let waiting: { resolve: (line: string) => void } | undefined;
  const handle = startRun({
    module: new WebAssembly.Module(fs.readFileSync(fixture('stat_swap.wasm'))),
    args: ['stat_swap'], env: [], preopens: [{ hostPath: grant, guestPath: '/g', readOnly: false }],
    onOutput: (_s, d) => {
      out += Buffer.from(d).toString();
      const nl = out.indexOf('\n');
      if (nl >= 0 && waiting) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        const w = waiting;
        waiting = undefined;
        w.resolve(line);
      }
    },
  });
  const stat = async (line: string): Promise<string> => {
    const answer = new Promise<string>((resolve) => (waiting = { resolve }));
    await handle.writeStdin(Buffer.from(`${line}\n`));
    return answer;
  };
  return { handle, stat };
}

for (const mode of ['native', 'portable'] as const) {
  describe(`with ${mode} host calls`, () => {
    it('a kept folder moved out, replaced, swapped for leaving symlinks or revoked is never stepped through', async () => {
      const saved = process.env.TERRARIUM_HOST_CALLS;
      process.env.TERRARIUM_HOST_CALLS = mode; // the worker's environment is copied when it starts
      const grant = realTempDir('secreview-grant');
      const outside = realTempDir('secreview-outside');
      const g = (p: string): string => path.join(grant, p);
      const put = (p: string, size: number): void => {
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, 'x'.repeat(size));
      };
      put(g('d/x'), 5);
      put(path.join(outside, 'd', 'x'), CANARY_SIZE);
      const { handle, stat } = statRun(grant);
      try {
        // Three stats: the walk opens d, then the cache's hit is kept, then the wasm walk steps through it.
        for (let i = 0; i < 3; i++) expect(await stat('s d/x')).toBe('d/x size=5 type=4');
        // Moved out of the grant (the kept descriptor now names a folder outside it).
        fs.renameSync(g('d'), path.join(outside, 'moved'));
        for (let i = 0; i < 2; i++) expect(await stat('s d/x')).toBe(`d/x errno=${ENOENT}`);
        // A new folder at that name.
        put(g('d/x'), 6);
        for (let i = 0; i < 3; i++) expect(await stat('s d/x')).toBe('d/x size=6 type=4');
        // Swapped for an absolute symlink to the outside's d, then a relative one that climbs out.
        fs.rmSync(g('d'), { recursive: true });
        fs.symlinkSync(path.join(outside, 'd'), g('d'));
        expect(await stat('s d/x')).toBe(`d/x errno=${EPERM}`);
        expect(await stat('f d/x')).toBe(`d/x errno=${EPERM}`);
        fs.unlinkSync(g('d'));
        fs.symlinkSync(path.join('..', path.basename(outside), 'd'), g('d'));
        expect(await stat('s d/x')).toBe(`d/x errno=${EPERM}`);
        expect(await stat('f d/x')).toBe(`d/x errno=${EPERM}`);
        // Back to a real folder, kept again; then its leaf swapped for a symlink that leaves.
        fs.unlinkSync(g('d'));
        put(g('d/x'), 7);
        for (let i = 0; i < 3; i++) expect(await stat('s d/x')).toBe('d/x size=7 type=4');
        fs.rmSync(g('d/x'));
        fs.symlinkSync(path.join(outside, 'd', 'x'), g('d/x'));
        expect(await stat('f d/x')).toBe(`d/x errno=${EPERM}`);
        expect(await stat('s d/x')).toMatch(/^d\/x size=\d+ type=7$/); // the link itself, not followed
        fs.rmSync(g('d/x'));
        put(g('d/x'), 8);
        for (let i = 0; i < 3; i++) expect(await stat('s d/x')).toBe('d/x size=8 type=4');
        // The grant revoked while its folder is kept.
        handle.revoke(0);
        expect(await stat('s d/x')).toBe(`d/x errno=${EACCES}`);
        expect(await stat('s d')).toBe(`d errno=${EACCES}`);
      } finally {
        handle.endStdin();
        expect(await handle.done).toEqual({ kind: 'exit', code: 0 });
        if (saved === undefined) delete process.env.TERRARIUM_HOST_CALLS;
        else process.env.TERRARIUM_HOST_CALLS = saved;
      }
      expect(fs.statSync(path.join(outside, 'd', 'x')).size).toBe(CANARY_SIZE);
    });
  });
}
