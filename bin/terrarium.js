#!/usr/bin/env node
// Entry point of the `terrarium` command. Terrarium runs on Node 24 (the version Electron 45
// embeds), which the project pins as a dev dependency; an older `node` on PATH hands over to it.
// On Node 24 it turns the compile cache on before any TypeScript loads (main/compile-cache.js),
// then runs the bundled command (out/cli/, made by `npm run build`: no type stripping at start-up;
// its main script from V8's code cache, scripts/bundle-cli.ts) when it is newer than every source
// it was made from, and main/cli.ts otherwise.
// Built-ins come from `process.getBuiltinModule` (Node 22.3+), not ES imports: the ES facade of a
// built-in reads all its exports, and node:fs's load fs/promises, the file streams and the stream
// library, ~5 ms of every start (docs/design/startup.md). An older Node imports what it needs.
// main/compile-cache.js takes its built-ins where it uses them, so it is imported statically (one
// module graph with bin: no dynamic import's own work, ~1 ms) and still loads on an older Node.

import { enableCompileCache, loadCachedScript, startKind } from '../main/compile-cache.js';

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
        return v[12] * 1e3 + v[13] / 1e6; // mtime: seconds, nanoseconds (lib/internal/fs/utils.js getStatsFromBinding)
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
   * gone) since; null otherwise.
   * @returns {{ sources: string[], start?: BundleStart } | null}
   */
  function freshBundle() {
    const { readFileSync, statSync } = process.getBuiltinModule('node:fs');
    const root = fileURLToPath(new URL('../', import.meta.url));
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

const major = Number(process.versions.node.split('.')[0]);
const { fileURLToPath } = major >= 24 ? process.getBuiltinModule('node:url') : await import('node:url');
if (major >= 24) {
  const bundle = freshBundle();
  if (bundle?.start === undefined) {
    enableCompileCache();
    await import(bundle === null ? '../main/cli.ts' : '../out/cli/cli.js');
  } else {
    // The bundle's script holds the whole command (and all of `run FILE`): run it straight from
    // its code cache, without the entry and the shim as ES modules (~1 ms here, issue 14.2). What
    // it imports lazily is resolved as its shim would: beside it, and packages from the project;
    // a script chunk (the library, `run APP`'s modules) is run from its code cache in the same
    // way, its static imports handed to it, without its shim and the shims it imports.
    // A `run FILE` may import no module at all: this thread's module compile cache is turned on
    // before its first import (node:module and the cache's set-up, ~0.3 ms, only when one comes),
    // workers' at once; every other start imports (the library, koffi's package) and turns it on now.
    enableCompileCache({ modules: startKind(process.argv.slice(2)) !== 'run-file' });
    const { script, shim, main, scripts = {} } = bundle.start;
    const at = new URL(`../out/cli/${shim}`, import.meta.url).href;
    /**
     * @param {string} spec
     * @returns {Promise<unknown>}
     */
    const importModule = async (spec) => {
      enableCompileCache();
      const chunk = spec.startsWith('./') ? scripts[spec.slice(2)] : undefined;
      if (chunk === undefined) return import(spec.startsWith('./') ? new URL(spec, at).href : spec);
      const deps = await Promise.all(chunk.deps.map(importModule));
      return loadCachedScript(new URL(`../out/cli/${chunk.script}`, import.meta.url), new URL(spec, at).href, importModule, deps);
    };
    const exports = loadCachedScript(new URL(`../out/cli/${script}`, import.meta.url), at, importModule);
    await /** @type {(argv: string[]) => Promise<never>} */ (exports[main])(process.argv.slice(2));
  }
} else {
  const pinned = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  const self = fileURLToPath(import.meta.url);
  // Loaded only here: node:child_process costs a Node 24 start ~4 ms of CPU it never needs.
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(pinned, [self, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.error) {
    process.stderr.write(`terrarium: needs Node 24 (run "npm install" first): ${r.error.message}\n`);
    process.exit(70);
  }
  process.exit(r.status ?? 128 + 2);
}
