/**
 * The offline packaging check (`npm run check:package`): electron-builder --dir for Linux, Windows
 * and macOS (x64 and arm64) against stand-in Electrons, then each build's asar, native module,
 * launcher and fuses, and the packed `terrarium` command run through install, grant and run. Also
 * checks that the verifier catches what it is there to catch, on a hand-made bad build.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packedLauncher } from '../../main/integration/cli-launch.ts';
import { readAsar } from '../../scripts/package-check/asar.ts';
import { reachable } from '../../scripts/package-check/reach.ts';
import { REPO, checkPackage } from '../../scripts/package-check/run.ts';
import { writeStandInElectron } from '../../scripts/package-check/stand-in.ts';
import { LINUX_GLIBC, TARGETS, binaryKind, glibcFloor, nativeOf } from '../../scripts/package-check/targets.ts';
import { verifyBuild } from '../../scripts/package-check/verify.ts';

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-package-test-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

/** `npm test` builds first; run alone, build only if the build is missing (never rebuild under other tests). */
const built = ['out/app/main/desktop/entry.js', 'out/app/main/cli.js', 'out/renderer/index.html', 'out/preload/index.cjs'].every((p) => fs.existsSync(path.join(REPO, p)));

describe('npm run check:package', () => {
  it('packs every target offline; each holds what the app needs and nothing else; the packed CLI runs', { timeout: 180_000 }, async () => {
    let log = '';
    const result = await checkPackage({ build: !built, log: (s) => (log += s) });
    expect(result.problems, log).toEqual([]);
    expect(log).toContain('using custom unpacked Electron distribution');
    for (const platform of ['linux', 'win32', 'darwin']) expect(log).toContain(`packaging       platform=${platform}`);
    expect(log).toContain('arch=arm64');
    expect(log).toContain('updating asar integrity executable resource');
    expect(log).toContain('executing @electron/fuses');
  });
});

const asarLib = () =>
  createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'))('@electron/asar') as {
    createPackage: (src: string, dest: string) => Promise<unknown>;
  };

function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
}

