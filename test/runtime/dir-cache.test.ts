/**
 * The native resolver's directory cache (main/runtime/path-resolve.ts, CachedDir) never answers
 * for a directory that is no longer the one at that name: after a folder on the path is renamed
 * away, replaced by another folder, by a symlink inside the sandbox or by one that leaves it, each
 * walk gives what a walk without any cache gives. Linux and macOS (native host calls) only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const native = process.platform === 'linux' || process.platform === 'darwin';

describe.runIf(native)('the directory cache of the native resolver', () => {
  let pr: typeof import('../../main/runtime/path-resolve.ts');
  let hc: typeof import('../../main/runtime/host-calls/index.ts');
  let root: string;
  let start: { fd: number; path: string };
  const saved = process.env.TERRARIUM_HOST_CALLS;

  beforeAll(async () => {
    process.env.TERRARIUM_HOST_CALLS = 'native';
    vi.resetModules();
    pr = await import('../../main/runtime/path-resolve.ts');
    hc = await import('../../main/runtime/host-calls/index.ts');
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-dircache-'));
    start = { fd: fs.openSync(root, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY), path: root };
  });

  afterAll(() => {
    pr.clearDirCache();
    fs.closeSync(start.fd);
    fs.rmSync(root, { recursive: true, force: true });
    if (saved === undefined) delete process.env.TERRARIUM_HOST_CALLS;
    else process.env.TERRARIUM_HOST_CALLS = saved;
  });

  /** What `d/sub/f` reads as through the resolver: the file's size, or the error's code. */
  const sizeOf = (p: string): number | string => {
    try {
      return Number(pr.resolve(start, p, { follow: false }, (dir, name) => hc.hostCalls.stat(dir, name, false).size));
    } catch (err) {
      return (err as { code?: string }).code ?? (err as Error).constructor.name;
    }
  };
  const put = (p: string, bytes: number): void => {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), 'x'.repeat(bytes));
  };

  it('is the native resolver', () => {
    expect(pr.resolverMode()).toBe('native');
  });

  it('follows a folder renamed away, replaced, and replaced by symlinks, as a fresh walk would', () => {
    put('d/sub/f', 1);
    expect(sizeOf('d/sub/f')).toBe(1);
    expect(sizeOf('d/sub/f')).toBe(1); // now through the cached d and d/sub

    fs.renameSync(path.join(root, 'd'), path.join(root, 'e'));
    expect(sizeOf('d/sub/f')).toBe('ENOENT');
    expect(sizeOf('e/sub/f')).toBe(1);

    put('d/sub/f', 2); // a new d, with a new sub
    expect(sizeOf('d/sub/f')).toBe(2);

    fs.rmSync(path.join(root, 'd', 'sub'), { recursive: true });
    put('d/sub/f', 3); // same d, a new sub
    expect(sizeOf('d/sub/f')).toBe(3);

    fs.rmSync(path.join(root, 'd'), { recursive: true });
    fs.symlinkSync('e', path.join(root, 'd')); // d is now a symlink inside the sandbox
    expect(sizeOf('d/sub/f')).toBe(1);

    fs.unlinkSync(path.join(root, 'd'));
    fs.symlinkSync(os.tmpdir(), path.join(root, 'd')); // ...and now one that leaves it
    expect(sizeOf('d/sub/f')).toBe('WasiError');
  });

  it('a folder swapped with another between walks is never answered for', () => {
    put('a/f', 10);
    put('b/f', 20);
    expect(sizeOf('a/f')).toBe(10);
    expect(sizeOf('b/f')).toBe(20);
    fs.renameSync(path.join(root, 'a'), path.join(root, 't'));
    fs.renameSync(path.join(root, 'b'), path.join(root, 'a'));
    fs.renameSync(path.join(root, 't'), path.join(root, 'b'));
    expect(sizeOf('a/f')).toBe(20);
    expect(sizeOf('b/f')).toBe(10);
  });

  it('keeps a bounded number of directories open, and none after clearDirCache', () => {
    const openFds = (): number => fs.readdirSync(process.platform === 'linux' ? '/proc/self/fd' : '/dev/fd').length;
    const before = openFds();
    for (let i = 0; i < 200; i++) put(`many/m${i}/f`, 1);
    for (let i = 0; i < 200; i++) expect(sizeOf(`many/m${i}/f`)).toBe(1);
    expect(openFds() - before).toBeLessThanOrEqual(64);
    pr.clearDirCache();
    expect(openFds()).toBeLessThanOrEqual(before);
  });
});
