/**
 * Components in the library (issue 15.1): recognised by their header, classified (only
 * `wasi:cli/command` is installed; HTTP handlers, libraries, reactors and 0.3 commands are refused
 * with one line saying what they are), their imports said as capabilities, the path they run on
 * recorded, and the app's kind stored by migration 0008 and shown by `info --json`.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import { migrate } from '../../main/library/db.ts';
import { InspectError, inspectModule } from '../../main/library/inspect.ts';
import { migrations } from '../../main/library/migrations/index.ts';
import type { AppRecord } from '../../main/library/types.ts';
import { cli, cliJson } from '../helpers/cli.ts';
import { FIXTURES, cleanup, expectLibraryError, fixture, freshLibrary, leb, librarySnapshot, openLibrary, sha256, str, tempDir, vec } from '../helpers/library.ts';

afterEach(cleanup);

const componentFixture = (name: string): string => path.join(FIXTURES, 'components', `${name}.component.wasm`);

/** A component binary from its top-level import and export names (enough for inspection). */
function component(imports: string[], exports: string[], extra: number[][] = []): Uint8Array {
  const sec = (id: number, content: number[]): number[] => [id, ...leb(content.length), ...content];
  const imp = imports.map((n) => [0x00, ...str(n), 0x05, 0x00]); // an instance of type 0
  const exp = exports.map((n) => [0x00, ...str(n), 0x05, 0x00, 0x00]); // instance 0, no type ascribed
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, ...extra.flat(), ...sec(10, vec(imp)), ...sec(11, vec(exp))]);
}

async function refusal(bytes: Uint8Array): Promise<InspectError> {
  const err = await inspectModule(bytes).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(InspectError);
  return err as InspectError;
}

const RUN = 'wasi:cli/run@0.2.3';

describe('inspecting components', () => {
  test('an adapter-built command is a WASI 0.2 component on the fast path, with its program’s capabilities', async () => {
    const bytes = fs.readFileSync(componentFixture('stdio'));
    const i = await inspectModule(bytes);
    const plain = await inspectModule(fs.readFileSync(fixture('stdio')));
    expect(i).toMatchObject({ sha256: sha256(bytes), size: bytes.length, kind: 'command', wasi: '0.2' });
    expect(i.component?.path).toBe('preview1-core');
    expect(i.component?.world).toBe('wasi:cli/command');
    expect(i.component?.exports).toEqual([expect.stringMatching(/^wasi:cli\/run@0\.2\.\d+$/)]);
    expect(i.component?.imports).toContain(i.component!.imports.find((n) => n.startsWith('wasi:filesystem/preopens@0.2.')));
    // What core module 0 imports is exactly what it can do on the fast path.
    expect(i.capabilities).toEqual(plain.capabilities);
    expect(i.memory).toEqual(plain.memory);
  });

  test('a component needing the 0.2 host lists its interfaces as capabilities, networks under sockets', async () => {
    const i = await inspectModule(component([
      'wasi:cli/environment@0.2.0', 'wasi:cli/exit@0.2.0', 'wasi:io/streams@0.2.0', 'wasi:cli/stdout@0.2.0',
      'wasi:filesystem/types@0.2.2', 'wasi:filesystem/preopens@0.2.2', 'wasi:random/random@0.2.1',
      'wasi:clocks/monotonic-clock@0.2.0', 'wasi:sockets/tcp@0.2.0', 'wasi:http/outgoing-handler@0.2.0',
    ], [RUN]));
    expect(i.wasi).toBe('0.2');
    expect(i.component?.path).toBe('wasi-0.2-host');
    expect(i.capabilities).toEqual({
      environment: ['wasi:cli/environment@0.2.0'],
      arguments: ['wasi:cli/environment@0.2.0'],
      'process exit': ['wasi:cli/exit@0.2.0'],
      'terminal i/o': ['wasi:cli/stdout@0.2.0'],
      files: ['wasi:filesystem/types@0.2.2', 'wasi:filesystem/preopens@0.2.2'],
      randomness: ['wasi:random/random@0.2.1'],
      clocks: ['wasi:clocks/monotonic-clock@0.2.0'],
      sockets: ['wasi:sockets/tcp@0.2.0', 'wasi:http/outgoing-handler@0.2.0'],
    });
  });

  test('what is not a command is refused with one line saying what it is', async () => {
    const http = await refusal(component(['wasi:io/streams@0.2.0'], ['wasi:http/incoming-handler@0.2.0']));
    expect([http.code, http.message]).toEqual(['component', 'this WebAssembly component is an HTTP handler (it exports wasi:http/incoming-handler), not a command-line app: Terrarium runs only wasi:cli/command components']);
    const lib = await refusal(component([], ['acme:math/ops@1.0.0', 'acme:math/more@1.0.0']));
    expect([lib.code, lib.message]).toEqual(['component', 'this WebAssembly component is a library or reactor (it exports acme:math/ops@1.0.0, acme:math/more@1.0.0), not a command: it does not export wasi:cli/run']);
    const p3 = await refusal(component([], ['wasi:cli/run@0.3.0']));
    expect(p3.message).toBe('this WebAssembly component is a command for wasi:cli/run@0.3.0: only WASI 0.2 commands (wasi:cli/run@0.2.x) are supported, not 0.3/async');
    const reactor = await refusal(fs.readFileSync(componentFixture('reactor')));
    expect(reactor.message).toBe('this WebAssembly component exports nothing to run (a library or plug-in), not a wasi:cli/command');
  });

  test('imports no host serves, other WASI versions and broken binaries are refused', async () => {
    const foreign = await refusal(component(['acme:db/query@1.0.0', 'wasi:cli/stdout@0.2.0'], [RUN]));
    expect([foreign.code, foreign.message]).toEqual(['unsupported-imports', 'not a WASI 0.2 command Terrarium can run: it imports acme:db/query@1.0.0']);
    expect((await refusal(component(['wasi:cli/stdout@0.3.0'], [RUN]))).code).toBe('unsupported-imports');
    expect((await refusal(component(['wasi:cli/stdout'], [RUN]))).code).toBe('unsupported-imports');
    const whole = component(['wasi:cli/stdout@0.2.0'], [RUN]);
    for (const cut of [9, 12, whole.length - 3]) expect((await refusal(whole.subarray(0, cut))).code).toBe('malformed');
  });
});

