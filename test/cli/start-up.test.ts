/**
 * What a `terrarium run` start loads (issue 14.2): every module costs start-up time, so the
 * module-file path must not load the library (SQLite), the contract's schemas (valibot) or the
 * manifest parser (smol-toml), and neither path may load what only other commands need
 * (node:child_process, node:util's lazily loaded parts). Not a timing test: it lists the modules
 * the real command resolves and the built-in modules Node loaded.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cli, cliPath } from '../helpers/cli.ts';
import { withLibrary } from '../helpers/library.ts';
import { fixture, repoRoot } from '../helpers/paths.ts';
import { removeTempDirs, tempDir } from '../helpers/temp.ts';

/**
 * An --import hook writing, at exit, every module URL resolved, Node's list of loaded built-ins and
 * the native libraries loaded (koffi's .node is opened with process.dlopen, which no hook sees).
 */
const HOOK = `data:text/javascript,${encodeURIComponent(`
const { registerHooks } = process.getBuiltinModule('node:module');
const fs = process.getBuiltinModule('node:fs');
const urls = new Set();
registerHooks({ resolve(spec, ctx, next) { const r = next(spec, ctx); urls.add(r.url); return r; } });
process.on('exit', () => fs.writeFileSync(process.env.LOADED_LOG, JSON.stringify({ urls: [...urls], builtins: process.moduleLoadList, shared: process.report.getReport().sharedObjects })));
`)}`;

let home: string;
let logs: string;

beforeAll(async () => {
  home = tempDir('home');
  logs = tempDir('loaded');
  const r = await cli(home, ['install', fixture('stdio.wasm'), '--name', 'tool']);
  expect(r.code, r.stderr).toBe(0);
});

afterAll(removeTempDirs);

/** Runs `terrarium ARGS` and returns what it loaded. */
async function loaded(name: string, args: string[]): Promise<{ urls: string[]; builtins: string[]; shared: string[] }> {
  const log = path.join(logs, `${name}.json`);
  const r = await cli(home, args, { nodeArgs: ['--import', HOOK], env: { LOADED_LOG: log } });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(fs.readFileSync(log, 'utf8')) as { urls: string[]; builtins: string[]; shared: string[] };
}

const pkg = (urls: string[], name: string): boolean => urls.some((u) => u.includes(`/node_modules/${name}/`));
/** True when the command ran from the bundle (out/cli, after npm run build), not from the .ts sources. */
const fromBundle = (urls: string[]): boolean => !urls.some((u) => u.endsWith('/main/cli.ts'));
/** The project's own ES modules that were loaded, relative to the project. */
const ownModules = (urls: string[]): string[] => urls.filter((u) => u.startsWith('file:') && !u.includes('/node_modules/')).map((u) => u.replace(/^.*\/(?=(bin|main|out|preload)\/)/, ''));
/** True when koffi (its package or its native module) was loaded: a URL resolved or a library opened. */
const koffi = (r: { urls: string[]; shared: string[] }): boolean => pkg(r.urls, 'koffi') || r.shared.some((s) => /koffi\.node$/.test(s));
/** The bundle's chunks loaded (out/cli, named by scripts/bundle-cli.ts's groups), when the command ran from the bundle. */
/** A script cache's file name as `<group>.<kind of start>` (compile-cache.js names it by the script, V8 and the kind). */
const cacheKind = (file: string): string => file.replace(/^([a-z-]+?)-[\w-]{8}\.[0-9a-f]{16}\..*\.([a-z-]+)$/, '$1.$2');
const chunks = (urls: string[]): string[] => urls.flatMap((u) => /\/out\/cli\/([a-z-]+?)(-[\w-]{8})?\.js$/.exec(u)?.[1] ?? []);

