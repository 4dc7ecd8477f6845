/**
 * The module store's read for the window's cold runs (main/library/store.ts, readInBackground):
 * a module read in pieces and hashed while it is read comes back byte for byte, and a change
 * anywhere in it (the last piece included) is refused by `checked`, on real files in a temp folder.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModuleStore } from '../../main/library/store.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-store-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Stores `bytes` under their hash; returns the hash. */
function put(store: ModuleStore, bytes: Uint8Array): string {
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  store.commit(store.writeTemp(bytes), sha);
  return sha;
}

describe('readInBackground', () => {
  const store = new ModuleStore(dir);
  // Several read pieces (1 MiB each) and a partial last one.
  const bytes = crypto.randomBytes(3 * 1024 * 1024 + 12345);

  it('reads a module of several pieces byte for byte, and its check passes', async () => {
    const sha = put(store, bytes);
    const r = await store.readInBackground(sha);
    await expect(r.checked).resolves.toBeUndefined();
    expect(Buffer.compare(Buffer.from(r.bytes), bytes)).toBe(0);
  });

  it.each([0, 1024 * 1024, bytes.length - 1])('refuses a module changed at byte %i (first, a piece boundary, last)', async (at) => {
    const sha = put(store, bytes);
    const file = store.pathOf(sha);
    fs.chmodSync(file, 0o644);
    const changed = Buffer.from(bytes);
    changed[at] = changed[at]! ^ 0xff;
    fs.writeFileSync(file, changed);
    const r = await store.readInBackground(sha);
    await expect(r.checked).rejects.toThrow(/changed on disk/);
    fs.rmSync(file);
  });

  it('refuses a module cut short or grown', async () => {
    for (const content of [bytes.subarray(0, bytes.length - 1), Buffer.concat([bytes, Buffer.from([0])])]) {
      const sha = put(store, bytes);
      fs.writeFileSync(store.pathOf(sha), content);
      const r = await store.readInBackground(sha);
      await expect(r.checked).rejects.toThrow(/changed on disk/);
      fs.rmSync(store.pathOf(sha));
    }
  });
});
