/**
 * Adversarial review (secreview3): the WASI 0.2 host as a hostile component calls it, through
 * the canonical ABI directly (fixtures/p2_hostile.c): no adapter smoothing the calls. What held:
 * - handles: a forged descriptor handle (0, far past the table, dropped, or an input-stream's
 *   number where no descriptor has it), through the fast path (read-via-stream, lower.ts
 *   `borrow`) and through jco's glue (descriptor.read), traps; nothing is read;
 * - offsets and lengths past 2^63 (and 2^64 - 1) on read, write and the -via-stream methods:
 *   `invalid` or a failed stream, no host error, the file unchanged;
 * - a read-only grant: every flag that changes something, alone (write, mutate-directory,
 *   truncate, create, a folder opened mutable), set-times on its files and folders, link-at and
 *   rename-at across into the writable grant and back, symlink-at: `read-only` or
 *   `bad-descriptor`, and both folders unchanged to the byte and the mtime.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../helpers/temp.ts';
import { folders, runGuest, tree } from './p2-guest.ts';

afterEach(removeTempDirs);

describe('forged resource handles trap', () => {
  it.each([
    ['forge-zero', 'unknown Descriptor handle 0'],
    ['forge-far', 'unknown Descriptor handle 4097'],
    ['forge-dropped', 'unknown Descriptor handle 3'],
    ['forge-type', 'unknown Descriptor handle 6'],
    ['forge-dropped-glue', 'a dropped resource'],
    ['forge-type-glue', 'a dropped resource'],
  ])('%s', async (scenario, trap) => {
    const f = folders();
    const before = tree(f.box);
    const r = await runGuest(f, [scenario]);
    const out = r.stdout.toString();
    // Nothing after the forged call: no bytes, no "done".
    expect(out).toMatch(/forging\n$/);
    expect(out).not.toContain('AAAA');
    expect(r.stderr.toString()).toBe(`terrarium: the app crashed (wasm trap: ${trap})\n`);
    expect(r.code).toBe(134);
    expect(tree(f.box)).toEqual(before);
  });
});

it('offsets and lengths past 2^63: refused, no host error, the file unchanged', async () => {
  const f = folders();
  const before = tree(f.box);
  const r = await runGuest(f, ['big-offsets']);
  expect(r.stdout.toString()).toBe([
    'open a.txt: ok',
    'pread: invalid', 'pread: invalid', 'pread: invalid',
    'pread: [AAAA-content]',
    'pwrite: invalid', 'pwrite: invalid',
    'write-via-stream: ok', 'write: failed',
    'read-via-stream: ok', 'read: failed',
    'pread: [AAAA-content]',
    'done', '',
  ].join('\n'));
  expect(r.stderr.toString()).toBe('');
  expect(r.code).toBe(0);
  expect(tree(f.box)).toEqual(before);
});

it('a read-only grant changes nothing, whatever flags are asked for, and lends nothing to the writable one', async () => {
  const f = folders();
  const before = { box: tree(f.box), ro: tree(f.ro) };
  const r = await runGuest(f, ['ro-flags']);
  expect(r.stdout.toString()).toBe([
    'open r.txt: read-only', 'open r.txt: read-only', 'open r.txt: read-only', 'open r.txt: read-only',
    'open n.txt: read-only', 'open sub: read-only',
    'open r.txt: ok', 'pwrite: bad-descriptor', 'write-via-stream: bad-descriptor',
    'set-times: read-only', 'set-times dir: read-only',
    'open sub: ok', 'open s.txt: read-only', 'open new.txt: read-only', 'set-times sub: read-only',
    'link-at ro->box: read-only', 'link-at ro/sub->box: read-only',
    'rename-at ro->box: read-only', 'rename-at box->ro: read-only',
    'symlink-at in ro: read-only',
    'done', '',
  ].join('\n'));
  expect(r.code).toBe(0);
  expect({ box: tree(f.box), ro: tree(f.ro) }).toEqual(before);
});