test('terrarium run FILE.wasm loads no library, schemas, manifest parser, child_process, crypto, worker or tty', async () => {
  const { urls, builtins, shared } = await loaded('file', ['run', fixture('stdio.wasm'), 'echo']);
  expect(urls.some((u) => u.endsWith('/bin/terrarium.js'))).toBe(true); // the hook saw the command
  for (const name of ['better-sqlite3', 'valibot', 'smol-toml']) expect(pkg(urls, name), name).toBe(false);
  // The native host calls (koffi and its .node) load at a preopen's first path call, never before.
  expect(koffi({ urls, shared })).toBe(false);
  expect(urls.filter((u) => /\/main\/(library|launcher)\/(?!host-log\.|prompt-text\.|run-answers\.|home\.)/.test(u))).toEqual([]);
  expect(builtins).not.toContain('NativeModule child_process');
  expect(builtins).not.toContain('NativeModule internal/util/diff');
  // The words are read by cli/tokens.ts: node:util's parseArgs costs its module and a compile (~0.4 ms).
  expect(builtins).not.toContain('NativeModule internal/util/parse_args/parse_args');
  // Loaded only by what needs them: randomness and the WASI 0.2 host (crypto), a worker, a terminal.
  for (const m of ['crypto', 'worker_threads', 'tty']) expect(builtins, m).not.toContain(`NativeModule ${m}`);
  // From the bundle (after npm run build): the shell, the run and the runtime, not the library's or the api's chunks.
  for (const c of chunks(urls)) expect(['cli', 'shell', 'run-command', 'run', 'runtime', 'wasm', 'guest']).toContain(c);
  // The bundle takes built-ins from process.getBuiltinModule: an ES import of node:fs would load
  // its promises API, the file streams, readline and the stream library (bundle-cli.ts).
  if (fromBundle(urls)) {
    for (const m of ['internal/fs/promises', 'internal/fs/streams', 'stream', 'internal/readline/interface']) expect(builtins, m).not.toContain(`NativeModule ${m}`);
  }
});

/** An --import hook writing, at exit, only Node's list of loaded built-ins (the hook above loads node:module itself). */
const BUILTINS_HOOK = `data:text/javascript,${encodeURIComponent(`
process.on('exit', () => process.getBuiltinModule('node:fs').writeFileSync(process.env.LOADED_LOG, JSON.stringify(process.moduleLoadList)));
`)}`;

test('terrarium run FILE.wasm from the bundle loads neither node:os nor node:module (nor the module compile cache)', async (ctx) => {
  const { urls } = await loaded('file-bundle', ['run', fixture('stdio.wasm'), 'echo']);
  if (!fromBundle(urls)) ctx.skip(); // run from the .ts sources: they import both (npm run build)
  const log = path.join(logs, 'file-builtins.json');
  const r = await cli(home, ['run', fixture('stdio.wasm'), 'echo'], { nodeArgs: ['--import', BUILTINS_HOOK], env: { LOADED_LOG: log } });
  expect(r.code, r.stderr).toBe(0);
  const builtins = JSON.parse(fs.readFileSync(log, 'utf8')) as string[];
  // bin and compile-cache.js take them only where needed (the home folder from $HOME, the module
  // cache before a first import), and the bundle loads them at their first use (bundle-cli.ts):
  // the run itself needs neither (~0.5 ms of a start).
  for (const m of ['os', 'module']) expect(builtins, m).not.toContain(`NativeModule ${m}`);
  // Node's module compile cache is turned on only before a first import: a `run FILE` makes no
  // folder of it; a start of another kind (which imports) turns it on at once, as before.
  const cache = tempDir('xdg-modules');
  expect((await cli(home, ['run', fixture('stdio.wasm'), 'echo'], { env: { XDG_CACHE_HOME: cache } })).code).toBe(0);
  expect(fs.readdirSync(path.join(cache, 'terrarium', 'compile')).sort()).toEqual(['launcher', 'scripts']); // bin's cache of compile-cache.cjs, the scripts'
  expect((await cli(home, ['--version'], { env: { XDG_CACHE_HOME: cache } })).code).toBe(0);
  expect(fs.readdirSync(path.join(cache, 'terrarium', 'compile')).filter((f) => f.startsWith(`v${process.versions.node}`))).toHaveLength(1);
});

