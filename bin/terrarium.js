#!/usr/bin/env node
// Entry point of the `terrarium` command. Terrarium runs on Node 24 (the version Electron 45
// embeds), which the project pins as a dev dependency; an older `node` on PATH hands over to it.
// On Node 24 it turns the compile cache on before any TypeScript loads (main/compile-cache.js),
// then runs the bundled command (out/cli/, made by `npm run build`: no type stripping at start-up;
// its main script from V8's code cache, scripts/bundle-cli.ts) when it is newer than every source
// it was made from (compile-cache.cjs `freshBundle`), and main/cli.ts otherwise.
// A CommonJS script (bin/package.json), not an ES module: an ES entry costs Node's asynchronous
// module job, `import.meta` and the entry's link (~0.3–0.5 M instructions of every start), and a
// `run FILE` from the bundle imports no ES module at all (docs/design/start2.md, third pass).
// main/compile-cache.cjs is CommonJS, compiled here with its CommonJS wrapper's parameters, not
// through `require` (`compileCache`); the bundle's shims import it through compile-cache.js and
// meet the same instance.
// Built-ins come from `process.getBuiltinModule` (Node 22.3+) on Node 24; an older Node only
// hands over (node:child_process), loaded where needed: it costs a start ~4 ms of CPU.
'use strict';

// In parentheses: V8 compiles such a function with the script instead of pre-parsing it there and
// parsing it again at its first call; every start calls these (docs/design/start2.md).
const launcherCacheDir = (
  /**
   * The folder of bin's own code cache of compile-cache.cjs: compile-cache.cjs `cacheDir()`'s rule
   * (per user: never a shared folder another user could plant code in), which is not loaded yet.
   * @returns {string}
   */
  function launcherCacheDir() {
    const { join } = process.getBuiltinModule('node:path');
    const home = () => (process.platform === 'win32' ? undefined : process.env.HOME) || process.getBuiltinModule('node:os').homedir();
    if (process.platform === 'win32') return join(process.env.LOCALAPPDATA ?? join(home(), 'AppData', 'Local'), 'Terrarium', 'Cache', 'compile', 'launcher');
    if (process.platform === 'darwin') return join(home(), 'Library', 'Caches', 'Terrarium', 'compile', 'launcher');
    return join(process.env.XDG_CACHE_HOME || join(home(), '.cache'), 'terrarium', 'compile', 'launcher');
  }
);

const compileCache = (
  /**
   * main/compile-cache.cjs's exports: its text compiled in CommonJS's wrapper and called as Node's
   * loader would, without `require`, from a V8 code cache of its own. A `require` of a module
   * beside bin costs a `run FILE` ~1–2 ms of CPU (issue 14.2; docs/design/start2.md, binstart): its
   * resolution (`_findPath`, the JavaScript realpath, the package scope) is code nothing else in
   * such a start runs; and parsing the file's 15 KB and compiling what a start calls is ~1.5 M
   * instructions, ~0.5 ms, where the cache's are ~0.1 M. The cache file (per user,
   * `launcherCacheDir`, named by a hash of the file's path so that checkouts keep one each; `.l2`
   * its layout) holds the very text it was made from, then V8's data: V8 checks only a text's
   * length, so the cache is used only when the file's bytes equal the ones it holds (an edit of
   * any kind, whatever its mtime, is a mismatch). Made at the exit of a start that found none or a mismatch,
   * as the bundle's scripts' are (compile-cache.cjs `writeScriptCache`). compile-cache.cjs takes
   * nothing through `require`; its first instance in a thread keeps its exports on the realm's
   * global, where compile-cache.js (the ES face the shims import) takes them.
   * @returns {typeof import('../main/compile-cache.cjs')}
   */
  function compileCache() {
    const fs = process.getBuiltinModule('node:fs');
    const dir = `${process.getBuiltinModule('node:path').dirname(__dirname)}/main`;
    const file = `${dir}/compile-cache.cjs`;
    const text = fs.readFileSync(file);
    let hash = 0x811c9dc5; // FNV-1a of the path
    for (let i = 0; i < file.length; i++) hash = Math.imul(hash ^ file.charCodeAt(i), 0x01000193);
    const target = `${launcherCacheDir()}/compile-cache-${(hash >>> 0).toString(16)}.${process.versions.v8}-${process.arch}.l2`;
    /** @type {Buffer | undefined} */
    let cachedData;
    try {
      const read = fs.readFileSync(target);
      if (read.length > text.length && text.equals(read.subarray(0, text.length))) cachedData = read.subarray(text.length);
    } catch {
      // none yet: compiled from the text
    }
    const script = new (process.getBuiltinModule('node:vm').Script)(`(function (exports, require, module, __filename, __dirname) {${text.toString('utf8')}\n})`, { filename: file, cachedData });
    const cjs = { exports: {} };
    script.runInThisContext().call(cjs.exports, cjs.exports, require, cjs, file, dir);
    const exports = /** @type {typeof import('../main/compile-cache.cjs')} */ (cjs.exports);
    if (cachedData === undefined || script.cachedDataRejected === true) {
      process.once('exit', () => {
        try {
          exports.writeScriptCache(target, Buffer.concat([text, script.createCachedData()]));
        } catch {
          // a read-only cache folder: the next start compiles from the text again
        }
      });
    }
    return exports;
  }
);

