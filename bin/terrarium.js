#!/usr/bin/env node
// Entry point of the `terrarium` command (Node 24, the version Electron 45 embeds, pinned as a dev
// dependency; an older `node` on PATH hands over to it). Kept small: Node parses it at every
// start. What it starts is main/compile-cache.cjs `startCommand`, compiled from a V8 code cache
// (`compileCache`): the bundle (out/cli/) while it is fresh, main/cli.ts otherwise. CommonJS
// (bin/package.json): an ES entry costs Node's module job and link (docs/design/start2.md).
'use strict';

// In parentheses: compiled with the script, not pre-parsed and parsed again at the first call.
const launcherCacheDir = (
  /**
   * The folder of bin's code cache of compile-cache.cjs: `cacheDir()`'s rule there, not loaded yet.
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
   * main/compile-cache.cjs's exports, compiled from a code cache of its own that holds the text it
   * was made from (compile-cache.cjs `launcherCache`: why, and the cache's rules).
   * @returns {typeof import('../main/compile-cache.cjs')}
   */
  function compileCache() {
    const fs = process.getBuiltinModule('node:fs');
    const dir = `${process.getBuiltinModule('node:path').dirname(__dirname)}/main`;
    const file = `${dir}/compile-cache.cjs`;
    const text = fs.readFileSync(file);
    let hash = 0x811c9dc5; // FNV-1a of the path
    for (let i = 0; i < file.length; i++) hash = Math.imul(hash ^ file.charCodeAt(i), 0x01000193);
    /** @type {string | undefined} */
    let target;
    /** @type {Buffer | undefined} */
    let cachedData;
    try {
      // Inside the try: with no HOME and no passwd entry, homedir() throws; the text still runs.
      target = `${launcherCacheDir()}/compile-cache-${(hash >>> 0).toString(16)}.${process.versions.v8}-${process.arch}.l2`;
      const read = fs.readFileSync(target);
      if (read.length > text.length && text.equals(read.subarray(0, text.length))) cachedData = read.subarray(text.length);
    } catch {
      // none yet: compiled from the text
    }
    const script = new (process.getBuiltinModule('node:vm').Script)(`(function (exports, require, module, __filename, __dirname) {${text.toString('utf8')}\n})`, { filename: file, cachedData });
    const cjs = { exports: {} };
    script.runInThisContext().call(cjs.exports, cjs.exports, require, cjs, file, dir);
    const exports = /** @type {typeof import('../main/compile-cache.cjs')} */ (cjs.exports);
    if (target !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
      const to = target;
      process.once('exit', () => {
        try {
          exports.writeScriptCache(to, Buffer.concat([text, script.createCachedData()]));
        } catch {
          // a read-only cache folder: the next start compiles from the text again
        }
      });
    }
    return exports;
  }
);


if (Number(process.versions.node.split('.')[0]) >= 24) {
  // A rejection is reported as an uncaught error (exit code 1), as a top-level await's was. Not at
  // the top: an older Node only hands over. `import()` here: compile-cache.cjs runs from a
  // `vm.Script`, which has none of its own.
  void compileCache().startCommand(__filename, (url) => import(url));
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
