// Plain JavaScript (type-checked through JSDoc) so that it can run before Node's TypeScript
// stripper is first needed: the entry points load it, turn the cache on, and only then import
// the TypeScript modules, which then come from the cache without being stripped again.
// CommonJS: bin/terrarium.js compiles it at every start as Node's CommonJS loader would, without
// `require` (docs/design/start2.md, binstart), where an ES module costs Node's ES loader (~0.3 ms
// of CPU: docs/design/runapp.md, eighth pass). compile-cache.js re-exports it for ES importers (the
// bundle's shims, a run's worker, tests). One instance per thread whichever way it was loaded: the
// first puts its exports on the realm's global (`SELF`), and a later load (compile-cache.js's
// `require` after bin's compile) takes those, so the once-per-thread scripts and the use bits
// stay shared.
'use strict';

/**
 * Turns on Node's module compile cache (parsed, type-stripped and compiled code kept between
 * runs), which takes the CLI's start-up from ~190 ms to ~70 ms here. The cache lives in the
 * user's own cache folder, not a shared temp folder another user could plant code in.
 */
// Built-ins through `process.getBuiltinModule` (Node 22.3+, Electron 45 included), not ES imports:
// the ES facade of a built-in reads all its exports, loading what they load lazily (issue 14.2).
// Taken where used, none at this module's top level: bin imports it statically, also on an older
// Node that hands over to Node 24 (and has no getBuiltinModule), and a `run FILE` never loads
// node:module or node:os (~0.5 ms of its start).
const path = () => process.getBuiltinModule('node:path');

/**
 * The user's home folder: os.homedir(), which on POSIX is $HOME when it is set (libuv's
 * uv_os_homedir) and otherwise the password database's; node:os is loaded only then.
 * @returns {string}
 */
function homeDir() {
  const home = process.platform === 'win32' ? undefined : process.env.HOME;
  return home || process.getBuiltinModule('node:os').homedir();
}

/** @returns {string} the per-user cache folder for compiled modules */
function cacheDir() {
  const { join } = path();
  if (process.platform === 'win32') {
    return join(process.env.LOCALAPPDATA ?? join(homeDir(), 'AppData', 'Local'), 'Terrarium', 'Cache', 'compile');
  }
  if (process.platform === 'darwin') return join(homeDir(), 'Library', 'Caches', 'Terrarium', 'compile');
  return join(process.env.XDG_CACHE_HOME || join(homeDir(), '.cache'), 'terrarium', 'compile');
}

let moduleCacheOn = false;

/**
 * Enables the compile cache for modules loaded from now on, here and in workers started later.
 * With `{ modules: false }` only for workers (NODE_COMPILE_CACHE, read by a worker as it starts):
 * a start whose thread may load no module at all (`run FILE`: its script and what it runs are one
 * cached script) turns this thread's on with `enableCompileCache()` before its first import, and
 * so does not load node:module (~0.25 ms) when it imports nothing.
 * @param {{ modules?: boolean }} [options]
 */
function enableCompileCache({ modules = true } = {}) {
  if (moduleCacheOn) return;
  try {
    const dir = cacheDir();
    if (modules) {
      moduleCacheOn = true;
      process.getBuiltinModule('node:module').enableCompileCache?.(dir);
    }
    // Worker threads read this when they start, so a run's worker is cached from its first module.
    process.env.NODE_COMPILE_CACHE ??= dir;
  } catch {
    // A read-only home or an old Node: run uncached.
  }
}

