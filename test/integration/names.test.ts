import { describe, expect, it } from 'vitest';
import { checkAppId, commandNameProblem, displayFileName, suggestCommandName } from '../../main/integration/names.ts';

describe('command names', () => {
  it('accept plain names', () => {
    for (const ok of ['cowsay', 'qjs', 'py3.12', 'my_tool', 'c++', 'A1']) expect(commandNameProblem(ok)).toBeNull();
  });

  it('refuse separators, a leading dash or dot, metacharacters, device names and terrarium', () => {
    const bad: [string, RegExp][] = [
      ['', /needs a name/],
      ['a/b', /\//],
      ['..\\x', /\//],
      ['-rf', /dash/],
      ['.hidden', /dot/],
      ['x.', /end with a dot/],
      ['a b', /letters/],
      ['a;b', /letters/],
      ['$(id)', /letters/],
      ['`id`', /letters/],
      ['a*', /letters/],
      ['a\nb', /letters/],
      ['nul', /reserved/],
      ['COM1', /reserved/],
      ['Terrarium', /own command/],
      ['x'.repeat(65), /64/],
    ];
    for (const [name, why] of bad) expect(commandNameProblem(name), name).toMatch(why);
  });

  it('are suggested from the app name, falling back to the id', () => {
    expect(suggestCommandName('Cow Say!', 'a1b2c3d4')).toBe('cow-say');
    expect(suggestCommandName('Crème Brûlée', 'a1')).toBe('creme-brulee');
    expect(suggestCommandName('--rm -rf /', 'a1')).toBe('rm-rf');
    expect(suggestCommandName('日本語', 'a1b2')).toBe('app-a1b2');
    expect(suggestCommandName('con', 'a1b2')).toBe('app-a1b2');
    expect(suggestCommandName('terrarium', 'a1b2')).toBe('app-a1b2');
  });
});

describe('display file names', () => {
  it('keep the name, replacing what file systems forbid', () => {
    expect(displayFileName('Cow Say', 'a1')).toBe('Cow Say');
    expect(displayFileName('a/b\\c:d*e?f"g<h>i|j', 'a1')).toBe('a-b-c-d-e-f-g-h-i-j');
    expect(displayFileName('.hidden', 'a1')).toBe('hidden');
    expect(displayFileName('trailing. ', 'a1')).toBe('trailing');
    expect(displayFileName('new\nline', 'a1')).toBe('new line');
    expect(displayFileName('CON', 'a1')).toBe('App CON');
    expect(displayFileName('...', 'a1')).toBe('App a1');
    expect(displayFileName('x'.repeat(200), 'a1')).toHaveLength(80);
  });
});

describe('app ids', () => {
  it('are plain', () => {
    expect(checkAppId('1a2b3c4d')).toBe('1a2b3c4d');
    for (const bad of ['', '../x', 'a b', '-x', 'a\n']) expect(() => checkAppId(bad)).toThrow();
  });
});
