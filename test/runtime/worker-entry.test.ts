import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freshWorkerIn, packagedWorker, workerEntry } from '../../main/runtime/run.ts';
import { repoRoot } from '../helpers/paths.ts';

// A checkout's run workers start from out/cli's bundled worker while it is fresh (warm-runs.md round 11).
describe('freshWorkerIn', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  /** A checkout with two sources and a bundle made from them; returns its root URL. */
  function checkout(): URL {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-entry-'));
    const sources = ['main/runtime/worker-main.ts', 'main/runtime/guest.ts'];
    for (const s of sources) {
      fs.mkdirSync(path.join(dir, path.dirname(s)), { recursive: true });
      fs.writeFileSync(path.join(dir, s), '');
      fs.utimesSync(path.join(dir, s), new Date(1000), new Date(1000));
    }
    fs.mkdirSync(path.join(dir, 'out/cli'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'out/cli/worker.js'), '');
    fs.writeFileSync(path.join(dir, 'out/cli/sources.json'), JSON.stringify({ sources }));
    return pathToFileURL(`${dir}/`);
  }

  it('is the bundle\'s worker while no source is newer than the bundle', () => {
    const root = checkout();
    expect(freshWorkerIn(root)?.href).toBe(new URL('out/cli/worker.js', root).href);
  });

  it('is none once a source changed after the bundle, or went', () => {
    const root = checkout();
    fs.utimesSync(new URL('main/runtime/guest.ts', root), new Date(), new Date(Date.now() + 60_000));
    expect(freshWorkerIn(root)).toBeUndefined();
    fs.rmSync(new URL('main/runtime/guest.ts', root));
    expect(freshWorkerIn(root)).toBeUndefined();
  });

  it('is none without a bundle, or with one that holds no worker', () => {
    const root = checkout();
    fs.writeFileSync(new URL('out/cli/sources.json', root), JSON.stringify({ sources: ['main/runtime/guest.ts'] }));
    expect(freshWorkerIn(root)).toBeUndefined();
    fs.rmSync(new URL('out/cli', root), { recursive: true });
    expect(freshWorkerIn(root)).toBeUndefined();
  });

  // It asks compile-cache.cjs `freshBundle` (bin's rule), loading that module where no start did
  // (the window, tests): which must then leave the thread as it was. A run's later use of files
  // would otherwise turn Node's module compile cache on in the window's process (a start's hook,
  // compile-cache.cjs listenForUses, installed only by a thread's first cached script).
  it('asks bin\'s rule without turning anything on in the asking process', () => {
    const root = checkout();
    const code = [
      `const { freshWorkerIn } = await import(${JSON.stringify(pathToFileURL(path.join(repoRoot, 'main/runtime/run.ts')).href)});`,
      `const { noteStartUse } = await import(${JSON.stringify(pathToFileURL(path.join(repoRoot, 'main/runtime/start-use.ts')).href)});`,
      `const worker = freshWorkerIn(new URL(${JSON.stringify(root.href)}));`,
      "noteStartUse('files');",
      "console.log(JSON.stringify({ worker: worker?.href ?? null, compileCache: process.env.NODE_COMPILE_CACHE ?? null, hook: typeof globalThis[Symbol.for('terrarium.start-used')] }));",
    ].join('\n');
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: path.join(dir!, 'cache') };
    delete env.NODE_COMPILE_CACHE;
    delete env.NODE_OPTIONS;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ worker: new URL('out/cli/worker.js', root).href, compileCache: null, hook: 'undefined' });
  });
});

// A packaged app's run workers start from the bundled worker it carries (warm-runs.md round 12):
// its run.js is known by where Electron shows it, inside app.asar.
describe('packagedWorker', () => {
  it('is out/cli/worker.js beside out/app for tsc\'s run.js inside an app.asar, on every system', () => {
    for (const url of [
      'file:///opt/Terrarium/resources/app.asar/out/app/main/runtime/run.js',
      'file:///tmp/.mount_TerrarXYZ/resources/app.asar/out/app/main/runtime/run.js',
      'file:///Applications/Terrarium.app/Contents/Resources/app.asar/out/app/main/runtime/run.js',
      'file:///C:/Users/A%20B/AppData/Local/Programs/Terrarium/resources/app.asar/out/app/main/runtime/run.js',
    ]) expect(packagedWorker(url)?.href, url).toBe(url.replace(/\/out\/app\/main\/runtime\/run\.js$/, '/out/cli/worker.js'));
  });

  it('is none for a checkout (sources, tsc\'s, the bundle), an app folder beside no asar, and other modules', () => {
    for (const url of [
      'file:///work/main/main/runtime/run.ts',
      'file:///work/main/out/app/main/runtime/run.js',
      'file:///work/main/out/cli/shell-BqrlYrXv.js',
      'file:///opt/Terrarium/resources/app/out/app/main/runtime/run.js',
      'file:///opt/Terrarium/resources/app.asar.unpacked/out/app/main/runtime/run.js',
      'file:///opt/Terrarium/resources/app.asar/out/app/main/runtime/worker.js',
      'data:text/javascript,/app.asar/out/app/main/runtime/run.js',
    ]) expect(packagedWorker(url), url).toBeUndefined();
  });

  it('is none for this test\'s own run.ts, whose workers start from the checkout\'s rule', () => {
    expect(packagedWorker(new URL('../../main/runtime/run.ts', import.meta.url).href)).toBeUndefined();
    expect(workerEntry().href).toMatch(/\/(?:out\/cli|main\/runtime)\/worker\.js$/);
  });
});

// A run's worker keeps a script cache of its own kind, written by a spare once booted: it is
// terminated, never reaches `exit` (warm-runs.md round 11).
describe('a worker\'s script cache', () => {
  it('is the worker kind\'s, written when the spare says it has booted', async () => {
    const { loadCachedScript } = await import('../../main/compile-cache.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-cache-'));
    const g = globalThis as unknown as Record<symbol, unknown>;
    const saved = process.env.XDG_CACHE_HOME;
    try {
      process.env.XDG_CACHE_HOME = dir;
      g[Symbol.for('terrarium.script-kind')] = 'worker';
      const file = path.join(dir, 'w-x.0123.script.js');
      fs.writeFileSync(file, '(function (importMetaUrl, importModule) {\nreturn { __proto__: null, a: () => 1 };\n})\n');
      const url = pathToFileURL(file);
      const out = loadCachedScript(url, url.href, (s) => import(s));
      expect((out.a as () => number)()).toBe(1);
      const booted = g[Symbol.for('terrarium.worker-booted')] as (() => void) | undefined;
      expect(booted).toBeTypeOf('function');
      booted!();
      const caches = fs.readdirSync(path.join(dir, 'terrarium', 'compile', 'scripts'));
      expect(caches).toEqual([`w-x.0123.${process.versions.v8}-${process.arch}.t1.worker`]);
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
      delete g[Symbol.for('terrarium.script-kind')];
      delete g[Symbol.for('terrarium.worker-booted')];
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