// In parentheses: V8 compiles such a function with its module instead of pre-parsing it there and
// parsing it again at its first call; every start calls these (docs/design/start2.md).
const startKind = (
  /**
   * What this process does, from its command line: `run-file`, `run-dirs` (a module file given
   * folders), `run-app` or `other` (every other command). A script's code cache holds the functions
   * one kind of start ran, so each kind keeps its own (a fixed few: the cache folder does not grow
   * with what people type). Only a module given a folder can reach the file path (host calls,
   * resolver, koffi): `run hello.wasm` keeps a cache without those functions, which it would pay to
   * deserialise (~2.4 M instructions for the ~77 KB they add). `run`'s options come before its
   * target (main/cli/parse.ts): `--dir`, `--env`, `--memory-max` and `--timeout` take a value
   * (`--name VALUE` or `--name=VALUE`), `--help`/`-h` none, and `--` ends them; an option at all
   * means a module file (an app takes none: a usage error).
   * @param {string[]} argv the words after the command's own (`process.argv.slice(2)`)
   * @returns {string}
   */
  function startKind(argv) {
    if (argv[0] !== 'run') return 'other';
    let i = 1;
    let options = false;
    let dirs = false;
    for (let word = argv[i]; word !== undefined && word.startsWith('-') && word.length > 1; word = argv[i]) {
      i++;
      if (word === '--') break;
      options = true;
      if (word === '--dir' || word.startsWith('--dir=')) dirs = true;
      if (word.startsWith('--') && !word.includes('=') && word !== '--help') i++; // its value
    }
    if (dirs) return 'run-dirs';
    const target = argv[i] ?? '';
    return options || target.endsWith('.wasm') || target.includes('/') ? 'run-file' : 'run-app';
  }
);

/**
 * How to start the bundle (scripts/bundle-cli.ts): the script holding the command, its shim and
 * the export that runs it, and every script chunk by its shim's name with its static imports.
 * @typedef {{ script: string, shim: string, main: string, scripts?: Record<string, { script: string, deps: string[] }> }} BundleStart
 */

// In parentheses: V8 compiles such a function with its module instead of pre-parsing it there and
// parsing it again at its first call; every start calls these (docs/design/start2.md).
const mtimeReader = (
  /**
   * A reader of a file's modification time in ms, exactly `fs.statSync(file).mtimeMs` (it throws
   * when the file is gone). Through the fs binding's `stat`, which fills one shared Float64Array,
   * when it gives `probe`'s time as `fs.statSync` does (checked at every start, so another Node's
   * layout falls back); through `fs.statSync` otherwise. Each `fs.statSync` makes a Stats object,
   * its fields boxed: ~1.2 KB of young allocation a file, ~180 KB and ~0.8 ms for the bundle's
   * sources, which tipped `run APP` into a scavenge (docs/design/runapp.md).
   * @param {typeof import('node:fs').statSync} statSync
   * @param {string} probe
   * @returns {(file: string) => number}
   */
  function mtimeReader(statSync, probe) {
    try {
      // process.binding is deprecated (DEP0111, a warning only under --pending-deprecation): not one
      // a command's user should see.
      const warn = process.emitWarning;
      /** @type {{ stat(path: string, bigint: boolean, req: undefined, throwIfNoEntry: boolean): Float64Array }} */
      let fsBinding;
      process.emitWarning = () => {};
      try {
        fsBinding = /** @type {any} */ (process).binding('fs');
      } finally {
        process.emitWarning = warn;
      }
      /** @param {string} file */
      const read = (file) => {
        const v = fsBinding.stat(file, false, undefined, true);
        return /** @type {number} */ (v[12]) * 1e3 + /** @type {number} */ (v[13]) / 1e6; // mtime: seconds, nanoseconds (lib/internal/fs/utils.js getStatsFromBinding)
      };
      if (read(probe) === statSync(probe).mtimeMs) return read;
    } catch {
      // no such binding (another Node): the public call
    }
    return (file) => statSync(file).mtimeMs;
  }
);

const freshBundle = (
  /**
   * out/cli/sources.json when out/cli/ exists and no source it was bundled from has changed (or
   * gone) since; null otherwise. bin/terrarium.js asks at every start, before it runs the bundle:
   * here, compiled from bin's code cache of this file, not parsed at every start in bin.
   * @param {string} root the project's folder, ending with '/'
   * @returns {{ sources: string[], start?: BundleStart } | null}
   */
  function freshBundle(root) {
    const { readFileSync, statSync } = process.getBuiltinModule('node:fs');
    try {
      const manifest = `${root}out/cli/sources.json`;
      const mtime = mtimeReader(statSync, manifest);
      const built = mtime(manifest);
      /** @type {{ sources: string[], start?: BundleStart }} */
      const info = JSON.parse(readFileSync(manifest, 'utf8'));
      for (const s of info.sources) if (mtime(root + s) > built) return null;
      return info;
    } catch {
      return null;
    }
  }
);