const start = (
  /**
   * Runs the command on Node 24: the bundle when it is fresh, the sources otherwise.
   * @returns {Promise<void>}
   */
  async function start() {
    // The shims' imports of compile-cache.js meet this instance (the realm's global). Not at the
    // top: an older Node only hands over.
    const { enableCompileCache, freshBundle, loadCachedScript, startKind } = compileCache();
    const { pathToFileURL } = process.getBuiltinModule('node:url');
    const here = pathToFileURL(__filename);
    const bundle = freshBundle(`${process.getBuiltinModule('node:path').dirname(__dirname)}/`);
    if (bundle?.start === undefined) {
      enableCompileCache();
      await import(new URL(bundle === null ? '../main/cli.ts' : '../out/cli/cli.js', here).href);
      return;
    }
    // The bundle's script holds the whole command (and all of `run FILE`): run it straight from
    // its code cache, without the entry and the shim as ES modules (~1 ms here, issue 14.2). What
    // it imports lazily is resolved as its shim would: beside it, and packages from the project;
    // a script chunk (the library, `run APP`'s modules) is run from its code cache in the same
    // way, its static imports handed to it, without its shim and the shims it imports.
    // A `run FILE` or `run APP` may import no module at all (the library and run APP's own modules
    // are scripts too): this thread's module compile cache is turned on before its first import or
    // its first file host call (koffi's package; compile-cache.js), node:module and the cache's
    // set-up (~0.3 ms) only when one comes, workers' at once; every other start imports and turns
    // it on now.
    const kind = startKind(process.argv.slice(2));
    enableCompileCache({ modules: kind !== 'run-file' && kind !== 'run-app' });
    const { script, shim, main, scripts = {} } = bundle.start;
    const at = new URL(`../out/cli/${shim}`, here).href;
    /**
     * @param {string} spec
     * @returns {Promise<unknown>}
     */
    const importModule = async (spec) => {
      const chunk = spec.startsWith('./') ? scripts[spec.slice(2)] : undefined;
      if (chunk === undefined) {
        enableCompileCache();
        return import(spec.startsWith('./') ? new URL(spec, at).href : spec);
      }
      const deps = await Promise.all(chunk.deps.map(importModule));
      return loadCachedScript(new URL(`../out/cli/${chunk.script}`, here), new URL(spec, at).href, importModule, deps);
    };
    const exports = loadCachedScript(new URL(`../out/cli/${script}`, here), at, importModule);
    await /** @type {(argv: string[]) => Promise<never>} */ (exports[main])(process.argv.slice(2));
  }
);

if (Number(process.versions.node.split('.')[0]) >= 24) {
  // A rejection is reported as an uncaught error (exit code 1), as a top-level await's was.
  void start();
} else {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- bin is a CommonJS script (bin/package.json)
  const { spawnSync } = require('node:child_process');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- bin is a CommonJS script (bin/package.json)
  const { join } = require('node:path');
  const pinned = join(__dirname, '..', 'node_modules', 'node', 'bin', 'node');
  const r = spawnSync(pinned, [__filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.error) {
    process.stderr.write(`terrarium: needs Node 24 (run "npm install" first): ${r.error.message}\n`);
    process.exit(70);
  }
  process.exit(r.status ?? 128 + 2);
}
