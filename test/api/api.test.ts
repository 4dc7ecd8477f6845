/**
 * The core behind both transports (main/api), driven through `handle(name, rawArgs)` exactly as
 * the Electron router and the web server do: unknown requests, the install review flow, grants,
 * runs with the line discipline in front of a real guest, the folder browser and dialogs.
 * Malformed arguments of every request: bad-args.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createApi } from '../../main/api/index.ts';
import type { AppDetails, CatalogEntry, SessionInfo } from '../../preload/api.ts';
import { decode, encode } from '../../preload/wire.ts';
import { floodModule } from '../helpers/flood-module.ts';
import { FIXTURES, changedCount, code, exitOf, fixture, fresh, install, ok, outputOf, tmp, until, useCleanup } from '../helpers/api-harness.ts';

useCleanup();

test('unknown request names are refused, including Object.prototype names', async () => {
  const { api } = fresh();
  for (const name of ['nope', 'apps.delete', '', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'APPS.LIST']) {
    const r = await api.handle(name, {});
    expect(r, name).toMatchObject({ ok: false, code: 'unknown-request' });
  }
  expect((await api.handle(42 as unknown as string, {})).ok).toBe(false);
});

describe('install review', () => {
  test('preview inspects without adding; confirm adds and announces', async () => {
    const h = fresh();
    const p = await ok<{ previewId: string; name: string; inspection: { exports: { name: string }[] }; updates: unknown }>(
      h.api, 'install.preview', { source: { kind: 'file', path: fixture('stdio') } });
    expect(p.name).toBe('stdio');
    expect(p.inspection.exports.map((e) => e.name)).toContain('_start');
    expect(p.updates).toBeNull();
    expect(await ok(h.api, 'apps.list', {})).toEqual([]);
    expect(changedCount(h)).toBe(0);
    const c = await ok<{ action: string; app: { id: string } }>(h.api, 'install.confirm', { previewId: p.previewId });
    expect(c.action).toBe('installed');
    const list = await ok<CatalogEntry[]>(h.api, 'apps.list', {});
    expect(list.map((a) => [a.name, a.running])).toEqual([['stdio', 0]]);
    expect(h.events).toContainEqual({ name: 'apps.changed', payload: { appId: c.app.id } });
    expect(await code(h.api, 'install.confirm', { previewId: p.previewId })).toBe('no-preview');
  });

  test('a preview names the installed app with the same module, and only another app', async () => {
    const h = fresh();
    const id = await install(h.api, fixture('stdio'), 'first');
    type P = { duplicateOf: { id: string; name: string } | null; updates: { id: string } | null };
    // The same bytes from a copy under another name: the installed app is offered instead.
    const copy = path.join(tmp('terrarium-api-dup-'), 'other.wasm');
    fs.copyFileSync(fixture('stdio'), copy);
    expect((await ok<P>(h.api, 'install.preview', { source: { kind: 'file', path: copy } })).duplicateOf).toEqual({ id, name: 'first' });
    // Another module: no duplicate.
    expect((await ok<P>(h.api, 'install.preview', { source: { kind: 'file', path: fixture('spin') } })).duplicateOf).toBeNull();
  });

  test('cancel then confirm → no-preview, and nothing is added', async () => {
    const h = fresh();
    const p = await ok<{ previewId: string }>(h.api, 'install.preview', { source: { kind: 'file', path: fixture('spin') } });
    expect(await ok(h.api, 'install.cancel', { previewId: p.previewId })).toBeNull();
    expect(await code(h.api, 'install.confirm', { previewId: p.previewId })).toBe('no-preview');
    expect(await code(h.api, 'install.confirm', { previewId: 'never-issued' })).toBe('no-preview');
    expect(await ok(h.api, 'apps.list', {})).toEqual([]);
  });

  test('garbage bytes → the library error code, library unchanged', async () => {
    const h = fresh();
    const bytes = (b: number[]) => ({ source: { kind: 'bytes', fileName: 'x.wasm', bytes: Uint8Array.from(b) } });
    expect(await code(h.api, 'install.preview', bytes([0x50, 0x4b, 3, 4, 1, 2, 3, 4, 5]))).toBe('not-wasm');
    expect(await code(h.api, 'install.preview', bytes([]))).toBe('empty');
    expect(await code(h.api, 'install.preview', { source: { kind: 'file', path: path.join(FIXTURES, 'nope.wasm') } })).toBe('unreadable');
    expect(await ok(h.api, 'apps.list', {})).toEqual([]);
    expect(await code(h.api, 'apps.get', { ref: 'nope' })).toBe('not-found');
  });
});

describe('grants', () => {
  test('add folder that is not a folder → bad-folder', async () => {
    const h = fresh();
    const id = await install(h.api, fixture('stdio'));
    const before = changedCount(h);
    for (const host of [path.join(tmp('terrarium-api-'), 'missing'), 'relative/dir', fixture('stdio')]) {
      expect(await code(h.api, 'grants.add', { ref: id, grants: [{ kind: 'folder', host, guest: '/d', access: 'read' }] }), host).toBe('bad-folder');
    }
    expect((await ok<AppDetails>(h.api, 'apps.get', { ref: id })).grants).toEqual([]);
    expect(changedCount(h)).toBe(before);
  });

  test('add / revoke / reset round trip, each announced', async () => {
    const h = fresh();
    const id = await install(h.api, fixture('stdio'));
    const other = await install(h.api, fixture('spin'));
    const dir = tmp('terrarium-api-grant-');
    h.events.length = 0;
    const added = await ok<{ id: number; kind: string }[]>(h.api, 'grants.add', { ref: id, grants: [
      { kind: 'folder', host: dir, guest: '/data', access: 'read-write' }, { kind: 'env', name: 'A', value: '1' }, { kind: 'limit', name: 'timeout-seconds', value: 30 }] });
    expect(added.map((g) => g.kind)).toEqual(['folder', 'env', 'limit']);
    const otherGrant = (await ok<{ id: number }[]>(h.api, 'grants.add', { ref: other, grants: [{ kind: 'env', name: 'B', value: '2' }] }))[0]!;
    const afterRevoke = await ok<{ kind: string }[]>(h.api, 'grants.revoke', { ref: id, ids: [added[1]!.id, otherGrant.id] });
    expect(afterRevoke.map((g) => g.kind)).toEqual(['folder', 'limit']);
    expect((await ok<AppDetails>(h.api, 'apps.get', { ref: other })).grants).toHaveLength(1); // another app's id is not revoked
    expect(await ok(h.api, 'grants.reset', { ref: id })).toEqual([]);
    expect((await ok<CatalogEntry[]>(h.api, 'apps.list', {})).find((a) => a.id === id)?.grantCount).toBe(0);
    expect(h.events.map((e) => e.payload)).toEqual([{ appId: id }, { appId: other }, { appId: id }, { appId: id }]);
  });
});

describe('runs', () => {
  test('a module importing a WASI function with the wrong type is refused at install, naming the import', async () => {
    const h = fresh();
    const r = await h.api.handle('install.preview', { source: { kind: 'file', path: fixture('host_error') } });
    expect(r).toMatchObject({ ok: false, code: 'unsupported-imports' });
    expect(r.ok ? '' : r.message).toContain('"wasi_snapshot_preview1.fd_fdstat_get" as (i32,i64->i32), but WASI defines it as (i32,i32->i32)');
    expect(await ok<CatalogEntry[]>(h.api, 'apps.list', {})).toEqual([]);
  });

  test('runs.warm compiles an installed app ahead and answers null; an unknown app is not-found; bad arguments are refused', async () => {
    const h = fresh();
    const id = await install(h.api, fixture('stdio'));
    expect(await ok(h.api, 'runs.warm', { ref: id })).toBeNull();
    expect(await code(h.api, 'runs.warm', { ref: 'no-such-app' })).toBe('not-found');
    expect(await code(h.api, 'runs.warm', {})).toBe('bad-request');
    expect(await ok(h.api, 'runs.list', {})).toEqual([]);
  });

  test('stdio echo: typed line echoed and delivered, Ctrl+D ends input, exit', async () => {
    const h = fresh();
    const id = await install(h.api, fixture('stdio'));
    const s = await ok<SessionInfo>(h.api, 'runs.start', { ref: id, args: ['echo'], cols: 80, rows: 24 });
    expect(s.appId).toBe(id);
    expect((await ok<SessionInfo[]>(h.api, 'runs.list', {})).map((r) => r.runId)).toEqual([s.runId]);
    expect((await ok<CatalogEntry[]>(h.api, 'apps.list', {}))[0]!.running).toBe(1);
    expect(await ok(h.api, 'runs.input', { runId: s.runId, data: 'hello\r' })).toBeNull();
    await until(() => outputOf(h, s.runId).includes('hello\r\nhello\n'), 'the echo and the program\'s line');
    expect(await ok(h.api, 'runs.resize', { runId: s.runId, cols: 100, rows: 30 })).toBeNull();
    await ok(h.api, 'runs.input', { runId: s.runId, data: '\x04' });
    const exit = await until(() => exitOf(h, s.runId), 'run.exit');
    expect(exit).toMatchObject({ outcome: 'exit', exitCode: 0 });
    expect(outputOf(h, s.runId)).toMatch(/^hello\r\nhello\nok \d+ checks\n$/);
    expect(h.events.filter((e) => e.name === 'run.output').every((e) => (e.payload as { data: unknown }).data instanceof Uint8Array)).toBe(true);
    expect(await ok(h.api, 'runs.list', {})).toEqual([]);
    expect(await code(h.api, 'runs.input', { runId: s.runId, data: 'x' })).toBe('not-running');
    expect(await code(h.api, 'runs.stop', { runId: 'no-such-run' })).toBe('not-running');
    const hist = (await ok<AppDetails>(h.api, 'apps.get', { ref: id })).history;
    expect(hist[0]).toMatchObject({ args: ['echo'], outcome: 'exit', exitCode: 0 });
  });

  test.each(['pattern', 'flood'])('run.output payloads (%s) are byte arrays that survive the wire codec', async (mode) => {
    const h = fresh();
    let id: string;
    if (mode === 'flood') {
      const p = await ok<{ previewId: string }>(h.api, 'install.preview', { source: { kind: 'bytes', fileName: 'flood.wasm', bytes: floodModule() } });
      id = (await ok<{ app: { id: string } }>(h.api, 'install.confirm', { previewId: p.previewId })).app.id;
    } else id = await install(h.api, fixture('stdio'));
    const s = await ok<SessionInfo>(h.api, 'runs.start', { ref: id, args: [mode], cols: 80, rows: 24 });
    if (mode === 'flood') {
      await until(() => outputOf(h, s.runId).length > 0, 'output');
      for (const end = Date.now() + 300; Date.now() < end;); // hold main so the guest fills the ring: the next read is a batch
      await new Promise((r) => setTimeout(r, 100));
      await ok(h.api, 'runs.stop', { runId: s.runId });
    }
    expect(await until(() => exitOf(h, s.runId), 'run.exit')).toMatchObject({ outcome: mode === 'flood' ? 'cancelled' : 'exit' });
    const payloads = h.events.filter((e) => e.name === 'run.output').map((e) => e.payload as { data: Uint8Array });
    expect(payloads.length).toBeGreaterThan(0);
    for (const p of payloads) {
      const back = decode(encode(p)) as { data: unknown };
      expect(back.data, JSON.stringify(back.data).slice(0, 60)).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(back.data as Uint8Array).equals(Buffer.from(p.data))).toBe(true);
    }
  });

  test('stop on a spinning app → cancelled, in history; uninstall while running → running', async () => {
    const h = fresh();
    const id = await install(h.api, fixture('spin'));
    const s = await ok<SessionInfo>(h.api, 'runs.start', { ref: id, args: ['busy'], cols: 80, rows: 24 });
    await until(() => outputOf(h, s.runId).includes('spinning busy'), 'spin output');
    expect(await code(h.api, 'apps.uninstall', { ref: id })).toBe('running');
    expect(await ok(h.api, 'apps.list', {})).toHaveLength(1);
    await ok(h.api, 'runs.stop', { runId: s.runId });
    expect(await until(() => exitOf(h, s.runId), 'run.exit')).toMatchObject({ outcome: 'cancelled', exitCode: null });
    const d = await ok<AppDetails>(h.api, 'apps.get', { ref: id });
    expect(d.running).toBe(0);
    expect(d.history[0]).toMatchObject({ args: ['busy'], outcome: 'cancelled' });
    expect(await ok(h.api, 'apps.uninstall', { ref: id })).toBeNull();
    expect(await ok(h.api, 'apps.list', {})).toEqual([]);
  });

  test('Ctrl+C in the pane cancels the run', async () => {
    const h = fresh();
    const id = await install(h.api, fixture('spin'));
    const s = await ok<SessionInfo>(h.api, 'runs.start', { ref: id, args: ['read'], cols: 80, rows: 24 });
    await until(() => outputOf(h, s.runId).includes('spinning read'), 'spin output');
    await ok(h.api, 'runs.input', { runId: s.runId, data: 'abc\x03' });
    expect(await until(() => exitOf(h, s.runId), 'run.exit')).toMatchObject({ outcome: 'cancelled' });
    expect(outputOf(h, s.runId)).toContain('abc^C\r\n');
  });

  test('the guest environment is TERM, COLUMNS and LINES from the pane, nothing from the host', async () => {
    const h = fresh();
    const id = await install(h.api, fixture('args_env'), 'args_env.wasm'); // argv[0] is the app's name
    const s = await ok<SessionInfo>(h.api, 'runs.start', { ref: id, args: ['x y'], cols: 91, rows: 37 });
    const exit = await until(() => exitOf(h, s.runId), 'run.exit');
    const out = outputOf(h, s.runId);
    expect(exit, out).toMatchObject({ outcome: 'exit', exitCode: 0 });
    const env = out.split('\n').filter((l) => l.startsWith('env=')).sort();
    expect(env).toEqual(['env=COLUMNS=91', 'env=LINES=37', 'env=TERM=xterm-256color']);
    expect(out).toContain('envc=3\n');
    expect(out).toContain('argv[1]=x y\n');
  });
});

describe('fs.list and dialogs', () => {
  test('lists folders first, then files, each by name', async () => {
    const { api } = fresh();
    const dir = tmp('terrarium-api-ls-');
    for (const d of ['zdir', 'adir']) fs.mkdirSync(path.join(dir, d));
    for (const f of ['b.txt', 'a.wasm', 'c']) fs.writeFileSync(path.join(dir, f), '');
    fs.symlinkSync(path.join(dir, 'zdir'), path.join(dir, 'link-to-dir'));
    const l = await ok<{ path: string; parent: string | null; entries: { name: string; kind: string }[] }>(api, 'fs.list', { path: dir });
    expect(l.path).toBe(dir);
    expect(l.parent).toBe(path.dirname(dir));
    expect(l.entries).toEqual([
      { name: 'adir', kind: 'dir' }, { name: 'link-to-dir', kind: 'dir' }, { name: 'zdir', kind: 'dir' },
      { name: 'a.wasm', kind: 'file' }, { name: 'b.txt', kind: 'file' }, { name: 'c', kind: 'file' },
    ]);
    expect((await ok<{ parent: string | null }>(api, 'fs.list', { path: '/' })).parent).toBeNull();
    expect(await code(api, 'fs.list', { path: 'relative/dir' })).toBe('bad-path');
    expect(await code(api, 'fs.list', { path: '.' })).toBe('bad-path');
    expect(await code(api, 'fs.list', { path: path.join(dir, 'missing') })).toBe('unreadable');
  });

  test('a shell without shortcuts says why: integration.get carries the reason, and adding fails with it', async () => {
    const reason = 'This is a development build (npm start): no shortcuts.';
    const api = createApi({ transport: 'electron', home: tmp('terrarium-api-home-'), integrationUnavailable: reason });
    try {
      const id = await install(api, fixture('e2e_cat'));
      expect(await ok(api, 'integration.get', { ref: id })).toEqual({ available: false, items: [], reason });
      expect(await api.handle('integration.addCommand', { ref: id, name: 'cat' })).toEqual({ ok: false, code: 'unsupported', message: reason });
      expect(await api.handle('integration.addShortcuts', { ref: id, menu: true, desktop: false })).toMatchObject({ ok: false, code: 'unsupported', message: reason });
      // Web mode has no reason of its own to give: the window says it is web mode.
      const web = fresh().api;
      const other = await install(web, fixture('e2e_cat'));
      expect(await ok(web, 'integration.get', { ref: other })).toEqual({ available: false, items: [] });
    } finally {
      await api.close();
    }
  });

  test('native dialogs are unsupported in the web transport', async () => {
    const { api } = fresh();
    expect(await code(api, 'dialog.chooseFolder', {})).toBe('unsupported');
    expect(await code(api, 'dialog.chooseFile', { wasm: true })).toBe('unsupported');
    expect(await ok(api, 'system.info', {})).toMatchObject({ transport: 'web', platform: process.platform });
  });
});
