/**
 * The contract's request schemas (preload/requests.ts) as main/api applies them: for every request
 * a good argument is accepted (and copied with only the contract's keys), and a bad one of each
 * kind is refused as `bad-request` with one clear message naming the field by its path.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { checkArgs } from '../../main/api/validate.ts';
import type { AppDetails, CheckedArgs, GrantInput, RequestArgs, RequestName, RequestResult, SessionInfo } from '../../preload/api.ts';
import { REQUEST_NAMES } from '../../preload/api.ts';
import { REQUESTS } from '../../preload/requests.ts';
import { AUDIT_PAGE_MAX } from '../../preload/schema-parts.ts';
import { AUDIT_PAGE_MAX as LIBRARY_AUDIT_PAGE_MAX } from '../../main/library/audit.ts';

const long = (n: number): string => 'x'.repeat(n);

/** One good argument per request, and what the handler gets for it (when not the same). */
const GOOD: { [K in RequestName]: [unknown, unknown?] } = {
  'system.info': [undefined, {}],
  'apps.list': [{ search: 'cow', sort: 'last-run', extra: 1 }, { search: 'cow', sort: 'last-run' }],
  'apps.get': [{ ref: 'cowsay' }],
  'apps.audit': [{ ref: 'cowsay', before: 10, limit: 10_000, decision: 'prompted-allowed' }],
  'apps.history': [{ ref: 'cowsay', limit: 3 }],
  'apps.uninstall': [{ ref: 'cowsay' }],
  'apps.setUnknownAccess': [{ ref: 'cowsay', mode: 'deny' }],
  'install.preview': [{ source: { kind: 'bytes', fileName: 'a.wasm', bytes: new Uint8Array([0, 97, 115, 109]) }, progressId: 'p1' }],
  'install.confirm': [{ previewId: 'p', name: 'Cow' }],
  'install.cancel': [{ previewId: 'p' }],
  'install.runOnce': [{ previewId: 'p', cols: 2, rows: 1000 }],
  'grants.add': [
    { ref: 'a', grants: [{ kind: 'env', name: 'HOME', forward: true }, { kind: 'env', name: 'A', value: '' }, { kind: 'limit', name: 'timeout-seconds', value: 0.5 }] },
  ],
  'grants.revoke': [{ ref: 'a', ids: [1, 2] }],
  'grants.reset': [{ ref: 'a' }],
  'denials.remove': [{ ref: 'a', path: '/tmp/x' }],
  'runs.start': [{ ref: 'a', args: ['-n', ''], cols: 80, rows: 24, files: ['/tmp/f'], folders: [{ path: '/tmp', always: false }] }],
  'runs.input': [{ runId: 'r', data: '\x03' }],
  'runs.resize': [{ runId: 'r', cols: 100, rows: 30 }],
  'runs.stop': [{ runId: 'r' }],
  'runs.list': [null, {}],
  'runs.warm': [{ ref: 'a' }],
  'runs.recent': [undefined, {}],
  'runs.forget': [{ runId: 'r1' }],
  'prompt.answer': [{ promptId: 'p', answer: 'deny-run' }],
  'prompt.pending': [{ ignored: true }, {}],
  'integration.get': [{ ref: 'a' }],
  'integration.addShortcuts': [{ ref: 'a', menu: true, desktop: false }],
  'integration.addCommand': [{ ref: 'a', name: 'cowsay' }],
  'integration.remove': [{ ref: 'a' }],
  'fs.list': [{}],
  'dialog.chooseFolder': [{}],
  'dialog.chooseFile': [{ wasm: true }],
};

