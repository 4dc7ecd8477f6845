/**
 * Every request of the contract with malformed arguments — wrong types, missing fields, oversized
 * strings, negative/NaN/infinite numbers, fields smuggled in under `__proto__` — is refused with
 * `bad-request`, and nothing changes: the catalog, the app's grants and history, the runs, and no
 * event is emitted.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AppDetails, RequestName, Result } from '../../preload/api.ts';
import { REQUEST_NAMES } from '../../preload/api.ts';
import { type Harness, fixture, fresh, install, ok, open, tmp, useCleanup } from '../helpers/api-harness.ts';

useCleanup();

describe('malformed arguments → bad-request, nothing changed', () => {
  let h: Harness;
  let appId: string;
  let folder: string;
  beforeAll(async () => {
    h = fresh();
    open.splice(open.indexOf(h.api), 1); // kept for the whole block
    appId = await install(h.api, fixture('stdio'));
    folder = tmp('terrarium-api-folder-');
    await ok(h.api, 'grants.add', { ref: appId, grants: [{ kind: 'env', name: 'KEEP', value: '1' }] });
  });
  afterAll(() => h.api.close());

  const long = (n: number): string => 'x'.repeat(n);
  const ref = (): string => appId;
  const good = () => ({ kind: 'folder', host: folder, guest: '/data', access: 'read' });
  // args are thunks so they can use appId/folder from beforeAll
  const cases: [RequestName, string, () => unknown][] = [
    ['system.info', 'a string', () => 'x'], ['system.info', 'an array', () => []], ['system.info', 'a number', () => 5],
    ['apps.list', 'search not a string', () => ({ search: 5 })], ['apps.list', 'search too long', () => ({ search: long(201) })],
    ['apps.list', 'unknown sort', () => ({ sort: 'size' })], ['apps.list', 'an array', () => []],
    ['apps.get', 'no ref', () => ({})], ['apps.get', 'ref a number', () => ({ ref: 5 })], ['apps.get', 'ref too long', () => ({ ref: long(201) })],
    ['apps.get', 'null', () => null], ['apps.get', 'undefined', () => undefined], ['apps.get', 'ref via __proto__', () => JSON.parse(`{"__proto__":{"ref":"${appId}"}}`)],
    ['apps.audit', 'no ref', () => ({})], ['apps.audit', 'before not whole', () => ({ ref: ref(), before: 1.5 })],
    ['apps.audit', 'before zero', () => ({ ref: ref(), before: 0 })], ['apps.audit', 'limit too large', () => ({ ref: ref(), limit: 10_001 })],
    ['apps.audit', 'limit a string', () => ({ ref: ref(), limit: '5' })], ['apps.audit', 'decision unknown', () => ({ ref: ref(), decision: 'maybe' })],
    ['apps.history', 'no ref', () => ({})], ['apps.history', 'limit zero', () => ({ ref: ref(), limit: 0 })],
    ['apps.uninstall', 'no ref', () => ({})], ['apps.uninstall', 'ref an array', () => ({ ref: [ref()] })], ['apps.uninstall', 'ref null', () => ({ ref: null })],
    ['apps.uninstall', 'ref via __proto__', () => JSON.parse(`{"__proto__":{"ref":"${appId}"}}`)],
    ['install.preview', 'no source', () => ({})], ['install.preview', 'file without path', () => ({ source: { kind: 'file' } })],
    ['install.preview', 'path a number', () => ({ source: { kind: 'file', path: 5 } })], ['install.preview', 'unknown kind', () => ({ source: { kind: 'disk', path: '/x' } })],
    ['install.preview', 'path too long', () => ({ source: { kind: 'file', path: long(4097) } })],
    ['install.preview', 'bytes as a plain array', () => ({ source: { kind: 'bytes', fileName: 'a.wasm', bytes: [0, 97, 115, 109] } })],
    ['install.preview', 'fileName too long', () => ({ source: { kind: 'bytes', fileName: long(256), bytes: new Uint8Array(8) } })],
    ['install.preview', 'sha256 too long', () => ({ source: { kind: 'file', path: fixture('stdio') }, sha256: long(65) })],
    ['install.preview', 'progressId a number', () => ({ source: { kind: 'file', path: fixture('stdio') }, progressId: 7 })],
    ['install.preview', 'url a number', () => ({ source: { kind: 'url', url: 5 } })], ['install.preview', 'package without dir', () => ({ source: { kind: 'package' } })],
    ['install.preview', 'source via __proto__', () => JSON.parse(`{"__proto__":{"source":{"kind":"file","path":${JSON.stringify(fixture('spin'))}}}}`)],
    ['install.confirm', 'no previewId', () => ({})], ['install.confirm', 'previewId a number', () => ({ previewId: 5 })],
    ['install.confirm', 'previewId too long', () => ({ previewId: long(65) })], ['install.confirm', 'name a number', () => ({ previewId: 'p', name: 5 })],
    ['install.confirm', 'name too long', () => ({ previewId: 'p', name: long(101) })],
    ['install.cancel', 'no previewId', () => ({})], ['install.cancel', 'previewId an object', () => ({ previewId: {} })],
    ['grants.add', 'no grants', () => ({ ref: ref() })], ['grants.add', 'empty grants', () => ({ ref: ref(), grants: [] })],
    ['grants.add', 'grants a string', () => ({ ref: ref(), grants: 'x' })], ['grants.add', '101 grants', () => ({ ref: ref(), grants: Array.from({ length: 101 }, good) })],
    ['grants.add', 'no ref', () => ({ grants: [good()] })], ['grants.add', 'unknown access', () => ({ ref: ref(), grants: [{ ...good(), access: 'all' }] })],
    ['grants.add', 'host a number', () => ({ ref: ref(), grants: [{ ...good(), host: 5 }] })], ['grants.add', 'guest missing', () => ({ ref: ref(), grants: [{ kind: 'folder', host: folder, access: 'read' }] })],
    ['grants.add', 'guest with NUL', () => ({ ref: ref(), grants: [{ ...good(), guest: '/da\0ta' }] })],
    ['grants.add', 'env name with =', () => ({ ref: ref(), grants: [{ kind: 'env', name: 'A=B', value: 'x' }] })],
    ['grants.add', 'env name with NUL', () => ({ ref: ref(), grants: [{ kind: 'env', name: 'A\0', value: 'x' }] })],
    ['grants.add', 'env name too long', () => ({ ref: ref(), grants: [{ kind: 'env', name: long(257), value: 'x' }] })],
    ['grants.add', 'env without value', () => ({ ref: ref(), grants: [{ kind: 'env', name: 'A' }] })],
    ['grants.add', 'env forward not true', () => ({ ref: ref(), grants: [{ kind: 'env', name: 'A', forward: 'yes' }] })],
    ['grants.add', 'limit negative', () => ({ ref: ref(), grants: [{ kind: 'limit', name: 'memory-max-mib', value: -1 }] })],
    ['grants.add', 'limit zero', () => ({ ref: ref(), grants: [{ kind: 'limit', name: 'timeout-seconds', value: 0 }] })],
    ['grants.add', 'limit NaN', () => ({ ref: ref(), grants: [{ kind: 'limit', name: 'memory-max-mib', value: NaN }] })],
    ['grants.add', 'limit Infinity', () => ({ ref: ref(), grants: [{ kind: 'limit', name: 'timeout-seconds', value: Infinity }] })],
    ['grants.add', 'limit a string', () => ({ ref: ref(), grants: [{ kind: 'limit', name: 'timeout-seconds', value: '5' }] })],
    ['grants.add', 'unknown limit', () => ({ ref: ref(), grants: [{ kind: 'limit', name: 'cpu', value: 5 }] })],
    ['grants.add', 'args not strings', () => ({ ref: ref(), grants: [{ kind: 'args', args: [1] }] })],
    ['grants.add', 'args a string', () => ({ ref: ref(), grants: [{ kind: 'args', args: 'x' }] })],
    ['grants.add', 'unknown kind', () => ({ ref: ref(), grants: [{ kind: 'network' }] })], ['grants.add', 'a null grant', () => ({ ref: ref(), grants: [null] })],
    ['grants.add', 'one good then one bad (all or none)', () => ({ ref: ref(), grants: [good(), { kind: 'env', name: 'A=B', value: 'x' }] })],
    ['grants.add', 'access via __proto__', () => JSON.parse(`{"ref":"${appId}","grants":[{"kind":"folder","host":${JSON.stringify(folder)},"guest":"/d","__proto__":{"access":"read"}}]}`)],
    ['grants.revoke', 'ids a string', () => ({ ref: ref(), ids: 'x' })], ['grants.revoke', 'id zero', () => ({ ref: ref(), ids: [0] })],
    ['grants.revoke', 'id negative', () => ({ ref: ref(), ids: [-1] })], ['grants.revoke', 'id fractional', () => ({ ref: ref(), ids: [1.5] })],
    ['grants.revoke', 'id NaN', () => ({ ref: ref(), ids: [NaN] })], ['grants.revoke', 'id a string', () => ({ ref: ref(), ids: ['1'] })],
    ['grants.revoke', 'no ref', () => ({ ids: [1] })],
    ['grants.reset', 'no ref', () => ({})], ['grants.reset', 'ref a number', () => ({ ref: 1 })],
    ['runs.start', 'no cols/rows', () => ({ ref: ref() })], ['runs.start', 'cols 1', () => ({ ref: ref(), cols: 1, rows: 24 })],
    ['runs.start', 'rows 1001', () => ({ ref: ref(), cols: 80, rows: 1001 })], ['runs.start', 'cols NaN', () => ({ ref: ref(), cols: NaN, rows: 24 })],
    ['runs.start', 'cols negative', () => ({ ref: ref(), cols: -80, rows: 24 })], ['runs.start', 'cols fractional', () => ({ ref: ref(), cols: 80.5, rows: 24 })],
    ['runs.start', 'cols a string', () => ({ ref: ref(), cols: '80', rows: 24 })], ['runs.start', 'args a string', () => ({ ref: ref(), args: 'echo', cols: 80, rows: 24 })],
    ['runs.start', 'args not strings', () => ({ ref: ref(), args: [1], cols: 80, rows: 24 })],
    ['runs.start', '1001 args', () => ({ ref: ref(), args: Array(1001).fill('a'), cols: 80, rows: 24 })],
    ['runs.start', 'an arg too long', () => ({ ref: ref(), args: [long(4097)], cols: 80, rows: 24 })],
    ['runs.input', 'no data', () => ({ runId: 'r' })], ['runs.input', 'data a number', () => ({ runId: 'r', data: 5 })],
    ['runs.input', 'data too long', () => ({ runId: 'r', data: long(65537) })], ['runs.input', 'runId too long', () => ({ runId: long(65), data: 'x' })],
    ['runs.resize', 'cols 0', () => ({ runId: 'r', cols: 0, rows: 10 })], ['runs.resize', 'rows Infinity', () => ({ runId: 'r', cols: 80, rows: Infinity })],
    ['runs.resize', 'no runId', () => ({ cols: 80, rows: 24 })],
    ['runs.stop', 'no runId', () => ({})], ['runs.stop', 'runId a number', () => ({ runId: 1 })],
    ['runs.list', 'a string', () => 'x'], ['runs.list', 'an array', () => []],
    ['runs.warm', 'no ref', () => ({})], ['runs.warm', 'ref an object', () => ({ ref: { id: 'x' } })],
    ['runs.recent', 'a string', () => 'x'], ['runs.forget', 'no runId', () => ({})], ['runs.forget', 'runId too long', () => ({ runId: long(65) })],
    ['fs.list', 'path a number', () => ({ path: 5 })], ['fs.list', 'path too long', () => ({ path: long(4097) })], ['fs.list', 'a string', () => '/'],
    ['dialog.chooseFolder', 'a string', () => 'x'], ['dialog.chooseFolder', 'a number', () => 5],
    ['dialog.chooseFile', 'a string', () => 'x'], ['dialog.chooseFile', 'wasm not a boolean', () => ({ wasm: 'yes' })],
    ['prompt.answer', 'no promptId', () => ({ answer: 'deny' })], ['prompt.answer', 'an unknown answer', () => ({ promptId: 'p', answer: 'allow-everything' })],
    ['prompt.pending', 'a string', () => 'x'],
    ['install.runOnce', 'no previewId', () => ({ cols: 80, rows: 24 })], ['install.runOnce', 'cols 0', () => ({ previewId: 'p', cols: 0, rows: 24 })],
    ['integration.get', 'no ref', () => ({})], ['integration.addShortcuts', 'menu not a boolean', () => ({ ref: 'x', menu: 'yes', desktop: false })],
    ['integration.addCommand', 'no name', () => ({ ref: 'x' })], ['integration.remove', 'ref a number', () => ({ ref: 1 })],
    ['denials.remove', 'no path', () => ({ ref: 'x' })], ['denials.remove', 'path a number', () => ({ ref: 'x', path: 1 })],
    ['apps.setUnknownAccess', 'an unknown mode', () => ({ ref: 'x', mode: 'allow' })], ['apps.setUnknownAccess', 'no ref', () => ({ mode: 'deny' })],
  ];

  test('every request has malformed cases here', () => {
    expect(new Set(cases.map((c) => c[0]))).toEqual(new Set(REQUEST_NAMES));
  });

  test.each(cases)('%s: %s', async (name, _what, args) => {
    const snapshot = async () => JSON.stringify([await ok(h.api, 'apps.list', {}), await ok<AppDetails>(h.api, 'apps.get', { ref: appId }), await ok(h.api, 'runs.list', {})]);
    const before = await snapshot();
    const eventsBefore = h.events.length;
    const r = (await h.api.handle(name, args())) as Result<unknown>;
    expect(r.ok ? 'ok' : r.code, r.ok ? '' : r.message).toBe('bad-request');
    expect(await snapshot()).toBe(before);
    expect(h.events.length).toBe(eventsBefore);
    expect(({} as Record<string, unknown>).ref).toBeUndefined(); // no prototype pollution
  });
});

