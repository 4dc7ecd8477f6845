/**
 * `path_open` (main/runtime/families/path.ts, `openedType`) knows a file it has just created
 * (O_CREAT with O_EXCL succeeded) is a regular file without a stat; every other open is stat'ed,
 * so an existing FIFO opened with O_CREAT alone, or a folder, gets its own type and rights.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Errno, Filetype, Layout, Oflags, RIGHTS_ALL, RIGHTS_REGULAR_FILE, Rights } from '../../../main/runtime/abi.ts';
import { FdTable } from '../../../main/runtime/fd-table.ts';
import { createImports } from '../../../main/runtime/host.ts';
import { GuestMemory } from '../../../main/runtime/memory.ts';
import { GuestStdio } from '../../../main/runtime/stdio.ts';
import { Ring, createRing } from '../../../main/runtime/ring.ts';
import { fixture } from '../../helpers/paths.ts';

type Fn = (...a: unknown[]) => number;
const FS = Layout.fdstat;
const RW = BigInt(Rights.fd_read | Rights.fd_write);

describe.runIf(process.platform !== 'win32')('path_open: the type of what it opened', () => {
  let dir: string;
  let wasi: Record<string, Fn>;
  let mem: GuestMemory;
  let fds: FdTable;
  let pre: number;

  /** Opens `name` in the grant with `oflags` and read+write rights; [errno, filetype, rights]. */
  const open = (name: string, oflags: number, rights = RW): [number, number?, bigint?] => {
    const bytes = Buffer.from(name);
    mem.write(1000, bytes);
    const e = wasi.path_open!(pre, 0, 1000, bytes.length, oflags, rights, 0n, 0, 8);
    if (e !== 0) return [e];
    expect(wasi.fd_fdstat_get!(mem.u32At(8), 16)).toBe(0);
    return [e, mem.u8At(16 + FS.fs_filetype), mem.u64At(16 + FS.fs_rights_base)];
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-path-open-'));
    const module = new WebAssembly.Module(fs.readFileSync(fixture('path_ops')));
    fds = new FdTable();
    mem = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
    const ctx = { mem, fds, args: [], env: [], stdio: new GuestStdio(new Ring(createRing(1024)), new Ring(createRing(1024))) };
    wasi = createImports(ctx, module, () => {}).wasi_snapshot_preview1 as Record<string, Fn>;
    pre = fds.add({
      kind: 'dir', filetype: Filetype.directory, hostFd: fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY),
      rightsBase: RIGHTS_ALL, rightsInheriting: RIGHTS_ALL, fdflags: 0, readOnly: false, hostPath: dir, origin: 0, ask: false, preopen: '/data',
    });
  });
  afterEach(() => {
    fds.closeAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a file it created exclusively is a regular file with a regular file\'s rights', () => {
    expect(open('new', Oflags.creat | Oflags.excl)).toEqual([0, Filetype.regular_file, RW & BigInt(RIGHTS_REGULAR_FILE)]);
    expect(fs.statSync(path.join(dir, 'new')).isFile()).toBe(true);
    expect(open('new', Oflags.creat | Oflags.excl)[0]).not.toBe(0); // exists now: no open at all
  });

  it('an existing FIFO opened with O_CREAT alone, and a folder, get their own type', () => {
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    expect(open('fifo', Oflags.creat).slice(0, 2)).toEqual([0, Filetype.unknown]);
    fs.mkdirSync(path.join(dir, 'sub'));
    expect(open('sub', 0, BigInt(Rights.fd_readdir)).slice(0, 2)).toEqual([0, Filetype.directory]);
  });

  it('rights beyond the 30 preview1 defines are notcapable, also as a negative i64', () => {
    fs.writeFileSync(path.join(dir, 'f'), 'x');
    for (const rights of [1n << 30n, 1n << 40n, -1n, -(1n << 63n)]) expect(open('f', 0, rights)[0], String(rights)).toBe(Errno.notcapable);
    expect(open('f', 0, BigInt(RIGHTS_ALL))[0]).toBe(0);
  });
});
