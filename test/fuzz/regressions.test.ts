/**
 * Each finding of the fuzzer and of the differential run, reduced to a hand-written script that
 * failed before its fix (see the README's "Fuzzing" section).
 */
import { afterEach, expect, test } from 'vitest';
import { Errno } from '../../main/runtime/abi.ts';
import { OUT_SIZE } from './generate.ts';
import { runOnTerrarium } from './run-terrarium.ts';
import { type Arg, Kind, ScriptWriter } from './script-writer.ts';
import { type FuzzTree, makeFuzzTree } from './tree.ts';

let tree: FuzzTree | undefined;
afterEach(() => {
  tree?.remove();
  tree = undefined;
});

const raw = (v: number | bigint): Arg => [Kind.raw, BigInt(v)];
const out = (room: number): Arg => [Kind.fromEnd, BigInt(room)];

/** Runs the calls `build` adds; returns the errnos and the fuzz findings. */
async function run(build: (w: ScriptWriter) => ScriptWriter, calls: number): Promise<{ errnos: number[]; findings: string[] }> {
  tree = makeFuzzTree();
  const w = build(new ScriptWriter(tree.canary)).end();
  const r = await runOnTerrarium({ bytes: w.bytesOut(), calls, exitCode: 0 }, tree, 20_000);
  return { errnos: r.results?.calls.map((c) => c.errno) ?? [], findings: r.findings };
}

test('fd_readdir takes its cookie as an unsigned 64-bit value: one past 2^63 lists nothing, no internal error', async () => {
  const r = await run((w) => {
    for (const cookie of [2n ** 63n, 2n ** 64n - 1n, 2n ** 63n + 1n]) {
      w.call('fd_readdir', [raw(3), out(OUT_SIZE), raw(1024), raw(cookie), out(8)]);
    }
    return w;
  }, 3);
  expect(r.findings).toEqual([]);
  expect(r.errnos).toEqual([Errno.success, Errno.success, Errno.success]);
});

test('path_readlink of "link/" reads what the link points to, as POSIX and Wasmtime do: never the link itself', async () => {
  const names = ['link_dir/', 'link_in//', 'd/', 'link_in'];
  const r = await run((w) => {
    names.forEach((name, i) => {
      w.write(i * 16, new TextEncoder().encode(name));
      w.call('path_readlink', [raw(3), [Kind.scratch, BigInt(i * 16)], raw(name.length), out(OUT_SIZE), raw(256), out(8)]);
    });
    return w;
  }, names.length);
  expect(r.findings).toEqual([]);
  expect(r.errnos).toEqual([Errno.inval, Errno.notdir, Errno.inval, Errno.success]);
});

test('fd_pread with no iovecs still refuses an offset out of range, as fd_pwrite and fd_seek do', async () => {
  const r = await run((w) => {
    w.write(0, new TextEncoder().encode('f'));
    w.call('path_open', [raw(3), raw(0), [Kind.scratch, 0n], raw(1), raw(0), raw(0xfffffff), raw(0xfffffff), raw(0), out(8)]);
    for (const fn of ['fd_pread', 'fd_pwrite']) w.call(fn, [raw(5), [Kind.scratch, 64n], raw(0), raw(2n ** 64n - 4096n), out(8)]);
    return w;
  }, 3);
  expect(r.findings).toEqual([]);
  expect(r.errnos).toEqual([Errno.success, Errno.inval, Errno.inval]);
});