test('terrarium run FILE.wasm loads no ES module of the bundle, and its script\'s code cache is made once, after a run', async (ctx) => {
  const { urls } = await loaded('file-chunks', ['run', fixture('stdio.wasm'), 'echo']);
  if (!fromBundle(urls)) ctx.skip(); // run from the .ts sources: no bundle to check (npm run build)
  // bin runs the bundle's script, which holds the whole run path: no entry, shim or facade module
  // (each a resolve, a read and a link), and nothing of the library's or the api's chunks.
  // compile-cache.cjs is CommonJS, compiled by bin itself: no `require`, whose resolution is
  // ~1.5 ms of code nothing else in the start runs (its ES face, compile-cache.js, is for ES importers).
  expect(ownModules(urls)).toEqual(['bin/terrarium.js']);
  // The chunk's code runs as a script whose V8 code cache is written after a run (with the
  // functions it compiled), once per kind of start, and is not rewritten while V8 accepts it.
  const cache = tempDir('xdg-cache');
  const run = async (): Promise<void> => {
    const r = await cli(home, ['run', fixture('stdio.wasm'), 'echo'], { env: { XDG_CACHE_HOME: cache } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^ok \d+ checks/); // the guest ran
  };
  await run();
  const dir = path.join(cache, 'terrarium', 'compile', 'scripts');
  const made = fs.readdirSync(dir);
  expect(made).toHaveLength(1);
  expect(made[0]).toMatch(/^shell-.*\.run-file$/);
  const first = fs.statSync(path.join(dir, made[0]!));
  await run();
  const second = fs.statSync(path.join(dir, made[0]!));
  expect([second.ino, second.mtimeMs]).toEqual([first.ino, first.mtimeMs]);
  expect(fs.readdirSync(dir)).toEqual(made); // no temporary file left
  // A library command is another kind of start: a cache of its own, and one of the library's script.
  expect((await cli(home, ['list'], { env: { XDG_CACHE_HOME: cache } })).code).toBe(0);
  const other = fs.readdirSync(dir).filter((f) => !made.includes(f)).sort();
  expect(other.map(cacheKind)).toEqual(['library.other', 'shell.other']);
  // Caches of earlier builds do not pile up: writing one keeps the newest 21 (three builds' worth, 7 each).
  const crowded = tempDir('xdg-crowded');
  const old = path.join(crowded, 'terrarium', 'compile', 'scripts');
  fs.mkdirSync(old, { recursive: true });
  for (let i = 0; i < 30; i++) {
    const f = path.join(old, `shell-earlier${i}.0123.other`);
    fs.writeFileSync(f, '');
    fs.utimesSync(f, 1_000_000 + i, 1_000_000 + i);
  }
  expect((await cli(home, ['list'], { env: { XDG_CACHE_HOME: crowded } })).code).toBe(0);
  const left = fs.readdirSync(old);
  expect(left).toHaveLength(21);
  expect(left).toContain(made[0]!.replace(/run-file$/, 'other'));
  expect(left).toContain('shell-earlier19.0123.other');
  expect(left).not.toContain('shell-earlier0.0123.other');
});

test('a run\'s script cache does not depend on which run came first: a run with files after one without rewrites it once, to hold both', async (ctx) => {
  const { urls } = await loaded('file-uses', ['run', fixture('stdio.wasm'), 'echo']);
  if (!fromBundle(urls)) ctx.skip(); // run from the .ts sources: no script, no script cache
  const cache = tempDir('xdg-cache-uses');
  const data = tempDir('uses-data');
  fs.writeFileSync(path.join(data, 'note.txt'), 'hi');
  const dir = path.join(cache, 'terrarium', 'compile', 'scripts');
  const run = async (...args: string[]): Promise<void> => {
    const r = await cli(home, ['run', ...args], { env: { XDG_CACHE_HOME: cache } });
    expect(r.code, r.stderr).toBe(0);
  };
  /** The one cache file's name, stamp, and the uses it was made with (compile-cache.js: a trailer of "trc1" and the bits). */
  const state = (): { name: string; stamp: number[]; uses: number } => {
    const [name, ...more] = fs.readdirSync(dir);
    expect(more).toEqual([]);
    const tail = fs.readFileSync(path.join(dir, name!)).subarray(-8);
    expect(tail.toString('latin1', 0, 4)).toBe('trc1');
    const st = fs.statSync(path.join(dir, name!));
    return { name: name!, stamp: [st.ino, st.mtimeMs], uses: tail.readUInt32LE(4) };
  };
  const withFiles = ['--dir', `${data}::/data`, fixture('e2e_cat.wasm'), '/data/note.txt'];
  await run('--dir', `${data}::/data`, fixture('stdio.wasm'), 'echo'); // first after the build, given a folder it never touches
  const first = state();
  // A module given folders (options first: not `run APP`'s kind, nor `run hello.wasm`'s).
  expect(first.name).toMatch(/^shell-.*\.run-dirs$/);
  expect(first.uses).toBe(0);
  // This one used files, which that cache lacks: rewritten at its exit, holding both runs' functions.
  await run(...withFiles);
  const second = state();
  expect(second.name).toBe(first.name);
  expect(second.uses).toBe(1);
  expect(second.stamp).not.toEqual(first.stamp);
  // From then on neither run rewrites it (V8 accepts it, and it has what each used).
  await run('--dir', `${data}::/data`, fixture('stdio.wasm'), 'echo');
  await run(...withFiles);
  await run(`--dir=${data}::/data`, '--', fixture('e2e_cat.wasm'), '/data/note.txt');
  expect(state()).toEqual(second);
});

test('a run that fails before it starts (a missing module, a file that is not one) writes no script cache; the first run that starts does', async (ctx) => {
  const { urls } = await loaded('failed-first', ['run', fixture('stdio.wasm'), 'echo']);
  if (!fromBundle(urls)) ctx.skip(); // run from the .ts sources: no script, no script cache
  const cache = tempDir('xdg-cache-failed');
  const dir = path.join(cache, 'terrarium', 'compile', 'scripts');
  const notWasm = path.join(tempDir('not-wasm'), 'x.wasm');
  fs.writeFileSync(notWasm, 'not a module');
  const missing = await cli(home, ['run', path.join(cache, 'missing.wasm')], { env: { XDG_CACHE_HOME: cache } });
  expect(missing.code).not.toBe(0);
  const bad = await cli(home, ['run', notWasm], { env: { XDG_CACHE_HOME: cache } });
  expect(bad.code).not.toBe(0);
  // A cache made from these would hold only the failures' path (every later run would compile its
  // functions from the text until the next build).
  expect(fs.existsSync(dir) ? fs.readdirSync(dir) : []).toEqual([]);
  const ok = await cli(home, ['run', fixture('stdio.wasm'), 'echo'], { env: { XDG_CACHE_HOME: cache } });
  expect(ok.code, ok.stderr).toBe(0);
  expect(fs.readdirSync(dir)).toEqual([expect.stringMatching(/^shell-.*\.run-file$/)]);
});

test('terrarium run --dir reading a file loads the native host calls but not node:worker_threads', async () => {
  const dir = tempDir('granted');
  fs.writeFileSync(path.join(dir, 'note.txt'), 'hi');
  const r = await loaded('dir', ['run', '--dir', `${dir}::/data`, fixture('e2e_cat.wasm'), '/data/note.txt']);
  const { builtins } = r;
  expect(koffi(r)).toBe(process.platform === 'linux' || process.platform === 'darwin'); // the file was opened through them
  // The host calls read a worker's hand-off (host-calls/thread-data.ts): the command's own thread
  // has none, and loading node:worker_threads to find that out cost ~3 ms of every such start.
  expect(builtins).not.toContain('NativeModule worker_threads');
});

/** An --import hook writing, at exit, the paths given to fs.accessSync (the bundle reads the same fs object). */
const ACCESS_HOOK = `data:text/javascript,${encodeURIComponent(`
const fs = process.getBuiltinModule('node:fs');
const paths = [];
const access = fs.accessSync;
fs.accessSync = (p, ...rest) => { paths.push(String(p)); return access(p, ...rest); };
process.on('exit', () => fs.writeFileSync(process.env.LOADED_LOG, JSON.stringify(paths)));
`)}`;

test('a run asks whether /proc/self/fd exists only when it reaches a folder by the portable calls, not at every start', async () => {
  // The portable calls' way to a held folder (host-calls/portable.ts portableMode) was decided when
  // the module loaded: an accessSync at every start (~0.1 ms), which a run without folders never uses.
  const accessed = async (name: string, args: string[], env: Record<string, string> = {}): Promise<string[]> => {
    const log = path.join(logs, `${name}-access.json`);
    const r = await cli(home, args, { nodeArgs: ['--import', ACCESS_HOOK], env: { ...env, LOADED_LOG: log } });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(fs.readFileSync(log, 'utf8')) as string[];
  };
  expect(await accessed('file', ['run', fixture('stdio.wasm'), 'echo'])).not.toContain('/proc/self/fd');
  expect(await accessed('app', ['run', 'tool', 'echo'])).not.toContain('/proc/self/fd');
  if (process.platform !== 'linux') return;
  // A run that opens a file through the portable calls still asks, once, before its first open.
  const dir = tempDir('granted-portable');
  fs.writeFileSync(path.join(dir, 'note.txt'), 'hi');
  const portable = await accessed('dir-portable', ['run', '--dir', `${dir}::/data`, fixture('e2e_cat.wasm'), '/data/note.txt'], { TERRARIUM_HOST_CALLS: 'portable' });
  expect(portable.filter((p) => p === '/proc/self/fd')).toHaveLength(1);
});

test('terrarium run APP from the bundle loads neither node:os nor node:module (nor the module compile cache)', async (ctx) => {
  const { urls } = await loaded('app-bundle', ['run', 'tool', 'echo']);
  if (!fromBundle(urls)) ctx.skip(); // run from the .ts sources: they import both (npm run build)
  const log = path.join(logs, 'app-builtins.json');
  const cache = tempDir('xdg-cache-app-builtins');
  const r = await cli(home, ['run', 'tool', 'echo'], { nodeArgs: ['--import', BUILTINS_HOOK], env: { LOADED_LOG: log, XDG_CACHE_HOME: cache } });
  expect(r.code, r.stderr).toBe(0);
  const builtins = JSON.parse(fs.readFileSync(log, 'utf8')) as string[];
  expect(builtins).toContain('NativeModule sqlite'); // it did open the library
  // The library and run APP's own modules are scripts (no import), the library's folder is
  // TERRARIUM_HOME or comes from $HOME (library/home.ts homeDir): ~0.5 ms of a start.
  for (const m of ['os', 'module']) expect(builtins, m).not.toContain(`NativeModule ${m}`);
  // Only the scripts' caches were written: no folder of Node's module compile cache.
  expect(fs.readdirSync(path.join(cache, 'terrarium', 'compile')).filter((f) => f.startsWith(`v${process.versions.node}`))).toEqual([]);
});

test('terrarium run APP from the bundle turns the module compile cache on before the file host calls load koffi', async (ctx) => {
  const { urls } = await loaded('app-bundle-files', ['run', 'tool', 'echo']);
  if (!fromBundle(urls)) ctx.skip();
  const cache = tempDir('xdg-cache-app-files');
  // TERRARIUM_HOST_CALLS=native loads the native host calls (koffi's package) as the run starts.
  const r = await cli(home, ['run', 'tool', 'echo'], { env: { XDG_CACHE_HOME: cache, TERRARIUM_HOST_CALLS: 'native' } });
  expect(r.code, r.stderr).toBe(0);
  // Node's module compile cache has a folder of its own beside the scripts' (compile-cache.js).
  expect(fs.readdirSync(path.join(cache, 'terrarium', 'compile')).filter((f) => f.startsWith(`v${process.versions.node}`))).toHaveLength(1);
});

test('terrarium run APP opens the library through node:sqlite and loads no better-sqlite3, schemas, manifest parser or child_process', async () => {
  const { urls, builtins } = await loaded('app', ['run', 'tool', 'echo']);
  // It did open the library, through Node's own SQLite: no native module to load (db-node-sqlite.ts).
  expect(builtins).toContain('NativeModule sqlite');
  expect(pkg(urls, 'better-sqlite3')).toBe(false);
  // With no terminal to ask on, neither node:tty nor node:net (process.stdin's) is loaded (tty-prompt.ts).
  for (const m of ['tty', 'net']) expect(builtins, m).not.toContain(`NativeModule ${m}`);
  for (const name of ['valibot', 'smol-toml']) expect(pkg(urls, name), name).toBe(false);
  expect(builtins).not.toContain('NativeModule child_process');
  expect(builtins).not.toContain('NativeModule internal/util/diff');
  expect(chunks(urls)).not.toContain('api'); // the window's api and its schemas stay unloaded
  // A terminal run needs no worker: the window's spare workers (launcher/spares.ts, a
  // BroadcastChannel at construction) stay with the api, so node:worker_threads and the stream
  // library it loads (~3 ms) are not loaded with the library.
  expect(builtins).not.toContain('NativeModule worker_threads');
});

test('terrarium run APP runs the library and its own modules as scripts with code caches made after a run', async (ctx) => {
  const { urls } = await loaded('app-chunks', ['run', 'tool', 'echo']);
  if (!fromBundle(urls)) ctx.skip(); // run from the .ts sources: no bundle to check (npm run build)
  // As ES modules their compile cache held only their top levels: every library function a run
  // called was compiled at every start. Now bin runs each chunk's script (compile-cache.js), its
  // static imports handed to it: no shim is loaded (each a resolve, a read and a link),
  // and no ES chunk (worker-protocol.js, shared with a run's worker, only the window's spares import).
  expect(ownModules(urls).map((u) => u.replace(/-[\w-]{8}\.js$/, '.js'))).toEqual(['bin/terrarium.js']);
  const cache = tempDir('xdg-cache-app');
  const run = async (): Promise<void> => {
    const r = await cli(home, ['run', 'tool', 'echo'], { env: { XDG_CACHE_HOME: cache } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^ok \d+ checks/); // the guest ran
  };
  await run();
  const dir = path.join(cache, 'terrarium', 'compile', 'scripts');
  const made = fs.readdirSync(dir).sort();
  // `run APP`'s own modules are in the library's script: one script and one cache besides the shell's.
  expect(made.map(cacheKind)).toEqual(['library.run-app', 'shell.run-app']);
  // The install path's modules (library/install-path.ts) are a chunk that only an install imports:
  // the library script every run reads and deserialises is without them.
  expect(chunks(urls)).not.toContain('install');
  const start = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'out/cli/sources.json'), 'utf8')) as { start: { scripts: Record<string, { script: string }> } }).start;
  const libraryScript = Object.values(start.scripts).map((s) => s.script).find((f) => f.startsWith('library-'))!;
  const text = fs.readFileSync(path.join(repoRoot, 'out/cli', libraryScript), 'latin1');
  expect(text).toContain('// main/library/store.ts'); // the bundle marks each module's place
  for (const m of ['download', 'inspect', 'inspect-component', 'wasmer-toml', 'install-component']) expect(text, m).not.toContain(`// main/library/${m}.ts`);
  const stamps = (): number[][] => made.map((f) => fs.statSync(path.join(dir, f))).map((s) => [s.ino, s.mtimeMs]);
  const first = stamps();
  await run();
  expect(fs.readdirSync(dir).sort()).toEqual(made); // nothing added
  expect(stamps()).toEqual(first); // accepted by V8: not rewritten
});

