import { describe, expect, it } from 'vitest';
import { checkWindowsComponent, checkWindowsPath } from '../../main/runtime/windows-paths.ts';

/** Components Windows opens as ordinary entries with exactly that name. */
const acceptedComponents: string[] = [
  'a',
  'file.txt',
  'README',
  '.hidden',
  '.',
  '..',
  'console.log',
  'com10',
  'COM10.txt',
  'lpt',
  'lpt10',
  'com',
  'nul_file',
  'auxiliary',
  'prn2',
  'conin',
  'conout',
  'CONIN$x',
  'coma',
  'con-fig',
  'x.con',
  'my.nul',
  'a.b.c',
  ' leading-space',
  'with space',
  'COM\u2074', // superscript four is not reserved
  'COM\u2081', // subscript one is not reserved
  'naïve',
  '日本語',
  'emoji-😀',
  'a$b',
  '%PATH%',
  'semi;colon',
  'name#1',
  'tab-less',
  '\u007F', // DEL is allowed by Win32
];

/** Components that must be refused. */
const refusedComponents: string[] = [
  '',
  'CON',
  'con',
  'Con',
  'PRN',
  'AUX',
  'NUL',
  'nul.txt',
  'NUL.tar.gz',
  'CON.tar.gz',
  'con .',
  'con ',
  'con .txt',
  'aux...',
  'aux.',
  'COM0',
  'com1',
  'COM9',
  'LPT0',
  'lpt5',
  'LPT9.log',
  'COM\u00B9',
  'com\u00B2.txt',
  'LPT\u00B3',
  'lpt\u00B9 .',
  'CONIN$',
  'conout$',
  'CONOUT$.txt',
  'conın$', // dotless ı upper-cases to I
  'file:stream',
  'file::$DATA',
  'a:',
  ':',
  'C:',
  'c:foo',
  'a.',
  'a ',
  'name. ',
  '...',
  'trail.  ',
  'a\u0000b',
  'tab\there',
  'new\nline',
  '\u001F',
  'a<b',
  'a>b',
  'a"b',
  'a|b',
  'what?',
  'star*',
  'a\\b',
  'a/b',
];

describe('checkWindowsComponent', () => {
  it.each(acceptedComponents)('accepts %j', (name) => {
    expect(checkWindowsComponent(name)).toBeNull();
  });

  it.each(refusedComponents)('refuses %j', (name) => {
    const reason = checkWindowsComponent(name);
    expect(reason).not.toBeNull();
    expect(typeof reason).toBe('string');
  });

  it('names the rule that refused', () => {
    expect(checkWindowsComponent('nul.txt')).toMatch(/device/);
    expect(checkWindowsComponent('file::$DATA')).toMatch(/data stream/);
    expect(checkWindowsComponent('a.')).toMatch(/dot or space/);
    expect(checkWindowsComponent('a\u0001')).toMatch(/control/);
    expect(checkWindowsComponent('a*')).toMatch(/"\*"/);
    expect(checkWindowsComponent('C:')).toMatch(/drive/);
    expect(checkWindowsComponent('a\\b')).toMatch(/backslash/);
  });

  it('refuses every control character and accepts the printable neighbours', () => {
    for (let c = 0; c <= 0x1f; c++) {
      expect(checkWindowsComponent(`x${String.fromCharCode(c)}y`)).not.toBeNull();
    }
    expect(checkWindowsComponent('x y')).toBeNull();
  });
});

/** Paths that carry no Windows-specific meaning. */
const acceptedPaths: string[] = [
  '',
  'a',
  'a/b/c.txt',
  'a//b',
  'dir/',
  './x',
  '../x',
  'a/../b',
  '/abs/path', // absoluteness is path resolution's business, not a Windows prefix
  'logs/console.log',
  'com10/lpt/nul_file',
  'x/auxiliary/y',
];

/** Paths that must be refused. */
const refusedPaths: string[] = [
  '\\\\?\\C:\\Windows',
  '\\\\.\\PhysicalDrive0',
  '\\??\\C:\\x',
  '\\\\server\\share\\f',
  '//server/share/f',
  '//?/C:/Windows',
  '//./PhysicalDrive0',
  '\\x',
  'a\\b',
  'dir/sub\\file',
  'C:',
  'C:/Windows',
  'c:relative',
  'z:\\',
  'a/NUL',
  'a/nul.txt/b',
  'CON/x',
  'a/b/COM\u00B3',
  'x/aux . /y',
  'x/file:stream',
  'x/file::$DATA',
  'dir./x',
  'x/dir /y',
  'x/a?b',
  'x/a*',
  'x/a<b',
  'x/a\u0000',
];

describe('checkWindowsPath', () => {
  it.each(acceptedPaths)('accepts %j', (path) => {
    expect(checkWindowsPath(path)).toBeNull();
  });

  it.each(refusedPaths)('refuses %j', (path) => {
    const reason = checkWindowsPath(path);
    expect(reason).not.toBeNull();
    expect(typeof reason).toBe('string');
  });

  it('names the prefix it refused', () => {
    expect(checkWindowsPath('\\\\?\\C:\\x')).toMatch(/\\\\\?\\/);
    expect(checkWindowsPath('\\\\.\\COM1')).toMatch(/device namespace/);
    expect(checkWindowsPath('\\??\\C:')).toMatch(/NT object/);
    expect(checkWindowsPath('//host/share')).toMatch(/UNC/);
    expect(checkWindowsPath('D:/x')).toMatch(/drive/);
  });

  it('names the offending component', () => {
    expect(checkWindowsPath('ok/also-ok/LPT1.txt/more')).toMatch(/^"LPT1\.txt": /);
  });
});
