/**
 * Adversarial review (secreview3): in the WASI 0.2 host (main/runtime/p2/filesystem.ts) a stream
 * made from a descriptor (`read-via-stream`, `write-via-stream`, `append-via-stream`) and a
 * directory listing (`read-directory`) hold the descriptor's preview1 fd *number*, not the
 * descriptor. Dropping the descriptor closes that fd; the next open gets the same number (the
 * table hands out the lowest free one), and the kept stream then reads, writes or lists whatever
 * was opened last. A stream must stay on the file it was made for (Wasmtime's file streams hold
 * the open file, not a number) or fail; never reach another. A program that drops a descriptor
 * before the stream it made writes
 * its bytes into another of its files; a hostile one reads a file through a stream it was never
 * given for it. (The rights are still the new fd's own, so no grant is exceeded.)
 *
 * Was a hole (secreview3 hole 2; fixed in p2fix: a Descriptor counts its live streams and
 * listings and closes its fd only when it and the last of them are dropped): the kept stream must
 * never reach b.txt / sub-b.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { removeTempDirs } from '../helpers/temp.ts';
import { folders, runGuest } from './p2-guest.ts';

afterEach(removeTempDirs);

it('a read stream kept after its descriptor was dropped never reads the file opened next', async () => {
  const f = folders();
  const r = await runGuest(f, ['stream-after-drop']);
  const out = r.stdout.toString();
  expect(out).toMatch(/^open a\.txt: ok\nread-via-stream: ok\nopen b\.txt: ok\n/);
  expect(out).not.toContain('BBBB');
});

it('a write stream kept after its descriptor was dropped never writes into the file opened next', async () => {
  const f = folders();
  const r = await runGuest(f, ['write-stream-after-drop']);
  expect(r.stdout.toString()).toMatch(/^open a\.txt: ok\nwrite-via-stream: ok\nopen b\.txt: ok\n/);
  expect(fs.readFileSync(path.join(f.box, 'b.txt'), 'utf8')).toBe('BBBB-content');
});

it('a directory listing kept after its descriptor was dropped never lists the folder opened next', async () => {
  const f = folders();
  const r = await runGuest(f, ['listing-after-drop']);
  const out = r.stdout.toString();
  expect(out).toMatch(/^open sub-a: ok\nopen sub-b: ok\n/);
  expect(out).not.toContain('only-in-b');
});
