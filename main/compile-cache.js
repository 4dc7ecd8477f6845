// Plain JavaScript (type-checked through JSDoc) so that it can run before Node's TypeScript
// stripper is first needed: the entry points load it, turn the cache on, and only then import
// the TypeScript modules, which then come from the cache without being stripped again.
/**
 * Turns on Node's module compile cache (parsed, type-stripped and compiled code kept between
 * runs), which takes the CLI's start-up from ~190 ms to ~70 ms here. The cache lives in the
 * user's own cache folder, not a shared temp folder another user could plant code in.
 */
// Built-ins through `process.getBuiltinModule` (Node 22.3+, Electron 45 included), not ES imports:
// the ES facade of a built-in reads all its exports, loading what they load lazily (issue 14.2).
const module = process.getBuiltinModule('node:module');
const os = process.getBuiltinModule('node:os');
const path = process.getBuiltinModule('node:path');

/** @returns {string} the per-user cache folder for compiled modules */
function cacheDir() {
  const home = os.homedir();
  if (process.platform === 'win32') {
    return path.join(process.env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'Terrarium', 'Cache', 'compile');
  }
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'Terrarium', 'compile');
  return path.join(process.env.XDG_CACHE_HOME || path.join(home, '.cache'), 'terrarium', 'compile');
}

/** Enables the compile cache for modules loaded from now on, here and in workers started later. */
export function enableCompileCache() {
  try {
    const dir = cacheDir();
    module.enableCompileCache?.(dir);
    // Worker threads read this when they start, so a run's worker is cached from its first module.
    process.env.NODE_COMPILE_CACHE ??= dir;
  } catch {
    // A read-only home or an old Node: run uncached.
  }
}

/**
 * What this process does, from its command line: `run-file`, `run-app` or `other` (every other
 * command). A script's code cache holds the functions one kind of start ran, so each kind keeps
 * its own (a fixed few: the cache folder does not grow with what people type). `run`'s options
 * come before its target (main/cli/parse.ts): `--dir`, `--env`, `--memory-max` and `--timeout`
 * take a value (`--name VALUE` or `--name=VALUE`), `--help`/`-h` none, and `--` ends them; an
 * option at all means a module file (an app takes none: a usage error).
 * @param {string[]} argv the words after the command's own (`process.argv.slice(2)`)
 * @returns {string}
 */
export function startKind(argv) {
  if (argv[0] !== 'run') return 'other';
  let i = 1;
  let options = false;
  for (let word = argv[i]; word !== undefined && word.startsWith('-') && word.length > 1; word = argv[i]) {
    i++;
    if (word === '--') break;
    options = true;
    if (word.startsWith('--') && !word.includes('=') && word !== '--help') i++; // its value
  }
  const target = argv[i] ?? '';
  return options || target.endsWith('.wasm') || target.includes('/') ? 'run-file' : 'run-app';
}

/**
 * What a start may use beyond its kind's common path, each a bit of a script cache's header: a
 * cache is rewritten at the exit of a start that used one it was not made with (see
 * `loadCachedScript`). `files`: the host calls (a guest's first path call: path_open, the
 * resolver, koffi and its binding, fd_readdir...), noted by main/start-use.ts `noteStartUse`.
 */
const USES = ['files'];

/** Where main/start-use.ts notes what this thread's start used (this realm's global; a Set of `USES` names). */
const USED = Symbol.for('terrarium.start-used');

/** The uses noted so far in this thread, as `USES` bits. */
function usedBits() {
  const used = /** @type {Record<symbol, Set<string> | undefined>} */ (/** @type {unknown} */ (globalThis))[USED];
  let bits = 0;
  if (used !== undefined) for (const [i, name] of USES.entries()) if (used.has(name)) bits |= 1 << i;
  return bits;
}

/** A script cache file: this magic, then the `USES` bits it was made with (uint32 LE), then V8's data. */
const MAGIC = 0x31637274; // "trc1" read as little-endian
const HEADER_BYTES = 8;