describe('the app kind (migration 0008)', () => {
  test('installed components are recorded as such; the library refuses non-commands unchanged', async () => {
    const { lib } = freshLibrary();
    const c = await lib.install({ kind: 'file', path: componentFixture('args_env') });
    const p = await lib.install({ kind: 'file', path: fixture('args_env') });
    expect([c.app.kind, p.app.kind]).toEqual(['component', 'preview1']);
    expect(lib.app(c.app.id).inspection.component?.path).toBe('preview1-core');
    const before = librarySnapshot(lib);
    await expectLibraryError(lib.install({ kind: 'file', path: componentFixture('reactor') }), 'component', /exports nothing to run/);
    expect(librarySnapshot(lib)).toBe(before);
  });

  test('apps installed before version 8 are preview1 apps', () => {
    const home = tempDir('terrarium-home-');
    const db = new Database(path.join(home, 'library.db'));
    migrate(db, migrations.slice(0, 7));
    const bytes = fs.readFileSync(fixture('stdio'));
    db.prepare(`INSERT INTO apps (id, name, source_kind, source, sha256, size, installed_at, inspection)
      VALUES ('0a1b2c3d', 'old', 'file', '/old.wasm', ?, ?, 1700000000000, '{}')`).run(sha256(bytes), bytes.length);
    db.close();
    fs.mkdirSync(path.join(home, 'store'));
    fs.writeFileSync(path.join(home, 'store', `${sha256(bytes)}.wasm`), bytes);
    const lib = openLibrary(home);
    expect(lib.app('old').kind).toBe('preview1');
    expect(() => lib.db.prepare(`UPDATE apps SET kind = 'other'`).run()).toThrow(/CHECK constraint/);
  });

  test('terrarium install, info --json and run treat an adapter-built component like any app', async () => {
    const home = tempDir('terrarium-home-');
    const install = await cli(home, ['install', '--name', 'echo', componentFixture('proc')]);
    expect(install.code, install.stderr).toBe(0);
    const info = await cliJson<AppRecord>(home, ['info', '--json', 'echo']);
    expect(info.kind).toBe('component');
    expect(info.inspection).toMatchObject({ wasi: '0.2', component: { path: 'preview1-core', world: 'wasi:cli/command' } });
    const text = await cli(home, ['info', 'echo']);
    expect(text.stdout).toContain('  kind:         WASI 0.2 component (wasi:cli/command); runs its preview1 core module directly (fast path)\n');
    const run = await cli(home, ['run', 'echo', '--', 'main', '42']);
    expect([run.code, run.stderr]).toEqual([42, '']);
  });
});

describe('install-time transpilation for the WASI 0.2 host', () => {
  const FULL = { TERRARIUM_COMPONENT_HOST: 'wasi-0.2' };

  test('transpiled once at install, stored beside the original by hash and transpiler, run from there, swept with it', async () => {
    const home = tempDir('terrarium-home-');
    const install = await cli(home, ['install', '--name', 'proc', componentFixture('proc')], { env: FULL });
    expect(install.code, install.stderr).toBe(0);
    const info = await cliJson<AppRecord>(home, ['info', '--json', 'proc'], { env: FULL });
    const t = info.inspection.component?.transpiled;
    expect(info.inspection.component?.path).toBe('wasi-0.2-host');
    expect(t).toMatchObject({ transpiler: 'jco-transpile-0.15', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const stored = path.join(home, 'store', `${info.sha256}.jco-transpile-0.15.p2`);
    expect(sha256(fs.readFileSync(stored))).toBe(t!.sha256);
    expect(fs.statSync(stored).size).toBe(t!.size);
    const lib = openLibrary(home);
    expect(Object.keys(lib.transpiled(lib.app('proc'))!).sort()).toEqual(expect.arrayContaining(['component.js', 'component.core.wasm']));

    const run = await cli(home, ['run', 'proc', '--', 'exit', '0'], { env: FULL });
    expect([run.code, run.stderr]).toEqual([0, '']);

    // Changed on disk: never loaded (the run transpiles the checked original again).
    fs.appendFileSync(stored, 'x');
    expect(lib.transpiled(lib.app('proc'))).toBeUndefined();
    lib.close();
    const again = await cli(home, ['run', 'proc', '--', 'exit', '0'], { env: FULL });
    expect(again.code, again.stderr).toBe(0);

    const gone = await cli(home, ['uninstall', 'proc']);
    expect(gone.code, gone.stderr).toBe(0);
    expect(fs.readdirSync(path.join(home, 'store'))).toEqual([]);
  });
});

test('a component whose names are not UTF-8 is refused as malformed, and the library is unchanged', async () => {
  const { lib } = freshLibrary();
  const bad = component(['wasi:cli/stdout@0.2.0'], [RUN]);
  const at = Buffer.from(bad).indexOf('stdout');
  bad[at] = 0xff;
  const before = librarySnapshot(lib);
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'bad.wasm'), bad);
  await expectLibraryError(lib.install({ kind: 'file', path: path.join(dir, 'bad.wasm') }), 'malformed', /not UTF-8/);
  expect(librarySnapshot(lib)).toBe(before);
});
