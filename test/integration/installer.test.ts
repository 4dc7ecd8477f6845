/**
 * The NSIS script Terrarium adds to electron-builder's installer (resources/installer.nsh),
 * compiled with makensis (Debian's nsis package) around stand-ins for what electron-builder
 * defines, and read for what it promises: the `terrarium` command on PATH, and an uninstaller
 * that asks separately, defaulting to keep, whether the app library goes.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import config from '../../electron-builder.config.ts';
import { launcherName } from '../../main/integration/cli-launch.ts';
import { windowsCommandsDir } from '../../main/integration/host.ts';
import { dataHome } from '../../main/library/home.ts';

const script = path.resolve(config.nsis!.include!);
const text = fs.readFileSync(script, 'utf8');
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'terrarium-nsis-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

/** What electron-builder's templates define that the script uses ($installMode, ${isUpdated}). */
const HARNESS = (include: string) => `Unicode true
!include LogicLib.nsh
RequestExecutionLevel user
OutFile "${path.join(temp, 'terrarium-installer.exe')}"
Var installMode
!macro _isUpdated _a _b _t _f
  StrCmp "$R9" "true" \`\${_t}\` \`\${_f}\`
!macroend
!define isUpdated \`"" isUpdated ""\`
!include "${include}"
Section "install"
  StrCpy $installMode "CurrentUser"
  !insertmacro customInstall
  WriteUninstaller "${path.join(temp, 'terrarium-uninstaller.exe')}"
SectionEnd
Section "un.Uninstall"
  !insertmacro customUnInstall
SectionEnd
`;

function makensis(include: string): { status: number | null; output: string } {
  const nsi = path.join(temp, 'harness.nsi');
  fs.writeFileSync(nsi, HARNESS(include));
  const r = spawnSync('makensis', ['-V2', '-WX', nsi], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}${r.error ?? ''}` };
}

describe('resources/installer.nsh', () => {
  it('compiles with makensis, warnings as errors (Debian: apt-get install nsis)', () => {
    const r = makensis(script);
    expect(r.status, r.output).toBe(0);
  });

  it('the compiler check is real: a jump to a missing label fails', () => {
    const broken = path.join(temp, 'broken.nsh');
    fs.writeFileSync(broken, text.replace('IDNO terrariumKeepLibrary', 'IDNO terrariumNoSuchLabel'));
    expect(makensis(broken).status).not.toBe(0);
  });

  it('writes the terrarium command into the PATH folder, handing over to the packed launcher', () => {
    expect(windowsCommandsDir({ home: 'C:\\Users\\ada', env: { LOCALAPPDATA: '$LOCALAPPDATA' } })).toBe('$LOCALAPPDATA\\Terrarium\\bin');
    expect(text).toContain('FileOpen $0 "$LOCALAPPDATA\\Terrarium\\bin\\terrarium.cmd" w');
    expect(text).toContain(`"$INSTDIR\\resources\\bin\\${launcherName('win32')}" %*`);
  });

  it('asks about settings and the library separately, each defaulting to keep, also when silent', () => {
    const questions = text.split('\n').filter((l) => /^\s*MessageBox /.test(l));
    expect(questions).toHaveLength(2);
    for (const q of questions) expect(q).toMatch(/MB_YESNO\|[A-Z_]+\|MB_DEFBUTTON2 .* \/SD IDNO IDNO \w+$/);
    expect(questions[0]).toMatch(/settings and caches .*not part of this/);
    expect(questions[1]).toMatch(/app library.*every app you installed.*cannot be undone/);
    // The library the second question deletes is where the app keeps it.
    expect(dataHome({ LOCALAPPDATA: '$LOCALAPPDATA' }, 'win32', 'C:\\Users\\ada')).toBe('$LOCALAPPDATA\\Terrarium\\library');
    const library = text.slice(text.indexOf(questions[1]!));
    expect(library).toContain('RMDir /r "$LOCALAPPDATA\\Terrarium\\library"');
    // The first question never deletes a library an older version kept in %APPDATA%\Terrarium.
    const settings = text.slice(text.indexOf(questions[0]!), text.indexOf(questions[1]!));
    for (const name of ['library.db', 'library.db-wal', 'library.db-shm', 'store', 'library']) expect(settings).toContain(`StrCmp $R1 "${name}" terrariumSkipSetting`);
    expect(settings).not.toMatch(/RMDir \/r "\$APPDATA\\Terrarium"/);
  });
});
