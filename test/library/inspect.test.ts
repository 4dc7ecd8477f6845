/**
 * Inspecting a module without running it (issue 3 point 3): capabilities grouped from the
 * preview1 imports, the producers and name custom sections, memory limits, and one coded error
 * per thing Terrarium cannot run.
 */
import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { type Capability, CAPABILITIES, inspectModule } from '../../main/library/inspect.ts';
import { CodedError } from '../../main/shared/coded-error.ts';
import {
  BAD, FLITE, buildModule, customSection, fixture, namePayload, producersPayload, section, sha256, str, vec, wasm,
} from '../helpers/library.ts';

async function inspectError(bytes: Uint8Array): Promise<CodedError> {
  try {
    await inspectModule(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(CodedError);
    return err as CodedError;
  }
  throw new Error('expected a CodedError');
}

describe('capabilities of real modules', () => {
  // fixture → the capability groups it must show (exactly), and functions each group must contain.
  const table: [string, Partial<Record<Capability, string[]>>][] = [
    ['stdio', { arguments: ['args_get', 'args_sizes_get'], 'process exit': ['proc_exit'], 'terminal i/o': ['fd_read', 'fd_write'] }],
    ['args_env', { environment: ['environ_get', 'environ_sizes_get'], arguments: ['args_get'], 'process exit': ['proc_exit'], 'terminal i/o': ['fd_write'] }],
    ['clock_random', { arguments: ['args_get'], clocks: ['clock_res_get', 'clock_time_get'], randomness: ['random_get'], 'process exit': ['proc_exit'], 'terminal i/o': ['fd_write'] }],
    ['sock', { files: ['path_open'], sockets: ['sock_accept', 'sock_recv', 'sock_send', 'sock_shutdown'], 'process exit': ['proc_exit'], 'terminal i/o': ['fd_write'] }],
    ['proc', { arguments: ['args_get'], 'process exit': ['proc_exit', 'proc_raise'], 'terminal i/o': ['fd_write'] }],
    ['poll', { files: ['path_open'], clocks: ['clock_time_get', 'poll_oneoff'], 'process exit': ['proc_exit'], 'terminal i/o': ['fd_read', 'fd_write'] }],
    ['fd_basic', { files: ['fd_allocate', 'fd_filestat_set_size', 'fd_prestat_get', 'fd_renumber', 'path_open'], clocks: ['clock_time_get'], 'process exit': ['proc_exit'], 'terminal i/o': ['fd_read', 'fd_write'] }],
    ['path_ops', { files: ['path_create_directory', 'path_rename', 'path_symlink', 'path_unlink_file'], 'process exit': ['proc_exit'], 'terminal i/o': ['fd_read', 'fd_write'] }],
  ];

  test.each(table)('%s', async (name, groups) => {
    const bytes = fs.readFileSync(fixture(name));
    const i = await inspectModule(bytes);
    expect(Object.keys(i.capabilities).sort()).toEqual(Object.keys(groups).sort());
    for (const [cap, fns] of Object.entries(groups)) expect(i.capabilities[cap as Capability]).toEqual(expect.arrayContaining(fns!));
    // Every grouped function is really imported, and sorted.
    for (const fns of Object.values(i.capabilities)) {
      for (const f of fns!) expect(i.wasiFunctions).toContain(f);
      expect(fns).toEqual([...fns!].sort());
    }
    expect(i.wasiFunctions).toEqual([...new Set(i.wasiFunctions)].sort());
    expect(i).toMatchObject({ sha256: sha256(bytes), size: bytes.length, kind: 'command', wasi: 'preview1' });
    expect(i.exports).toEqual(expect.arrayContaining([{ name: '_start', kind: 'function' }, { name: 'memory', kind: 'memory' }]));
    expect(i.producers.language).toEqual([{ name: 'C99', version: '' }]);
    expect(i.producers['processed-by']?.[0]?.name).toMatch(/clang/);
    expect(i.memory).toMatchObject({ max: null, shared: false });
    expect(i.memory!.min).toBeGreaterThan(0);
    // Stored as JSON with the app: it must round-trip.
    expect(JSON.parse(JSON.stringify(i))).toEqual(i);
  });

  test('flite.wasm (third party): C99 compiled by clang 13, 262 pages, no sockets', async () => {
    const i = await inspectModule(fs.readFileSync(FLITE));
    expect(i.producers.language).toEqual([{ name: 'C99', version: '' }]);
    expect(i.producers['processed-by']).toEqual([{ name: 'clang', version: expect.stringMatching(/^13\.0\.0/) }]);
    expect(i.memory).toEqual({ min: 262, max: null, shared: false });
    expect(i.capabilities.files).toEqual(expect.arrayContaining(['path_open']));
    expect(i.capabilities.sockets).toBeUndefined();
    expect(i.size).toBe(fs.statSync(FLITE).size);
  });
});

describe('capabilities of hand-made modules', () => {
  test('each group from exactly its functions', async () => {
    const imports = [
      'path_open', 'fd_readdir', 'fd_prestat_get', 'fd_prestat_dir_name', 'fd_filestat_set_size', 'fd_allocate', 'fd_renumber',
      'environ_get', 'environ_sizes_get', 'args_get', 'args_sizes_get', 'clock_time_get', 'clock_res_get', 'poll_oneoff',
      'random_get', 'sock_accept', 'sock_recv', 'sock_send', 'sock_shutdown', 'proc_exit', 'proc_raise', 'fd_read', 'fd_write',
      // in no group: plain descriptor housekeeping and yielding
      'fd_close', 'fd_seek', 'fd_fdstat_get', 'sched_yield',
    ];
    const i = await inspectModule(buildModule({ imports }));
    expect(i.capabilities).toEqual({
      files: ['fd_allocate', 'fd_filestat_set_size', 'fd_prestat_dir_name', 'fd_prestat_get', 'fd_readdir', 'fd_renumber', 'path_open'],
      environment: ['environ_get', 'environ_sizes_get'],
      arguments: ['args_get', 'args_sizes_get'],
      clocks: ['clock_res_get', 'clock_time_get', 'poll_oneoff'],
      randomness: ['random_get'],
      sockets: ['sock_accept', 'sock_recv', 'sock_send', 'sock_shutdown'],
      'process exit': ['proc_exit', 'proc_raise'],
      'terminal i/o': ['fd_read', 'fd_write'],
    });
    expect(i.wasiFunctions).toEqual([...imports].sort());
    expect(Object.keys(CAPABILITIES)).toEqual(['files', 'environment', 'arguments', 'clocks', 'randomness', 'sockets', 'process exit', 'terminal i/o']);
  });

  test('fd_read/fd_write alone are terminal i/o, not files; fd_readdir is files', async () => {
    const i = await inspectModule(buildModule({ imports: ['fd_write', 'fd_readdir'] }));
    expect(i.capabilities).toEqual({ files: ['fd_readdir'], 'terminal i/o': ['fd_write'] });
  });

  test('a module importing nothing can do nothing', async () => {
    const i = await inspectModule(buildModule());
    expect(i.capabilities).toEqual({});
    expect(i.wasiFunctions).toEqual([]);
    expect(i.producers).toEqual({});
    expect(i.moduleName).toBeNull();
  });

  test('the same function imported twice is listed once', async () => {
    const i = await inspectModule(buildModule({ imports: ['fd_write', 'fd_write'] }));
    expect(i.wasiFunctions).toEqual(['fd_write']);
    expect(i.capabilities['terminal i/o']).toEqual(['fd_write']);
  });

  test('memory limits: min and max in pages', async () => {
    expect((await inspectModule(buildModule({ memory: { min: 3, max: 17 } }))).memory).toEqual({ min: 3, max: 17, shared: false });
    expect((await inspectModule(buildModule({ memory: { min: 0 } }))).memory).toEqual({ min: 0, max: null, shared: false });
  });
});

describe('custom sections', () => {
  test('inspectModule reports producers and the module name from the module', async () => {
    const bytes = buildModule({
      imports: ['fd_write'],
      custom: [
        ['producers', producersPayload({ language: [['Rust', '']], 'processed-by': [['rustc', '1.80.0']] })],
        ['name', namePayload('my_tool')],
      ],
    });
    const i = await inspectModule(bytes);
    expect(i.producers).toEqual({ language: [{ name: 'Rust', version: '' }], 'processed-by': [{ name: 'rustc', version: '1.80.0' }] });
    expect(i.moduleName).toBe('my_tool');
  });

  test('a malformed producers section does not fail the inspection', async () => {
    const bad = [3, ...str('language'), 9]; // claims 3 fields and 9 values, then ends
    const i = await inspectModule(buildModule({ imports: ['fd_write'], custom: [['producers', bad]] }));
    expect(i.producers).toEqual({});
    expect(i.capabilities).toEqual({ 'terminal i/o': ['fd_write'] });
    const invalidUtf8 = [1, 2, 0xff, 0xfe, 0];
    expect((await inspectModule(buildModule({ custom: [['producers', invalidUtf8]] }))).producers).toEqual({});
  });

  test('a malformed name section does not fail the inspection', async () => {
    const i = await inspectModule(buildModule({ custom: [['name', [0, 50, 3, 0x61]]] }));
    expect(i.moduleName).toBeNull();
  });

  test('a malformed producers section does not hide a valid name section', async () => {
    const i = await inspectModule(buildModule({ custom: [['producers', [3]], ['name', namePayload('still-here')]] }));
    expect(i.producers).toEqual({});
    expect(i.moduleName).toBe('still-here');
  });
});

describe('inspection error codes', () => {
  test('empty', async () => {
    const e = await inspectError(BAD.empty);
    expect([e.code, e.message]).toEqual(['empty', 'the file is empty']);
  });

  test.each([
    ['text', BAD.text],
    ['random bytes', BAD.random],
    ['three bytes of the magic', Uint8Array.from([0, 0x61, 0x73])],
    ['a zip file', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0])],
  ])('not-wasm: %s', async (_name, bytes) => {
    const e = await inspectError(bytes);
    expect(e.code).toBe('not-wasm');
    expect(e.message).toMatch(/not a WebAssembly binary/);
  });

  test('component: named as a WASI 0.2 component, not as garbage', async () => {
    const e = await inspectError(BAD.component);
    expect(e.code).toBe('component');
    expect(e.message).toBe('this WebAssembly component exports nothing to run (a library or plug-in), not a wasi:cli/command');
    // A component with content after its preamble is still a component.
    const e2 = await inspectError(Uint8Array.from([...BAD.component, ...customSection('x', [1, 2, 3])]));
    expect(e2.code).toBe('component');
  });

  test.each([
    ['a truncated real module', BAD.truncated(), /runs past end of module/],
    ['a truncated header', Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0]), /truncated header/],
    ['an unknown binary version', Uint8Array.from([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]), /unsupported binary version/],
    ['a bad LEB128 section size', Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 0x80, 0x80]), /LEB128/],
    // Well-formed sections, but a function body with an unknown opcode: the compiler refuses it.
    ['invalid code', wasm(section(1, vec([[0x60, 0, 0]])), section(3, vec([[0]])), section(10, vec([[3, 0x00, 0xff, 0x0b]]))), /not a valid WebAssembly module/],
    // A type section that says one type but holds none.
    ['a lying section', wasm(section(1, [1])), /not a valid WebAssembly module/],
  ])('malformed: %s', async (_name, bytes, message) => {
    const e = await inspectError(bytes);
    expect(e.code).toBe('malformed');
    expect(e.message).toMatch(message);
  });

  test('not-command: no _start, a _start that is not a function, no exported memory', async () => {
    const noStart = await inspectError(BAD.noStart);
    expect([noStart.code, noStart.message]).toEqual(['not-command', expect.stringMatching(/no "_start" function/)]);
    const renamed = await inspectError(buildModule({ start: 'main' }));
    expect(renamed.code).toBe('not-command');
    expect(renamed.message).toMatch(/_start/);
    const noMemory = await inspectError(buildModule({ memory: null }));
    expect([noMemory.code, noMemory.message]).toEqual(['not-command', expect.stringMatching(/does not export its "memory"/)]);
    const unexported = await inspectError(buildModule({ memory: { min: 1, exported: false } }));
    expect(unexported.code).toBe('not-command');
    // The bare header is a valid, empty module: not a command.
    expect((await inspectError(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))).code).toBe('not-command');
  });

  test('unsupported-imports: names what it imports', async () => {
    const env = await inspectError(buildModule({ importModule: 'env', imports: ['emscripten_notify_memory_growth'] }));
    expect(env.code).toBe('unsupported-imports');
    expect(env.message).toMatch(/not a WASI preview1 command: it imports env\.emscripten_notify_memory_growth/);
    const unstable = await inspectError(buildModule({ importModule: 'wasi_unstable', imports: ['fd_write'] }));
    expect(unstable.message).toMatch(/wasi_unstable\.fd_write/);
    // A memory imported from the WASI module is not a function import either.
    const mem = await inspectError(buildModule({
      memory: null,
      rawImports: [[...str('wasi_snapshot_preview1'), ...str('memory'), 0x02, 0x00, 0x01]],
    }));
    expect(mem.code).toBe('unsupported-imports');
    expect(mem.message).toMatch(/wasi_snapshot_preview1\.memory/);
    // Many foreign imports: the first three are named, then an ellipsis.
    const many = await inspectError(buildModule({ importModule: 'env', imports: ['a', 'b', 'c', 'd', 'e'] }));
    expect(many.message).toMatch(/env\.a, env\.b, env\.c, …$/);
  });

  test('every code in the type is reachable (and nothing else is thrown for junk)', async () => {
    const codes = new Set<string>();
    const inputs = [
      BAD.empty, BAD.text, BAD.component, BAD.truncated(), BAD.noStart, buildModule({ importModule: 'env', imports: ['x'] }),
      // Deterministic junk after a valid header: must be a CodedError, never a crash of another kind.
      ...Array.from({ length: 50 }, (_, k) => Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...Array.from({ length: 4 + k }, (_, i) => (i * 31 + k * 17) % 256)])),
    ];
    for (const bytes of inputs) codes.add((await inspectError(bytes)).code);
    expect([...codes].sort()).toEqual(expect.arrayContaining(['component', 'empty', 'malformed', 'not-command', 'not-wasm', 'unsupported-imports']));
  });
});