/**
 * What a start may use beyond its kind's common path, each a bit of a script cache's trailer: a
 * cache is rewritten at the exit of a start that used one it was not made with (see
 * `loadCachedScript`). `files`: the host calls (a guest's first path call: path_open, the
 * resolver, koffi and its binding, fd_readdir...), noted by main/start-use.ts `noteStartUse`.
 */
const USES = ['files'];

/** The `USES` bits this thread's start has used so far (main/start-use.ts `noteStartUse`). */
let usedBits = 0;

/** The scripts whose cache V8 took, with what each was made with: rewritten at exit if this start used more. */
/** @type {{ target: string, script: import('node:vm').Script, madeWith: number }[]} */
const accepted = [];

/**
 * Writes `script`'s code cache as `target`, made with `uses`, from the command's own thread only:
 * a run's worker compiled other functions, and two writers would leave whichever came last.
 * (Asked here, not at start: worker_threads costs ~3 ms.) What V8 took from a cache is in the new
 * one too (deserialised functions are serialised again): a rewrite holds the union of the starts
 * that made it.
 * @param {string} target
 * @param {import('node:vm').Script} script
 * @param {number} uses
 */
function saveCache(target, script, uses) {
  try {
    if (!target.endsWith('.worker') && !process.getBuiltinModule('node:worker_threads').isMainThread) return;
    const trailer = Buffer.alloc(TRAILER_BYTES);
    trailer.writeUInt32LE(MAGIC, 0);
    trailer.writeUInt32LE(uses, 4);
    writeScriptCache(target, Buffer.concat([script.createCachedData(), trailer]));
  } catch {
    // a read-only cache folder: the next start compiles from the text again
  }
}

let rewriting = false;

/**
 * Whether this start ran a module (main/start-use.ts `noteStartUse('run')`, once the run ended
 * other than with a load error). A start of a run's kind that did not (a usage error, a file that
 * is missing or not a module) writes no cache: one made from it would hold only the failure's
 * path, and every later run of that kind would compile the run's functions from the text until
 * the next build.
 */
let runStarted = false;

/** Rewrites at exit the accepted caches made without a use this start made, when there are any. */
function rewriteLacking() {
  if (rewriting || !accepted.some((a) => (usedBits & ~a.madeWith) !== 0)) return;
  rewriting = true;
  process.once('exit', () => {
    for (const a of accepted) if ((usedBits & ~a.madeWith) !== 0) saveCache(a.target, a.script, a.madeWith | usedBits);
  });
}

/**
 * Puts on this realm's global what main/runtime/start-use.ts calls (the bundled script cannot
 * import this module, which bin loads as its own): from a thread's first `loadCachedScript` on,
 * the only starts whose uses matter (a script's cache; bin turning the module cache on at the first
 * file host call). Not at this module's top level: a thread that only asks `freshBundle` (the
 * window's run.ts `freshWorkerIn`) must not have its uses turn the module compile cache on. A
 * start whose caches hold what it used adds no `exit` listener and writes nothing. The first
 * instance's only (`SELF`).
 */
function listenForUses() {
  /** @type {Record<symbol, (name: string) => void>} */ (/** @type {unknown} */ (globalThis))[Symbol.for('terrarium.start-used')] ??= (name) => {
    if (name === 'run') {
      runStarted = true;
      return;
    }
    const bit = 1 << USES.indexOf(name);
    if (bit <= 0 || (usedBits & bit) !== 0) return;
    usedBits |= bit;
    // The file path loads koffi's package (CommonJS, through the module compile cache), which a
    // start that turned the cache off until its first import (bin: `run FILE`, `run APP`) turns on now.
    if (name === 'files') enableCompileCache();
    rewriteLacking();
  };
}