describe('the verifier', () => {
  it('reports a missing entry point, sources, dev dependencies, unreached files, a wrong native module, no launcher and unflipped fuses', async () => {
    const target = TARGETS.find((t) => t.os === 'darwin' && t.arch === 'x64')!;
    const src = path.join(temp, 'app');
    writeTree(src, {
      'package.json': JSON.stringify({ main: 'out/app/main/desktop/entry.js', productName: 'terrarium' }),
      'out/renderer/index.html': '<!doctype html>',
      'out/preload/index.cjs': '',
      'out/app/main/cli.js': '',
      'out/app/main/web/server.js': "import 'ws';",
      'test/api.test.ts': '',
      'main/cli.ts': '',
      // The bundled worker's compile-cache module is packed beside out/ (at ../../main/ from out/cli).
      'main/compile-cache.js': '',
      // Web mode's command, which the packed CLI refuses before the bundle loads.
      'out/cli/ui-command-DDDDDDDD.js': '',
      'out/app/main/x.js.map': '',
      'node_modules/vitest/index.js': '',
      // Issue 15: jco-transpile's optimiser, a production dependency Terrarium never runs.
      'node_modules/binaryen/index.js': '',
      // ... and its minifier (native).
      'node_modules/oxc-minify/index.js': '',
      'node_modules/better-sqlite3/prebuilds/win32-x64.node': '',
      // The arm64 build's binary where the x64 build's belongs.
      [nativeOf(target)]: fs.readFileSync(path.join(REPO, 'node_modules/better-sqlite3/prebuilds/darwin-arm64.node')),
    });
    const out = path.join(temp, 'mac');
    const resources = path.join(out, 'Terrarium.app', 'Contents', 'Resources');
    fs.mkdirSync(resources, { recursive: true });
    await asarLib().createPackage(src, path.join(resources, 'app.asar'));
    writeStandInElectron(path.join(temp, 'electron-mac'), 'darwin');
    fs.cpSync(path.join(temp, 'electron-mac', 'Electron.app', 'Contents', 'Frameworks'), path.join(out, 'Terrarium.app', 'Contents', 'Frameworks'), { recursive: true });

    expect(JSON.parse(readAsar(path.join(resources, 'app.asar')).read('package.json')!.toString())).toMatchObject({ productName: 'terrarium' });
    const problems = await verifyBuild(target, out, REPO);
    const expected = [
      /^out\/app\/main\/desktop\/entry\.js is not in the asar/,
      /^package\.json's main .* is not in the asar/,
      /productName is "terrarium", not "Terrarium"/,
      /darwin-x64\.node is not marked unpacked/,
      /darwin-x64\.node is not in app\.asar\.unpacked/,
      /^test\/api\.test\.ts is packed/,
      /^main\/cli\.ts is packed/,
      /^out\/app\/main\/x\.js\.map is packed/,
      /^node_modules\/vitest\/index\.js is packed \(not a production dependency\)/,
      /^node_modules\/binaryen\/index\.js is packed \(binaryen, jco-transpile's optimiser/,
      /^node_modules\/oxc-minify\/index\.js is packed \(oxc-minify, jco-transpile's minifier/,
      /win32-x64\.node is packed \(another target's/,
      /^out\/app\/main\/web\/server\.js is packed, but no entry point/,
      /^out\/cli\/worker\.js is not in the asar/,
      /^out\/cli\/ui-command-DDDDDDDD\.js is packed, but is left out on purpose/,
      /launcher \(resources\/bin\/terrarium\) is missing/,
      // koffi's binary for the target (the native host calls) lives in the resources folder.
      /^resources\/koffi\/darwin_x64\/koffi\.node is not in the resources folder/,
      /RunAsNode fuse is not off/,
      /OnlyLoadAppFromAsar fuse is not on/,
    ];
    for (const e of expected) expect(problems.some((p) => e.test(p)), `${e}\n${problems.join('\n')}`).toBe(true);
    expect(problems.filter((p) => p.startsWith('main/compile-cache.js is packed (')), problems.join('\n')).toEqual([]);
  });

  it('tells each target binary by its header', () => {
    for (const name of ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64']) {
      const [osName, arch] = name.split('-');
      expect(binaryKind(fs.readFileSync(path.join(REPO, 'node_modules/better-sqlite3/prebuilds', `${name}.node`))), name).toEqual({ os: osName, arch });
    }
    expect(binaryKind(Buffer.from('#!/bin/sh\n'.padEnd(80)))).toBeNull();
  });

  it("reads the Linux build's glibc floor from its native module, and the README states it", () => {
    for (const arch of ['x64', 'arm64']) expect(glibcFloor(fs.readFileSync(path.join(REPO, `node_modules/better-sqlite3/prebuilds/linux-${arch}.node`))), arch).toBe(LINUX_GLIBC);
    expect(glibcFloor(Buffer.from('\0GLIBC_2.2.5\0GLIBC_2.17\0GLIBC_2.3\0'))).toBe('2.17');
    expect(glibcFloor(Buffer.from('no versions'))).toBeNull();
    expect(fs.readFileSync(path.join(REPO, 'README.md'), 'utf8')).toContain(`glibc ${LINUX_GLIBC}`);
  });
});

describe('reachability', () => {
  const files = (tree: Record<string, string>) => ({ files: new Set(Object.keys(tree)), read: (p: string) => (p in tree ? Buffer.from(tree[p]!) : null) });

  it('follows static, dynamic, re-export, require and worker-URL edges, and packages by their exports', () => {
    const tree = {
      'entry.js': "import a from './a.js'; export * from './b.js'; const c = await import('./c.js'); new Worker(new URL('./w.js', import.meta.url)); import 'pkg';",
      'a.js': "const x = require('./cjs');",
      'b.js': '',
      'c.js': "import fs from 'node:fs'; import path from 'path';",
      'w.js': '',
      'cjs.js': '',
      'lonely.js': '',
      'node_modules/pkg/package.json': JSON.stringify({ exports: { import: './dist/index.js', require: './dist/index.cjs' } }),
      'node_modules/pkg/LICENSE': '',
      'node_modules/pkg/dist/index.js': '',
      'node_modules/pkg/dist/index.cjs': '',
    };
    const { reached, missing } = reachable(files(tree), ['entry.js']);
    expect([...reached].sort()).toEqual(['a.js', 'b.js', 'c.js', 'cjs.js', 'entry.js', 'node_modules/pkg/LICENSE', 'node_modules/pkg/dist/index.js', 'node_modules/pkg/package.json', 'w.js']);
    expect(missing).toEqual([]);
  });

  it('resolves a package from the nearest node_modules up the tree, through subpath patterns; a quoted word in a message is no import', () => {
    const tree = {
      'entry.js': "import 'gen/component';",
      'node_modules/gen/package.json': JSON.stringify({ exports: { './component': './vendor/gen.js' } }),
      'node_modules/gen/vendor/gen.js': "import { a } from 'shim/cli'; throw new Error(\"unexpectedly undefined local import 'getEnvironment'\");",
      // The generator's own (nested) copy wins over the hoisted one.
      'node_modules/gen/node_modules/shim/package.json': JSON.stringify({ exports: { './*': { node: './dist/nodejs/*.js', default: './dist/browser/*.js' } } }),
      'node_modules/gen/node_modules/shim/dist/nodejs/cli.js': '',
      'node_modules/gen/node_modules/shim/dist/browser/cli.js': '',
      'node_modules/shim/package.json': JSON.stringify({ main: 'index.js' }),
      'node_modules/shim/index.js': '',
    };
    const { reached, missing } = reachable(files(tree), ['entry.js']);
    expect(missing).toEqual([]);
    expect([...reached].filter((f) => f.endsWith('.js')).sort()).toEqual(['entry.js', 'node_modules/gen/node_modules/shim/dist/nodejs/cli.js', 'node_modules/gen/vendor/gen.js']);
  });

  it("follows a cached script's edges (the bundle's: its shim's import and URL); web mode's chunk may be left out", () => {
    const tree = {
      'out/cli/worker.js': 'import { a } from "../../main/compile-cache.js"; await import("./worker-main-AAAAAAAA.js");',
      'main/compile-cache.js': "/** @type {typeof import('./compile-cache.cjs')} */",
      'main/compile-cache.cjs': '',
      'out/cli/worker-main-AAAAAAAA.js': 'import { b } from "./shell-BBBBBBBB.js";',
      'out/cli/shell-BBBBBBBB.js': 'import { loadCachedScript } from "../../main/compile-cache.js";\nloadCachedScript(new URL("./shell-BBBBBBBB.0123456789abcdef.script.js", import.meta.url), import.meta.url, (s) => import(s));',
      'out/cli/shell-BBBBBBBB.0123456789abcdef.script.js':
        '(function (importMetaUrl, importModule) {\nconst c = () => importModule("./run-component-CCCCCCCC.js");\nconst l = () => importModule("./ui-command-DDDDDDDD.js");\nconst t = new URL("./transpile-worker.js", importMetaUrl);\nconst w = new URL("./worker.js", importMetaUrl);\n})',
      'out/cli/run-component-CCCCCCCC.js': '',
      'out/cli/transpile-worker.js': '',
    };
    const { reached, missing } = reachable(files(tree), ['out/cli/worker.js']);
    expect(missing).toEqual([]);
    expect([...reached].sort()).toEqual(Object.keys(tree).sort());
    // Without the component host, the script's import of it is missing (once).
    const { 'out/cli/run-component-CCCCCCCC.js': _, ...partial } = tree;
    expect(reachable(files(partial), ['out/cli/worker.js']).missing).toEqual(['out/cli/shell-BBBBBBBB.0123456789abcdef.script.js imports ./run-component-CCCCCCCC.js, which is not packed']);
  });

  it('reports an import of a file that is not packed', () => {
    expect(reachable(files({ 'e.js': "import './gone.js';" }), ['e.js']).missing).toEqual(['e.js imports ./gone.js, which is not packed']);
  });
});

describe('the packed launcher', () => {
  it.each(['linux', 'darwin'] as const)('on %s finds the executable through a symbolic link and passes arguments byte for byte', async (platform) => {
    const root = path.join(temp, `launch-${platform}`);
    const launcher = packedLauncher(platform, platform === 'linux' ? '../terrarium' : '../MacOS/Terrarium');
    const exe = platform === 'linux' ? path.join(root, 'terrarium') : path.join(root, 'MacOS', 'Terrarium');
    writeTree(root, {});
    fs.mkdirSync(path.join(root, 'resources', 'bin'), { recursive: true });
    fs.mkdirSync(path.dirname(exe), { recursive: true });
    const bin = platform === 'linux' ? path.join(root, 'resources', 'bin') : path.join(root, 'Resources', 'bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, launcher.name), launcher.content, { mode: launcher.mode });
    fs.writeFileSync(exe, '#!/bin/sh\nfor a in "$@"; do printf "<%s>" "$a"; done\nexit 9\n', { mode: 0o755 });
    // As /usr/bin/terrarium links to the deb's launcher.
    fs.mkdirSync(path.join(root, 'usr-bin'));
    fs.symlinkSync(path.join(bin, launcher.name), path.join(root, 'usr-bin', 'terrarium'));
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(path.join(root, 'usr-bin', 'terrarium'), ['run', 'app', '--', "it's", ' two words ', '$HOME', '--type=gpu'], { encoding: 'utf8' });
    const prefix = platform === 'linux' ? '<--ozone-platform=headless><--disable-gpu>' : '<--disable-gpu>';
    expect(r.stdout).toBe(`${prefix}<--terrarium-cli><--><run><app><--><it's>< two words ><$HOME><--type=gpu>`);
    expect(r.status).toBe(9);
  });

  it('on Windows runs Terrarium.exe beside resources in CLI mode, and returns its exit code', () => {
    const { content, name } = packedLauncher('win32', '../Terrarium.exe');
    expect(name).toBe('terrarium.cmd');
    expect(content.split('\r\n')).toEqual(['@echo off', 'setlocal DisableDelayedExpansion', '"%~dp0..\\..\\Terrarium.exe" --disable-gpu --terrarium-cli -- %*', 'exit /b %ERRORLEVEL%', '']);
  });
});
