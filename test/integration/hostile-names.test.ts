/**
 * Shortcut files carry an app's name and description, which come from its package (issue 9, point
 * 9): no bidi override, control, line separator, non-character or lone surrogate reaches a Desktop
 * Entry, an Info.plist, a shortcut's description or file name, or a command's comment raw; long
 * values are cut at grapheme boundaries and say so; no value can add a key or a line.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { commandLauncher } from '../../main/integration/commands.ts';
import { desktopEntry } from '../../main/integration/linux.ts';
import { bundlePath, infoPlist } from '../../main/integration/macos.ts';
import { displayFileName } from '../../main/integration/names.ts';
import { shortcutFileName, windowsShortcut } from '../../main/integration/windows.ts';
import { LINUX, MAC, WINDOWS } from '../helpers/integration-hosts.ts';

/** Everything hostile at once: bidi tricks, ESC sequences, C1, separators, non-characters, a lone surrogate. */
const EVIL_NAME = 'trusted.wasm\u202Eexe.txt\u2066\u200B\uFFFE\ud800';
const EVIL_DESCRIPTION = 'Safe\u2028Exec=rm -rf ~\u2029\x1b]52;c;eA==\x07\u009b2J \u202Ereversed\nIcon=/tmp/evil.png\uFFFF';
const EVIL = { id: 'bad00001', name: EVIL_NAME, description: EVIL_DESCRIPTION };

/** Characters that act or hide (as the sanitiser defines them, checked here independently). */
const ACTING = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\u2028\u2029\ufeff\ufff9-\ufffb\ufdd0-\ufdef\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u;
const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A Desktop Entry's keys, read as the spec says: one key per line, values unescaped. */
function entryKeys(entry: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const line of entry.split('\n')) {
    const m = /^([A-Za-z0-9-]+)=(.*)$/.exec(line);
    if (!m) continue;
    expect(keys.has(m[1]!), `duplicate key ${m[1]}`).toBe(false);
    keys.set(m[1]!, m[2]!.replace(/\\([\\nstr])/g, (_, c: string) => ({ '\\': '\\', n: '\n', s: ' ', t: '\t', r: '\r' })[c]!));
  }
  return keys;
}

describe('Linux Desktop Entry', () => {
  it('Name= and Comment= show the tricks as escapes, add no key and no line', () => {
    const entry = desktopEntry(LINUX, EVIL);
    expect(entry).not.toMatch(ACTING);
    const k = entryKeys(entry);
    expect([...k.keys()].sort()).toEqual(['Categories', 'Comment', 'Exec', 'Icon', 'Name', 'StartupNotify', 'Terminal', 'Type', 'Version', 'X-Terrarium-App']);
    expect(k.get('Name')).toBe('trusted.wasm\\u{202e}exe.txt\\u{2066}\\u{200b}\\u{fffe}\\u{d800}');
    expect(k.get('Comment')).toContain('Safe\\u{2028}Exec=rm -rf ~\\u{2029}');
    expect(k.get('Comment')).toContain('\\u{202e}reversed Icon=/tmp/evil.png\\u{ffff}');
    expect(k.get('Icon')).not.toContain('evil');
  });

  it('a very long description is cut at a grapheme boundary and marked', () => {
    const comment = entryKeys(desktopEntry(LINUX, { ...EVIL, description: '👨‍👩‍👧'.repeat(200) })).get('Comment')!;
    expect(comment.length).toBeLessThanOrEqual(512);
    expect(comment.endsWith('👨‍👩‍👧…')).toBe(true);
  });
});

describe('macOS Info.plist', () => {
  it('is well-formed XML (a real parser reads it) holding the name with its tricks escaped', () => {
    const xml = infoPlist(MAC, EVIL);
    expect(xml).not.toMatch(ACTING);
    const parsed = JSON.parse(execFileSync('python3', ['-c', 'import json,plistlib,sys; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))'], { input: xml }).toString()) as Record<string, string>;
    expect(parsed.CFBundleName).toBe('trusted.wasm\\u{202e}exe.txt\\u{2066}\\u{200b}\\u{fffe}\\u{d800}');
    expect(parsed.CFBundleDisplayName).toBe(parsed.CFBundleName);
  });

  it("the bundle's folder name carries no override", () => {
    const bundle = bundlePath(MAC, EVIL);
    expect(bundle).toBe('/Users/ada/Applications/Terrarium Apps/trusted.wasm\uFFFDexe.txt\uFFFD\uFFFD\uFFFD\uFFFD.app');
  });
});

describe('Windows shortcut', () => {
  it('its description shows the tricks as escapes, within the shell limit, cut at a grapheme boundary', () => {
    const { description } = windowsShortcut(WINDOWS, EVIL);
    expect(description).not.toMatch(ACTING);
    expect(description).toContain('\\u{202e}reversed');
    const long = windowsShortcut(WINDOWS, { ...EVIL, description: `${'x'.repeat(258)}😀 and more` }).description;
    expect(long).toBe(`${'x'.repeat(258)}…`);
    expect(long).not.toMatch(LONE);
  });

  it('its file name has no override, no lone surrogate, and is cut at a grapheme boundary', () => {
    expect(shortcutFileName(EVIL)).toBe('trusted.wasm\uFFFDexe.txt\uFFFD\uFFFD\uFFFD\uFFFD.lnk');
    const cut = displayFileName(`${'x'.repeat(79)}😀😀`, 'a1');
    expect(cut).not.toMatch(LONE);
    expect(cut).toBe(`${'x'.repeat(79)}…`);
    expect(displayFileName('e\u0301'.repeat(100), 'a1').length).toBeLessThanOrEqual(80);
  });
});

describe('command launcher', () => {
  it("names the app in its comment without an override or a line break", () => {
    const script = commandLauncher(LINUX, EVIL);
    expect(script).not.toMatch(ACTING);
    expect(script.split('\n')[1]).toContain('trusted.wasm\\u{202e}exe.txt');
  });
});
