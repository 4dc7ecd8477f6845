/** The packaging configuration, checked with electron-builder's own validator, and the fuses hook. */
import { createRequire } from 'node:module';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { type AfterPackContext, Arch } from 'electron-builder';
import { describe, expect, it, vi } from 'vitest';
import config from '../../electron-builder.config.ts';
import { afterPack, fuseConfig } from '../../scripts/after-pack.ts';

// app-builder-lib is electron-builder's own library; its validator is what `electron-builder` runs.
const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'));
const { validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration: (c: unknown, logger: unknown) => Promise<void>;
};
const { DebugLogger } = fromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const validate = (c: object) => validateConfiguration({ ...c }, new DebugLogger(false));

describe('electron-builder configuration', () => {
  it("passes electron-builder's schema validation", async () => {
    await expect(validate(config)).resolves.toBeUndefined();
  });

  it('the validator is real: it rejects a misspelt option', async () => {
    await expect(validate({ ...config, nsis: { ...config.nsis, oneClik: false } })).rejects.toThrow(/configuration\.nsis should be/);
  });

  it('names the app and targets NSIS, dmg (x64 and arm64), AppImage and deb', () => {
    expect(config).toMatchObject({
      appId: 'org.terrarium.app',
      productName: 'Terrarium',
      win: { target: [{ target: 'nsis' }] },
      mac: { target: [{ target: 'dmg', arch: ['x64', 'arm64'] }], category: 'public.app-category.developer-tools' },
      linux: { target: ['AppImage', 'deb'], category: 'Utility' },
    });
  });

  it('associates .wasm files, packs only the build, and never rebuilds native modules', () => {
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: 'wasm', mimeType: 'application/wasm' })]);
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'package.json']));
    expect(config.asarUnpack).toEqual(['**/node_modules/better-sqlite3/prebuilds/*.node']);
    expect(config).toMatchObject({ npmRebuild: false, nodeGypRebuild: false, buildDependenciesFromSource: false });
    expect(config.electronFuses).toBeUndefined(); // the afterPack hook sets them
  });

  it("names each target's native binary in its own platform section, never the build machine's ${platform}", () => {
    const all = JSON.stringify(config);
    expect(all).not.toContain('${platform}');
    const sections = { linux: config.linux!, darwin: config.mac!, win32: config.win! } as const;
    for (const [os, section] of Object.entries(sections)) {
      const files = section.files as string[];
      // Every other system's prebuilds are excluded; this one's, of the target's arch, stay.
      const others = ['linux', 'linuxmusl', 'darwin', 'win32'].filter((o) => o !== os);
      expect(files, os).toContain(`!**/node_modules/better-sqlite3/prebuilds/{${others.join(',')}}-*.node`);
      expect(files, os).toContain('**/node_modules/better-sqlite3/prebuilds/*-${arch}.node');
      expect(files, os).toEqual(expect.arrayContaining(['out/**', 'package.json', '!out/app/main/web{,/**/*}']));
    }
  });

  it('makes /usr/bin/terrarium on a deb the command, not the window', async () => {
    const fs = await import('node:fs');
    const install = fs.readFileSync(config.deb!.afterInstall!, 'utf8');
    const remove = fs.readFileSync(config.deb!.afterRemove!, 'utf8');
    expect(install).toContain("CLI='/opt/${sanitizedProductName}/resources/bin/${executable}'");
    expect(install).toContain(`update-alternatives --install '/usr/bin/\${executable}' '\${executable}' "$CLI" 100`);
    expect(install).not.toMatch(/--install .*"\$GUI"/);
    expect(remove).toContain("update-alternatives --remove '${executable}' '/opt/${sanitizedProductName}/resources/bin/${executable}'");
  });

  it('points at icons and an installer script that exist', async () => {
    const fs = await import('node:fs');
    for (const p of ['resources/icons/512x512.png', config.mac!.icon!, config.win!.icon!, config.nsis!.include!]) expect(fs.existsSync(p), p).toBe(true);
  });
});

describe('afterPack', () => {
  it('flips RunAsNode, NODE_OPTIONS and inspect off, asar integrity and only-load-from-asar on', () => {
    expect(fuseConfig()).toEqual({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
  });

  it('hands them to electron-builder’s fuse flipper, then fails a build whose binary did not take them', async () => {
    const addElectronFuses = vi.fn(async () => 1);
    const context = { appOutDir: '/nonexistent', electronPlatformName: 'linux', arch: Arch.x64, packager: { addElectronFuses, executableName: 'terrarium', appInfo: { productFilename: 'Terrarium' } } };
    await expect(afterPack(context as unknown as AfterPackContext)).rejects.toThrow();
    expect(addElectronFuses).toHaveBeenCalledWith(context, fuseConfig());
  });

  it('renews the ad-hoc signature of arm64 Mac builds only', () => {
    expect(fuseConfig({ electronPlatformName: 'darwin', arch: Arch.arm64 })).toMatchObject({ resetAdHocDarwinSignature: true });
    expect(fuseConfig({ electronPlatformName: 'darwin', arch: Arch.x64 })).not.toHaveProperty('resetAdHocDarwinSignature');
    expect(fuseConfig({ electronPlatformName: 'win32', arch: Arch.arm64 })).not.toHaveProperty('resetAdHocDarwinSignature');
  });
});
