/** CLI mode of the packaged app: which argv asks for it, and what the command gets. */
import { describe, expect, it } from 'vitest';
import { inPackage } from '../../main/desktop/cli-mode.ts';
import { CLI_FLAG, cliArguments, cliPrefix } from '../../main/integration/cli-launch.ts';

describe('cliArguments', () => {
  it('returns what follows the launcher\'s `--`, exactly', () => {
    expect(cliArguments(['/opt/Terrarium/terrarium', '--ozone-platform=headless', '--disable-gpu', CLI_FLAG, '--', 'run', 'app', '--', '--x', ''])).toEqual(['run', 'app', '--', '--x', '']);
    // Under `electron .` (the app folder second) and plain Node (the entry script second).
    expect(cliArguments(['electron', '/src/terrarium', CLI_FLAG, '--', 'list'])).toEqual(['list']);
    expect(cliArguments(['node', 'entry.js', CLI_FLAG, '--'])).toEqual([]);
  });

  it('is null for the window: no flag, the flag without `--`, or the flag only after `--`', () => {
    expect(cliArguments(['Terrarium', '--run', 'app'])).toBeNull();
    expect(cliArguments(['Terrarium', 'x.wasm'])).toBeNull();
    expect(cliArguments(['Terrarium', CLI_FLAG, 'list'])).toBeNull();
    expect(cliArguments(['Terrarium', '--', CLI_FLAG, '--', 'list'])).toBeNull();
  });

  it('turns the GPU off everywhere, and puts the headless display switch first on Linux only', () => {
    expect(cliPrefix('linux')).toEqual(['--ozone-platform=headless', '--disable-gpu', CLI_FLAG, '--']);
    expect(cliPrefix('darwin')).toEqual(['--disable-gpu', CLI_FLAG, '--']);
    expect(cliPrefix('win32')).toEqual(['--disable-gpu', CLI_FLAG, '--']);
  });
});

// In a package, the command runs the bundled command the package carries (warm-runs.md round 12).
describe('inPackage', () => {
  it("is true for tsc's cli-mode.js inside an app.asar, on every system", () => {
    for (const url of [
      'file:///opt/Terrarium/resources/app.asar/out/app/main/desktop/cli-mode.js',
      'file:///Applications/Terrarium.app/Contents/Resources/app.asar/out/app/main/desktop/cli-mode.js',
      'file:///C:/Users/A%20B/AppData/Local/Programs/Terrarium/resources/app.asar/out/app/main/desktop/cli-mode.js',
    ]) expect(inPackage(url), url).toBe(true);
  });

  it('is false in a checkout (sources, tsc\'s), beside no asar, and for other modules', () => {
    for (const url of [
      'file:///work/main/main/desktop/cli-mode.ts',
      'file:///work/main/out/app/main/desktop/cli-mode.js',
      'file:///opt/Terrarium/resources/app/out/app/main/desktop/cli-mode.js',
      'file:///opt/Terrarium/resources/app.asar/out/app/main/desktop/entry.js',
      'data:text/javascript,/app.asar/out/app/main/desktop/cli-mode.js',
    ]) expect(inPackage(url), url).toBe(false);
    expect(inPackage(new URL('../../main/desktop/cli-mode.ts', import.meta.url).href)).toBe(false);
  });
});
