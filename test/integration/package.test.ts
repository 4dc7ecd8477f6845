/**
 * The offline packaging check (`npm run check:package`): electron-builder --dir --linux against a
 * stand-in Electron, then the asar, the unpacked native module and the fuses. Also checks that the
 * verifier catches what it is there to catch, on a hand-made bad build.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAsar } from '../../scripts/package-check/asar.ts';
import { REPO, checkPackage } from '../../scripts/package-check/run.ts';
import { writeStandInElectron } from '../../scripts/package-check/stand-in.ts';
import { NATIVE, verifyLinuxBuild } from '../../scripts/package-check/verify.ts';

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-package-test-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

/** `npm test` builds first; run alone, build only if the build is missing (never rebuild under other tests). */
const built = ['out/app/main/desktop/entry.js', 'out/renderer/index.html', 'out/preload/index.cjs'].every((p) => fs.existsSync(path.join(REPO, p)));

describe('npm run check:package', () => {
  it('packs an unpacked Linux build offline, and it holds what the app needs and nothing else', { timeout: 120_000 }, async () => {
    let log = '';
    const result = await checkPackage({ build: !built, log: (s) => (log += s) });
    expect(result.problems, log).toEqual([]);
    expect(log).toContain('using custom unpacked Electron distribution');
    expect(log).toContain('executing @electron/fuses');
  });
});

describe('the verifier', () => {
  it('reports a missing entry point, sources, dev dependencies, other platforms, a packed native module and unflipped fuses', async () => {
    const src = path.join(temp, 'app');
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ main: 'out/app/main/desktop/entry.js' }),
      'out/renderer/index.html': '<!doctype html>',
      'out/preload/index.cjs': '',
      'test/api.test.ts': '',
      'main/cli.ts': '',
      'out/app/main/x.js.map': '',
      'node_modules/vitest/index.js': '',
      'node_modules/ws/index.js': '',
      'node_modules/better-sqlite3/prebuilds/win32-x64.node': '',
      [NATIVE]: '',
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(src, rel)), { recursive: true });
      fs.writeFileSync(path.join(src, rel), text);
    }
    const out = path.join(temp, 'linux-unpacked');
    fs.mkdirSync(path.join(out, 'resources'), { recursive: true });
    const asar = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'))('@electron/asar') as {
      createPackage: (src: string, dest: string) => Promise<unknown>;
    };
    await asar.createPackage(src, path.join(out, 'resources', 'app.asar'));
    fs.copyFileSync(writeStandInElectron(path.join(temp, 'dist')), path.join(out, 'terrarium'));

    expect(readAsar(path.join(out, 'resources', 'app.asar')).read('package.json')?.toString()).toBe(files['package.json']);
    const problems = await verifyLinuxBuild(out, REPO);
    const expected = [
      /^out\/app\/main\/desktop\/entry\.js is not in the asar/,
      /^package\.json's main .* is not in the asar/,
      /linux-x64\.node is not marked unpacked/,
      /linux-x64\.node is not in app\.asar\.unpacked/,
      /^test\/api\.test\.ts is packed/,
      /^main\/cli\.ts is packed/,
      /^out\/app\/main\/x\.js\.map is packed/,
      /^node_modules\/vitest\/index\.js is packed \(not a production dependency\)/,
      /win32-x64\.node is packed \(another platform/,
      /RunAsNode fuse is not off/,
      /OnlyLoadAppFromAsar fuse is not on/,
    ];
    for (const e of expected) expect(problems.some((p) => e.test(p)), `${e}\n${problems.join('\n')}`).toBe(true);
    expect(problems.some((p) => p.startsWith('node_modules/ws/'))).toBe(false);
  });
});