/** The most script caches kept (older ones, of earlier builds, are removed when one is written). */
const KEEP_SCRIPT_CACHES = 12;

/**
 * Writes `data` as script cache `target`: whole or not at all (another start may be reading it),
 * then removes all but the newest KEEP_SCRIPT_CACHES files of its folder.
 * @param {string} target
 * @param {Buffer} data
 */
function writeScriptCache(target, data) {
  const fs = process.getBuiltinModule('node:fs');
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${target}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`; // a worker thread shares the pid
  fs.writeFileSync(tmp, data, { mode: 0o600 });
  fs.renameSync(tmp, target);
  const files = fs.readdirSync(dir).flatMap((name) => {
    try {
      return [{ name, mtime: fs.statSync(path.join(dir, name)).mtimeMs }];
    } catch {
      return []; // removed meanwhile
    }
  });
  files.sort((a, b) => b.mtime - a.mtime);
  for (const f of files.slice(KEEP_SCRIPT_CACHES)) fs.rmSync(path.join(dir, f.name), { force: true });
}

/** @type {Map<string, Record<string, unknown>>} the scripts run in this thread, by URL */
const scripts = new Map();

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
 * `t1`, this header's format.
 * @param {URL} url
 * @param {string} metaUrl
 * @param {(specifier: string) => Promise<unknown>} importModule
 * @param {unknown[]} [deps]
 * @returns {Record<string, unknown>}
 */
export function loadCachedScript(url, metaUrl, importModule, deps = []) {
  // Once per thread: bin/terrarium.js may run it before the shim that other chunks import does.
  const loaded = scripts.get(url.href);
  if (loaded !== undefined) return loaded;
  const fs = process.getBuiltinModule('node:fs');
  const vm = process.getBuiltinModule('node:vm');
  const file = process.getBuiltinModule('node:url').fileURLToPath(url);
  const source = fs.readFileSync(file, 'latin1'); // ASCII only (bundle-cli.ts asciiOnly): a one-byte string
  let cacheFile;
  /** @type {Buffer | undefined} */
  let cachedData;
  let madeWith = 0;
  try {
    cacheFile = path.join(cacheDir(), 'scripts', `${path.basename(file, '.script.js')}.${process.versions.v8}-${process.arch}.t1.${startKind(process.argv.slice(2))}`);
    const read = fs.readFileSync(cacheFile);
    if (read.length > HEADER_BYTES && read.readUInt32LE(0) === MAGIC) {
      madeWith = read.readUInt32LE(4);
      cachedData = read.subarray(HEADER_BYTES);
    }
  } catch {
    // none yet (or no cache folder): compiled from the text
  }
  const script = new vm.Script(source, { filename: file, cachedData });
  if (cacheFile !== undefined) {
    const target = cacheFile;
    const remake = cachedData === undefined || script.cachedDataRejected === true;
    process.once('exit', () => {
      const used = usedBits();
      if (!remake && (used & ~madeWith) === 0) return; // it holds what this start ran
      try {
        // The command's own thread only: a run's worker compiled other functions, and two writers
        // would leave whichever came last. (Asked here, not at start: worker_threads costs ~3 ms.)
        if (!process.getBuiltinModule('node:worker_threads').isMainThread) return;
        // What V8 took from the cache is in the new one too (deserialised functions are serialised
        // again): a rewrite holds the union of the starts that made it.
        const header = Buffer.alloc(HEADER_BYTES);
        header.writeUInt32LE(MAGIC, 0);
        header.writeUInt32LE((remake ? 0 : madeWith) | used, 4);
        writeScriptCache(target, Buffer.concat([header, script.createCachedData()]));
      } catch {
        // a read-only cache folder: the next start compiles from the text again
      }
    });
  }
  const exports = script.runInThisContext()(metaUrl, importModule, deps);
  scripts.set(url.href, exports);
  return exports;
}