/**
 * An --import hook counting, at exit, the `vm.Script`s made of each file: compile-cache's
 * `loadCachedScript` takes `Script` from node:vm at each call.
 */
const SCRIPTS_HOOK = `data:text/javascript,${encodeURIComponent(`
const vm = process.getBuiltinModule('node:vm');
const made = {};
const Script = vm.Script;
vm.Script = class extends Script { constructor(text, options) { super(text, options); const f = String(options?.filename ?? '').split('/').pop(); made[f] = (made[f] ?? 0) + 1; } };
process.on('exit', () => process.getBuiltinModule('node:fs').writeFileSync(process.env.LOADED_LOG, JSON.stringify(made)));
`)}`;

test('bin and the bundle\'s shims share one compile-cache: a command that imports the shell\'s shim runs its script once', async (ctx) => {
  const { urls } = await loaded('list-chunks', ['list']);
  if (!fromBundle(urls)) ctx.skip(); // run from the .ts sources: no script
  // `list` imports the library commands' chunk, which imports the shell's shim (compile-cache.js);
  // bin ran the shell's script already, through the compile-cache.cjs it compiled without `require`.
  expect(chunks(urls)).toContain('library-commands');
  const log = path.join(logs, 'list-scripts.json');
  const r = await cli(home, ['list'], { nodeArgs: ['--import', SCRIPTS_HOOK], env: { LOADED_LOG: log } });
  expect(r.code, r.stderr).toBe(0);
  const made = JSON.parse(fs.readFileSync(log, 'utf8')) as Record<string, number>;
  const shell = Object.keys(made).filter((f) => /^shell-.*\.script\.js$/.test(f));
  expect(shell).toHaveLength(1);
  expect(made[shell[0]!]).toBe(1); // a second instance would keep scripts of its own and run it again
});