/**
 * A script cache file: V8's data, then a trailer of this magic and the `USES` bits it was made with
 * (uint32 LE each; at the end, so V8's data stays where readFileSync put it).
 */
const MAGIC = 0x31637274; // "trc1" read as little-endian
const TRAILER_BYTES = 8;

/**
 * The most script caches kept (older ones, of earlier builds, are removed when one is written): a
 * build makes up to 7 (the shell's for 4 kinds, the library's for 2, a run worker's; `run APP`'s
 * own modules are in the library's script), so three builds' (a checkout and a worktree, the last
 * build and the one before).
 */
const KEEP_SCRIPT_CACHES = 21;

/**
 * Writes `data` as script cache `target`: whole or not at all (another start may be reading it),
 * then removes all but the newest KEEP_SCRIPT_CACHES files of its folder.
 * @param {string} target
 * @param {Buffer} data
 */
function writeScriptCache(target, data) {
  const fs = process.getBuiltinModule('node:fs');
  const dir = path().dirname(target);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${target}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`; // a worker thread shares the pid
  fs.writeFileSync(tmp, data, { mode: 0o600 });
  fs.renameSync(tmp, target);
  const files = fs.readdirSync(dir).flatMap((name) => {
    try {
      return [{ name, mtime: fs.statSync(path().join(dir, name)).mtimeMs }];
    } catch {
      return []; // removed meanwhile
    }
  });
  files.sort((a, b) => b.mtime - a.mtime);
  for (const f of files.slice(KEEP_SCRIPT_CACHES)) fs.rmSync(path().join(dir, f.name), { force: true });
}

/**
 * Set to `'worker'` on the global by a run's worker before it loads the runtime (runtime/worker.js):
 * its scripts' caches are then the `worker` kind's, made by a spare once it has booted (the
 * functions a boot runs; a worker never reaches `exit`: it is terminated), and written by it
 * through the function it finds under `WORKER_BOOTED` (set only when the cache was missing or refused).
 */
const WORKER_KIND = Symbol.for('terrarium.script-kind');
const WORKER_BOOTED = Symbol.for('terrarium.worker-booted');

/** @type {Map<string, Record<string, unknown>>} the scripts run in this thread, by URL */
const scripts = new Map();

const loadCachedScript = (
  /**
   * Runs the script at `url` (a function expression of `import.meta.url`, `import()` and what its
   * static imports name, made by scripts/bundle-cli.ts `asCachedScript`) with its shim's `metaUrl`,
   * `importModule` and `deps` (the namespaces of its imports), and returns what it returns (once per
   * thread: a second call returns the same).
   *
   * It is compiled from V8's code cache for this kind of start when there is one (per user, beside
   * the module compile cache). When there is none, or V8 refuses it (another V8, other flags), a new
   * one is written as the process exits: made after the run, it holds every function the run
   * compiled, where Node's module cache holds only a module's top level (issue 14.2). A start that
   * used something (`USES`) the cache was not made with rewrites it at its exit too, so that what the
   * cache holds does not depend on which run came first (`run hello.wasm` then a walk of files): the
   * rewrite holds both, once, and later starts pay nothing (`createCachedData` is a few ms). The
   * file's name carries a hash of the script's text (an edited script never meets an old cache) and
   * `t1`, its trailer's format.
   * @param {URL} url
   * @param {string} metaUrl
   * @param {(specifier: string) => Promise<unknown>} importModule
   * @param {unknown[]} [deps]
   * @returns {Record<string, unknown>}
   */
  function loadCachedScript(url, metaUrl, importModule, deps = []) {
    // Once per thread: bin/terrarium.js may run it before the shim that other chunks import does.
    const loaded = scripts.get(url.href);
    if (loaded !== undefined) return loaded;
    listenForUses();
    const fs = process.getBuiltinModule('node:fs');
    const vm = process.getBuiltinModule('node:vm');
    const file = process.getBuiltinModule('node:url').fileURLToPath(url);
    const source = fs.readFileSync(file, 'latin1'); // ASCII only (bundle-cli.ts asciiOnly): a one-byte string
    let cacheFile;
    /** @type {Buffer | undefined} */
    let cachedData;
    let madeWith = 0;
    // A run's worker (runtime/worker.js says so) keeps a cache of its own, which it writes itself.
    const kind = /** @type {Record<symbol, string | undefined>} */ (/** @type {unknown} */ (globalThis))[WORKER_KIND] ?? startKind(process.argv.slice(2));
    try {
      cacheFile = path().join(cacheDir(), 'scripts', `${path().basename(file, '.script.js')}.${process.versions.v8}-${process.arch}.t1.${kind}`);
      const read = fs.readFileSync(cacheFile);
      const end = read.length - TRAILER_BYTES;
      if (end > 0 && read.readUInt32LE(end) === MAGIC) {
        madeWith = read.readUInt32LE(end + 4);
        cachedData = read.subarray(0, end);
      }
    } catch {
      // none yet (or no cache folder): compiled from the text
    }
    const script = new vm.Script(source, { filename: file, cachedData });
    if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
      const target = cacheFile;
      if (kind === 'worker') {
        // A worker is terminated, never exits: it writes once booted (runtime/worker-main.ts).
        /** @type {Record<symbol, () => void>} */ (/** @type {unknown} */ (globalThis))[WORKER_BOOTED] = () => saveCache(target, script, 0);
      }
      const needsRun = kind.startsWith('run-');
      process.once('exit', () => {
        if (!needsRun || runStarted) saveCache(target, script, usedBits);
      });
    } else if (cacheFile !== undefined) {
      accepted.push({ target: cacheFile, script, madeWith });
      rewriteLacking(); // a use noted before this script ran
    }
    const exports = script.runInThisContext()(metaUrl, importModule, deps);
    scripts.set(url.href, exports);
    return exports;
  }
);

/*
 * launcherCache: how bin/terrarium.js loads this file (its `compileCache`). Not through `require`:
 * a `require` of a module beside bin cost a `run FILE` ~1–2 ms of CPU (issue 14.2;
 * docs/design/start2.md, binstart), its resolution (`_findPath`, the JavaScript realpath, the
 * package scope) being code nothing else in such a start runs. bin compiles this text in CommonJS's
 * wrapper and calls it as Node's loader would, with a V8 code cache of its own: parsing this file
 * and compiling what a start calls was ~1.5 M instructions (~0.5 ms), and what bin itself holds is
 * parsed by Node at every start, so bin keeps only the loader and everything else a start runs is
 * here (`freshBundle`, `startCommand`). The cache file (per user, compile/launcher/ beside
 * `cacheDir()`'s scripts, named by a hash of this file's path so that checkouts keep one each,
 * `.l2` its layout) holds the very text it was made from, then V8's data: V8 checks only a text's
 * length, so the data is used only when this file's bytes equal the ones the cache holds (an edit
 * of any kind, whatever its modification time, is a mismatch). It is made at the exit of a start
 * that found none, a mismatch or a refusal, as the scripts' are (`writeScriptCache`). This file
 * takes nothing through `require`; its first instance in a thread keeps its exports on the realm's
 * global (`SELF`), where compile-cache.js, the ES face the shims import, takes them.
 */
const startCommand = (
  /**
   * Runs the command (bin/terrarium.js, on Node 24): the bundle when it is fresh, the sources
   * otherwise. Here, not in bin: Node parses bin at every start, this comes from bin's code cache
   * of this file (bin/terrarium.js `compileCache`, `launcherCache` below).
   * @param {string} bin bin/terrarium.js's path
   * @param {(url: string) => Promise<unknown>} importer bin's `import()` (a `vm.Script` has none of its own)
   * @returns {Promise<void>}
   */
  async function startCommand(bin, importer) {
    const { pathToFileURL } = process.getBuiltinModule('node:url');
    const here = pathToFileURL(bin);
    const bundle = freshBundle(`${path().dirname(path().dirname(bin))}/`);
    if (bundle?.start === undefined) {
      enableCompileCache();
      await importer(new URL(bundle === null ? '../main/cli.ts' : '../out/cli/cli.js', here).href);
      return;
    }
    await runBundle(new URL('../out/cli/', here), bundle.start, importer);
  }
);

/**
 * Runs the packaged app's bundled command (main/desktop/cli-mode.ts): as `startCommand` runs a
 * fresh bundle, without a freshness check (one build made the package's out/app and out/cli, and
 * a package carries no sources): its start is out/cli/start.json (scripts/bundle-cli.ts), which
 * the package carries where it leaves out sources.json.
 * @param {string} startFile the package's out/cli/start.json, as a file URL
 * @param {(url: string) => Promise<unknown>} importer the caller's `import()`: packages resolve from it
 * @returns {Promise<void>}
 */
async function startPackaged(startFile, importer) {
  const at = new URL(startFile);
  /** @type {BundleStart} */
  const start = JSON.parse(process.getBuiltinModule('node:fs').readFileSync(at, 'utf8'));
  await runBundle(new URL('./', at), start, importer);
}

const runBundle = (
  /**
   * Runs the bundle in `out` (out/cli/) from its start (`BundleStart`).
   * The bundle's script holds the whole command (and all of `run FILE`): run it straight from
   * its code cache, without the entry and the shim as ES modules (~1 ms here, issue 14.2). What
   * it imports lazily is resolved as its shim would: beside it, and packages from the importer's
   * place; a script chunk (the library, `run APP`'s modules) is run from its code cache in the same
   * way, its static imports handed to it, without its shim and the shims it imports.
   * A `run FILE` or `run APP` may import no module at all (the library and run APP's own modules
   * are scripts too): this thread's module compile cache is turned on before its first import or
   * its first file host call (koffi's package; compile-cache.js), node:module and the cache's
   * set-up (~0.3 ms) only when one comes, workers' at once; every other start imports and turns
   * it on now.
   * @param {URL} out the bundle's folder, ending with '/'
   * @param {BundleStart} start
   * @param {(url: string) => Promise<unknown>} importer
   * @returns {Promise<void>}
   */
  async function runBundle(out, start, importer) {
    const kind = startKind(process.argv.slice(2));
    enableCompileCache({ modules: kind !== 'run-file' && kind !== 'run-app' });
    const { script, shim, main, scripts = {} } = start;
    const at = new URL(shim, out).href;
    /**
     * @param {string} spec
     * @returns {Promise<unknown>}
     */
    const importModule = async (spec) => {
      const chunk = spec.startsWith('./') ? scripts[spec.slice(2)] : undefined;
      if (chunk === undefined) {
        enableCompileCache();
        return importer(spec.startsWith('./') ? new URL(spec, at).href : spec);
      }
      const deps = await Promise.all(chunk.deps.map(importModule));
      return loadCachedScript(new URL(chunk.script, out), new URL(spec, at).href, importModule, deps);
    };
    const exports = loadCachedScript(new URL(script, out), at, importModule);
    await /** @type {(argv: string[]) => Promise<never>} */ (exports[main])(process.argv.slice(2));
  }
);

/**
 * Where this thread's first instance keeps its exports: the one bin compiled (bin/terrarium.js
 * `compileCache`) or the first `require`d, whichever came first.
 */
const SELF = Symbol.for('terrarium.compile-cache');

// writeScriptCache: bin's own code cache of this file (bin/terrarium.js `compileCache`) is written
// the same way.
const own = { cacheDir, enableCompileCache, freshBundle, startCommand, startPackaged, startKind, loadCachedScript, writeScriptCache };
module.exports = /** @type {Record<symbol, typeof own | undefined>} */ (/** @type {unknown} */ (globalThis))[SELF] ??= own;
