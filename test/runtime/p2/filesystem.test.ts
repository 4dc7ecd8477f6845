/**
 * The WASI 0.2 host's descriptors called directly (main/runtime/p2/filesystem.ts), on a real
 * folder through the preview1 descriptor table: `metadata-hash-at` right after `stat-at` answers
 * from that stat (the preview1 adapter asks both per stat), but never across another call: a file
 * replaced in between gives the new file's hash.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Filetype, RIGHTS_ALL, RIGHTS_DIRECTORY } from '../../../main/runtime/abi.ts';
import { FdTable } from '../../../main/runtime/fd-table.ts';
import { GuestMemory } from '../../../main/runtime/memory.ts';
import { createP2Imports } from '../../../main/runtime/p2/host.ts';
import type { WasiContext } from '../../../main/runtime/context.ts';
import { removeTempDirs, tempDir } from '../../helpers/temp.ts';

afterAll(removeTempDirs);

interface Descriptor {
  statAt(pf: { symlinkFollow: boolean }, p: string): { size: bigint };
  metadataHashAt(pf: { symlinkFollow: boolean }, p: string): { lower: bigint; upper: bigint };
  renameAt(from: string, to: Descriptor, p: string): void;
  getType(): string;
}

/** The 0.2 host over one read-write folder (fd 3, preopened as /d). */
function host(dir: string): Descriptor {
  const fds = new FdTable();
  for (let i = 0; i < 3; i++) fds.add({ kind: 'stdio', filetype: Filetype.character_device, stream: i as 0 | 1 | 2, fdflags: 0, rightsBase: 0, rightsInheriting: 0 });
  fds.add({
    kind: 'dir', hostFd: fs.openSync(dir, 'r'), filetype: Filetype.directory, fdflags: 0, readOnly: false,
    rightsBase: RIGHTS_DIRECTORY, rightsInheriting: RIGHTS_ALL, hostPath: dir, preopen: '/d', ask: false, origin: 0,
  });
  const ctx = { mem: new GuestMemory(new WebAssembly.Memory({ initial: 1 })), fds, args: [], env: [] } as unknown as WasiContext;
  const imports = createP2Imports(ctx, () => {});
  const d = (imports['wasi:filesystem/preopens']!.getDirectories as () => [Descriptor, string][])()[0]?.[0];
  if (d === undefined) throw new Error('no preopen');
  return d;
}

const ino = (file: string): bigint => fs.statSync(file, { bigint: true }).ino;

describe('descriptors of the WASI 0.2 host', () => {
  it('metadata-hash-at after stat-at is that file\'s, and the next file\'s once another call came between', () => {
    const dir = tempDir('p2-fs');
    fs.writeFileSync(path.join(dir, 'a'), 'aaa');
    fs.writeFileSync(path.join(dir, 'b'), 'bbbbb');
    const d = host(dir);
    const follow = { symlinkFollow: false };
    expect(d.statAt(follow, 'a').size).toBe(3n);
    expect(d.metadataHashAt(follow, 'a').lower).toBe(ino(path.join(dir, 'a')));
    // stat-at, then b replaces a (a preview1 call in between), then metadata-hash-at: b's inode.
    const bIno = ino(path.join(dir, 'b'));
    expect(d.statAt(follow, 'a').size).toBe(3n);
    d.renameAt('b', d, 'a');
    expect(d.metadataHashAt(follow, 'a').lower).toBe(bIno);
    // Another path is never answered from the last stat.
    fs.writeFileSync(path.join(dir, 'c'), '');
    expect(d.statAt(follow, 'a').size).toBe(5n);
    expect(d.metadataHashAt(follow, 'c').lower).toBe(ino(path.join(dir, 'c')));
    expect(d.getType()).toBe('directory');
  });

  it('paths reach preview1 as their UTF-8 (a lone surrogate as U+FFFD), a second path beside the first, and a long one is name-too-long', () => {
    const dir = tempDir('p2-fs');
    fs.writeFileSync(path.join(dir, 'a'), 'aaa');
    fs.writeFileSync(path.join(dir, 'é—文件'), 'x');
    fs.writeFileSync(path.join(dir, 'x\ufffd'), 'xx');
    const d = host(dir);
    const follow = { symlinkFollow: false };
    expect(d.statAt(follow, 'é—文件').size).toBe(1n);
    expect(d.statAt(follow, 'x\ud800').size).toBe(2n);
    // A shorter path after a longer one: only its own bytes count.
    expect(d.statAt(follow, 'a').size).toBe(3n);
    d.renameAt('é—文件', d, 'b');
    expect(fs.readFileSync(path.join(dir, 'b'), 'utf8')).toBe('x');
    const code = (f: () => unknown): unknown => {
      try {
        f();
      } catch (err) {
        return err;
      }
      return 'no error';
    };
    // 3 bytes a char: measured, fits the scratch (preview1 refuses it); then one past the scratch.
    expect(code(() => d.statAt(follow, '文'.repeat(20000)))).toBe('name-too-long');
    expect(code(() => d.statAt(follow, 'é'.repeat(40000)))).toBe('name-too-long');
    expect(d.statAt(follow, 'a').size).toBe(3n);
  });
});