/** One bad argument of each kind, and the exact message it gets. */
const BAD: [RequestName, unknown, string][] = [
  ['system.info', 'x', 'arguments must be an object'],
  ['runs.list', [], 'arguments must be an object'],
  ['apps.get', null, 'arguments must be an object'],
  ['apps.get', {}, 'ref is missing'],
  ['apps.get', { ref: 5 }, 'ref must be a string of at most 200 characters'],
  ['apps.get', { ref: long(201) }, 'ref must be a string of at most 200 characters'],
  ['apps.list', { sort: 'size' }, 'sort must be one of name, installed, last-run'],
  ['apps.audit', { ref: 'a', before: 1.5 }, `before must be an integer in 1..${Number.MAX_SAFE_INTEGER}`],
  ['apps.audit', { ref: 'a', limit: 10_001 }, 'limit must be an integer in 1..10000'],
  ['apps.audit', { ref: 'a', decision: 'maybe' }, 'decision must be one of allowed, prompted-allowed, denied'],
  ['apps.history', { ref: 'a', limit: 0 }, `limit must be an integer in 1..${Number.MAX_SAFE_INTEGER}`],
  ['apps.setUnknownAccess', { ref: 'a', mode: 'allow' }, 'mode must be one of ask, deny'],
  ['install.preview', { source: { kind: 'disk' } }, 'source.kind must be one of file, url, package, bytes'],
  ['install.preview', { source: null }, 'source must be one of file, url, package, bytes'],
  ['install.preview', { source: { kind: 'file' } }, 'source.path is missing'],
  ['install.preview', { source: { kind: 'bytes', fileName: 'a.wasm', bytes: [0, 97] } }, 'source.bytes must be bytes'],
  ['install.confirm', { previewId: long(65) }, 'previewId must be a string of at most 64 characters'],
  ['install.runOnce', { previewId: 'p', cols: 0, rows: 24 }, 'cols must be an integer in 2..1000'],
  ['grants.add', { ref: 'a', grants: [] }, 'grants must be a list of 1 to 100 items'],
  ['grants.add', { ref: 'a', grants: [{ kind: 'network' }] }, 'grants[0].kind must be one of folder, env, args, limit'],
  ['grants.add', { ref: 'a', grants: [{ kind: 'folder', host: '/h', guest: '', access: 'read' }] }, 'grants[0].guest must be a non-empty path'],
  ['grants.add', { ref: 'a', grants: [{ kind: 'folder', host: '/h', guest: '/d\0', access: 'read' }] }, 'grants[0].guest must not contain NUL'],
  ['grants.add', { ref: 'a', grants: [{ kind: 'folder', host: '/h', guest: '/d', access: 'all' }] }, 'grants[0].access must be one of read, read-write'],
  ['grants.add', { ref: 'a', grants: [{ kind: 'env', name: 'A=B', value: 'x' }] }, 'grants[0].name must be a variable name without = or NUL'],
  ['grants.add', { ref: 'a', grants: [{ kind: 'env', name: 'A' }] }, 'grants[0] needs a value (or forward: true)'],
  ['grants.add', { ref: 'a', grants: [{ kind: 'env', name: 'A', forward: 'yes' }] }, 'grants[0].forward must be true (or absent, with a value)'],
  ['grants.add', { ref: 'a', grants: [{ kind: 'limit', name: 'memory-max-mib', value: Infinity }] }, 'grants[0].value must be a positive number'],
  ['grants.add', { ref: 'a', grants: [{ kind: 'args', args: [1] }] }, 'grants[0].args[0] must be a string of at most 4096 characters'],
  ['grants.revoke', { ref: 'a', ids: 'x' }, 'ids must be a list'],
  ['grants.revoke', { ref: 'a', ids: [0] }, `ids[0] must be an integer in 1..${Number.MAX_SAFE_INTEGER}`],
  ['runs.start', { ref: 'a', cols: 80, rows: 24, args: Array(1001).fill('a') }, 'args must be a list of at most 1000 items'],
  ['runs.start', { ref: 'a', cols: 80, rows: 24, folders: [{ path: '/tmp' }] }, 'folders[0].always is missing'],
  ['runs.start', { ref: 'a', cols: 80, rows: 24, folders: [{ path: '/tmp', always: 'yes' }] }, 'folders[0].always must be true or false'],
  ['runs.input', { runId: 'r', data: long(65537) }, 'data must be a string of at most 65536 characters'],
  ['runs.resize', { runId: 'r', cols: 80, rows: NaN }, 'rows must be an integer in 2..1000'],
  ['prompt.answer', { promptId: 'p', answer: 'yes' }, 'answer must be one of allow-once, allow-always, deny, deny-always, deny-run, stop-run'],
  ['integration.addShortcuts', { ref: 'a', menu: 1, desktop: false }, 'menu must be true or false'],
  ['dialog.chooseFile', { wasm: 'yes' }, 'wasm must be true or false'],
];

describe('request schemas', () => {
  it('cover every request, and the names routers accept are exactly theirs', () => {
    expect(Object.keys(GOOD).sort()).toEqual([...REQUEST_NAMES].sort());
    expect([...REQUEST_NAMES]).toEqual(Object.keys(REQUESTS));
  });

  it.each(Object.entries(GOOD) as [RequestName, [unknown, unknown?]][])('%s: a good argument is accepted', (name, [args, expected]) => {
    expect(checkArgs(name, args)).toEqual(expected ?? args);
  });

  it('types what a caller sends, and what a handler gets, from the schemas', () => {
    expectTypeOf<RequestArgs<'apps.get'>>().toEqualTypeOf<{ ref: string }>();
    expectTypeOf<RequestArgs<'runs.resize'>>().toEqualTypeOf<{ runId: string; cols: number; rows: number }>();
    expectTypeOf<RequestArgs<'apps.list'>>().toEqualTypeOf<{ search?: string; sort?: 'name' | 'installed' | 'last-run' } | null | undefined>();
    expectTypeOf<CheckedArgs<'apps.list'>>().toEqualTypeOf<{ search?: string; sort?: 'name' | 'installed' | 'last-run' }>();
    expectTypeOf<CheckedArgs<'grants.add'>['grants'][number]>().toEqualTypeOf<GrantInput>();
    expectTypeOf<RequestResult<'apps.get'>>().toEqualTypeOf<AppDetails>();
    expectTypeOf<RequestResult<'runs.list'>>().toEqualTypeOf<SessionInfo[]>();
    expectTypeOf<RequestResult<'dialog.chooseFile'>>().toEqualTypeOf<string | null>();
    expectTypeOf<Extract<GrantInput, { kind: 'env' }>>().toEqualTypeOf<{ kind: 'env'; name: string; value: string } | { kind: 'env'; name: string; forward: true }>();
  });

  it('asks for no larger audit page than the library gives', () => {
    expect(AUDIT_PAGE_MAX).toBe(LIBRARY_AUDIT_PAGE_MAX);
  });

  it('copies: the checked value is not the argument, and holds no key the contract lacks', () => {
    const args = { ref: 'a', cols: 80, rows: 24, smuggled: 'x' };
    const checked = checkArgs('runs.start', args);
    expect(checked).not.toBe(args);
    expect(checked).toEqual({ ref: 'a', cols: 80, rows: 24 });
    expect(checkArgs('apps.get', JSON.parse('{"ref":"a","__proto__":{"admin":true}}'))).toEqual({ ref: 'a' });
  });

  it('turns an env grant into one of its two shapes', () => {
    const { grants } = checkArgs('grants.add', { ref: 'a', grants: [{ kind: 'env', name: 'A', forward: true, value: 'ignored' }] });
    expect(grants).toEqual([{ kind: 'env', name: 'A', forward: true }]);
  });

  it.each(BAD)('%s %j → bad-request: %s', (name, args, message) => {
    let thrown: unknown;
    try {
      checkArgs(name, args);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 'bad-request', message });
  });
});