test('terrarium run APP records its run in the WAL it leaves for the next full open, and does not sweep', async () => {
  const wal = path.join(home, 'library.db-wal');
  withLibrary(home, () => undefined); // a full open and close: checkpointed, the WAL removed
  expect(fs.existsSync(wal)).toBe(false);
  const orphan = path.join(home, 'store', `${'0'.repeat(64)}.wasm`);
  fs.writeFileSync(orphan, 'no app uses this');
  const r = await cli(home, ['run', 'tool', 'echo', 'hi']);
  expect(r.code, r.stderr).toBe(0);
  // Closing did not checkpoint (no fsync for a run's record): the WAL holds the run...
  expect(fs.statSync(wal).size).toBeGreaterThan(0);
  expect(fs.existsSync(orphan)).toBe(true); // ...and the run left sweeping to the next full open.
  const runs = withLibrary(home, (lib) => lib.history('tool'));
  expect(runs[0]).toMatchObject({ args: ['echo', 'hi'], outcome: 'exit', exitCode: 0 });
  expect(runs[0]!.endedAt).not.toBeNull();
  expect(fs.existsSync(wal)).toBe(false); // that open closed last: checkpointed
  expect(fs.existsSync(orphan)).toBe(false); // and swept
});

test('an older Node hands over to Node 24: bin imports compile-cache.js statically, which needs no built-in at its top level', (ctx) => {
  // An older `node` on PATH (the system's); none here: nothing to check.
  const old = ['/usr/bin/node', '/usr/local/bin/node'].find((n) => {
    const r = spawnSync(n, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    return r.status === 0 && Number(r.stdout.split('.')[0]) < 24;
  });
  if (old === undefined) ctx.skip();
  // Without process.getBuiltinModule (Node before 20.16 and 22.3): compile-cache.js must load.
  const r = spawnSync(old!, ['--import', 'data:text/javascript,delete process.getBuiltinModule', cliPath, '--version'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^terrarium \d/);
});
