/** Quoting for each format, checked by reading the output back the way its consumer does. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cmdQuote, desktopValue, execArg, execLine, oneLine, shQuote, windowsArg, xmlText } from '../../main/integration/escape.ts';

const NASTY = ['plain', 'two words', "it's", 'say "hi"', '$HOME', '`id`', 'a\\b', '*', '; rm -rf ~', '-n', '', 'ünï çødé', '100%', 'tab\there', 'new\nline'];

/** CommandLineToArgvW's rules (as documented), to read windowsArg's output back. */
function windowsSplit(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (i >= line.length) break;
    let arg = '';
    let quoted = false;
    for (; i < line.length; i++) {
      const c = line[i]!;
      if (c === '\\') {
        let n = 0;
        for (; line[i] === '\\'; i++) n++;
        if (line[i] === '"') {
          arg += '\\'.repeat(n >> 1);
          if (n % 2 === 1) arg += '"';
          else quoted = !quoted;
        } else {
          arg += '\\'.repeat(n);
          i--;
        }
      } else if (c === '"') quoted = !quoted;
      else if ((c === ' ' || c === '\t') && !quoted) break;
      else arg += c;
    }
    out.push(arg);
  }
  return out;
}

/** A Desktop Entry reader: undo the value escapes, then split Exec into arguments (spec rules). */
function desktopUnescape(value: string): string {
  return value.replace(/\\([\\ntrs])/g, (_m, c: string) => ({ '\\': '\\', n: '\n', t: '\t', r: '\r', s: ' ' })[c]!);
}
function execSplit(exec: string): string[] {
  const line = desktopUnescape(exec);
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ') {
      i++;
      continue;
    }
    let arg = '';
    if (line[i] === '"') {
      for (i++; line[i] !== '"'; i++) {
        if (i >= line.length) throw new Error('unterminated quote');
        if (line[i] === '\\' && /["`$\\]/.test(line[i + 1] ?? '')) i++;
        arg += line[i];
      }
      i++;
    } else while (i < line.length && line[i] !== ' ') arg += line[i++];
    out.push(arg.replaceAll('%%', '%'));
  }
  return out;
}

describe('shQuote', () => {
  it('gives sh exactly the word, whatever it holds', () => {
    for (const word of NASTY) {
      const printed = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${shQuote(word)}`]).toString();
      expect(printed).toBe(`${word}\0`);
    }
  });
});

describe('Desktop Entry values', () => {
  it('escapes backslashes and controls, and a leading space', () => {
    expect(desktopValue('a\\b\nc\td\re')).toBe('a\\\\b\\nc\\td\\re');
    expect(desktopValue(' lead')).toBe('\\slead');
    expect(desktopUnescape(desktopValue(' x\\y\nz'))).toBe(' x\\y\nz');
  });

  it('quotes Exec arguments with reserved characters and doubles %', () => {
    expect(execArg('/usr/bin/terrarium')).toBe('/usr/bin/terrarium');
    expect(execArg('/home/me/My Apps/Terrarium.AppImage')).toBe('"/home/me/My Apps/Terrarium.AppImage"');
    expect(execArg('say "$x"')).toBe('"say \\"\\$x\\""');
    expect(execArg('100%')).toBe('100%%');
    expect(execArg('')).toBe('""');
    expect(() => execArg('a\nb')).toThrow(/line break/);
  });

  it('escapes the quoted Exec line again as a string value', () => {
    expect(execLine(['/opt/a b/t', '--run', 'x'])).toBe('"/opt/a b/t" --run x');
    expect(execLine(['/opt/"q"/t'])).toBe('"/opt/\\\\"q\\\\"/t"');
    expect(execLine(['/opt/back\\slash/t'])).toBe('"/opt/back\\\\\\\\slash/t"');
  });

  it('reads back as the same arguments', () => {
    const argv = NASTY.filter((a) => !a.includes('\n'));
    expect(execSplit(execLine(argv))).toEqual(argv);
  });
});

describe('windowsArg', () => {
  it('leaves plain arguments alone and reads back exactly', () => {
    expect(windowsArg('--run')).toBe('--run');
    expect(windowsArg('C:\\Program Files\\x')).toBe('"C:\\Program Files\\x"');
    const args = [...NASTY, 'C:\\ends with\\', 'a\\"b', '\\\\server\\share\\'];
    expect(windowsSplit(args.map(windowsArg).join(' '))).toEqual(args);
  });
});

describe('cmdQuote', () => {
  it('double-quotes, doubles %, and refuses what cmd.exe cannot carry', () => {
    expect(cmdQuote('C:\\Users\\a b\\terrarium.cmd')).toBe('"C:\\Users\\a b\\terrarium.cmd"');
    expect(cmdQuote('100%x')).toBe('"100%%x"');
    expect(cmdQuote('a&b|c^d')).toBe('"a&b|c^d"');
    expect(() => cmdQuote('a"b')).toThrow();
    expect(() => cmdQuote('a\r\nb')).toThrow();
  });
});

describe('xmlText and oneLine', () => {
  it('escapes markup and drops controls XML cannot hold', () => {
    expect(xmlText('<a & "b">\'')).toBe('&#60;a &#38; &#34;b&#34;&#62;&#39;');
    expect(xmlText('bell\u0007')).toBe('bell ');
    expect(oneLine(' a\nb\u0000c ')).toBe('a b c');
  });
});
