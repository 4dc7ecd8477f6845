/**
 * What a package or module says about itself is hostile (issue 9, point 9): a package whose version,
 * description and `[fs]` needs, and a module whose `producers` section and import names, hold
 * terminal escape sequences (OSC 52 clipboard write, clear screen, erase-line and a fake line, a
 * newline faking a `source:` line), C1 controls, bidi overrides, line separators and U+FFFE. The
 * real `terrarium` command must print none of them raw (install, list, info, errors), and its
 * `--json` output stays the exact data while carrying them only as `\u` escapes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppRecord } from '../../main/library/types.ts';
import { cli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp.ts';
import { buildModule, producersPayload } from '../helpers/library.ts';

const OSC52 = '\x1b]52;c;ZWNobyBwd25lZA==\x07';
const CLEAR = '\x1b[2J\x1b[H';
const FAKE_LINE = '\r\x1b[2K  verified:     signed by Terrarium';
const FAKE_SOURCE = '\n  source:       file /usr/share/trusted.wasm';
const BIDI = 'trusted.wasm\u202Eexe.txt\u2066x\u2069';
const C1 = '\u009b2J\u009d52;c;eA==\u009c';
const OTHER = '\uFFFE\uFFFF\u2028\u2029\u200B\u{E0041}';
const HOSTILE = [OSC52, CLEAR, FAKE_LINE, FAKE_SOURCE, BIDI, C1, OTHER].join(' ');

/** A TOML basic string holding `s` exactly (every non-ASCII or control character as \uXXXX / \UXXXXXXXX). */
function toml(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || cp === 0x22 || cp === 0x5c || cp >= 0x7f) out += cp > 0xffff ? `\\U${cp.toString(16).padStart(8, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** What a terminal would act on, found in `bytes`: ESC, C1 (as UTF-8), bidi controls, U+FFFE/F, separators. */
function actionable(bytes: Buffer): string[] {
  const found: string[] = [];
  if (bytes.includes(0x1b)) found.push('ESC');
  if (bytes.includes(0x07)) found.push('BEL');
  const text = bytes.toString('utf8');
  for (const m of text.matchAll(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2028\u2029\uFFFE\uFFFF\u{E0000}-\u{E007F}]/gu)) {
    found.push(`U+${m[0].codePointAt(0)!.toString(16).toUpperCase()}`);
  }
  // Every line break must be one Terrarium wrote: no CR (which rewinds a line) anywhere.
  if (bytes.includes(0x0d)) found.push('CR');
  return found;
}

let home: string;
let pkg: string;
beforeEach(() => {
  home = tempDir('terrarium-home-');
  pkg = tempDir('terrarium-pkg-');
  const module = buildModule({
    imports: ['fd_write', `path_open${OSC52}`],
    custom: [['producers', producersPayload({
      language: [[`C${CLEAR}`, `11${FAKE_LINE}`]],
      'processed-by': [[`clang${BIDI}`, `17${C1}${OTHER}${FAKE_SOURCE}`]],
    })]],
  });
  fs.writeFileSync(path.join(pkg, 'evil.wasm'), module);
  fs.writeFileSync(path.join(pkg, 'wasmer.toml'), [
    '[package]',
    'name = "acme/evil"',
    `version = ${toml(`1.0${FAKE_LINE}`)}`,
    `description = ${toml(HOSTILE)}`,
    '[[module]]',
    'name = "evil"',
    'source = "evil.wasm"',
    '[fs]',
    `${toml(`/data${OSC52}`)} = ${toml(`./data${FAKE_SOURCE}${BIDI}`)}`,
    '',
  ].join('\n'));
});
afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(pkg, { recursive: true, force: true });
});

/** Runs the CLI and returns its raw stdout and stderr bytes, expecting `code`. */
async function run(args: string[], code = 0): Promise<{ out: Buffer; err: Buffer }> {
  const r = await cli(home, args);
  expect(r.code, r.stderr).toBe(code);
  return { out: Buffer.from(r.stdout, 'utf8'), err: Buffer.from(r.stderr, 'utf8') };
}

/** The id of the one installed app. */
async function onlyId(): Promise<string> {
  const { out } = await run(['list', '--json']);
  return (JSON.parse(out.toString('utf8')) as { id: string }[])[0]!.id;
}

describe('human output of app-provided text', () => {
  it('install, list and info print no escape sequence, C1, bidi control, separator or non-character', async () => {
    const installed = await run(['install', pkg]);
    const list = await run(['list']);
    const info = await run(['info', await onlyId()]);
    for (const [what, r] of Object.entries({ installed, list, info })) {
      expect(actionable(r.out), `${what}: ${r.out.toString('utf8')}`).toEqual([]);
      expect(actionable(r.err), what).toEqual([]);
    }
    const text = info.out.toString('utf8');
    // The hostile parts are there, visibly, where they belong.
    expect(text).toContain('\\u{1b}]52;c;ZWNobyBwd25lZA==\\u{7}');
    expect(text).toContain('trusted.wasm\\u{202e}exe.txt');
    expect(text).toContain('\\u{fffe}\\u{ffff}\\u{2028}');
    expect(text).toContain('\\u{9b}2J');
    // No value starts a line of its own: one source line, one name line, no fake "verified" line.
    const lines = text.split('\n');
    expect(lines.filter((l) => /^\s*source:/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /^\s*verified:/.test(l))).toEqual([]);
    expect(lines.find((l) => l.startsWith('    folder '))).toContain('/data\\u{1b}]52');
    expect(text).toMatch(/language: +C\\u\{1b\}\[2J/);
    expect(text).toMatch(/built with: +clangtrusted\.wasm\\u\{202e\}/);
    expect(text).toMatch(/files +.*path_open\\u\{1b\}\]52/);
  });

  it('the name taken from the package is clean: the override is a visible U+FFFD, never acting', async () => {
    const manifest = path.join(pkg, 'wasmer.toml');
    fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('"acme/evil"', toml(`acme/evil${BIDI}`)));
    const { out } = await run(['install', pkg, '--json']);
    const { app } = JSON.parse(out.toString('utf8')) as { app: AppRecord };
    expect(app.name).toBe('eviltrusted.wasm\uFFFDexe.txt\uFFFDx\uFFFD');
  });

  it('a name given with --name that is not clean is refused, and the refusal is printed safely', async () => {
    const { out, err } = await run(['install', pkg, '--name', `x${CLEAR}y`], 1);
    expect(out.length).toBe(0);
    expect(actionable(err)).toEqual([]);
    expect(err.toString('utf8')).toMatch(/^terrarium: "x\\u\{1b\}\[2J\\u\{1b\}\[Hy" cannot be an app name: it contains the control or invisible character U\+001B\n$/);
    for (const bad of ['a/b', 'a\\b', '..', '.', `a${'\u202E'}b`, 'a\u2028b']) {
      const r = await cli(home, ['install', pkg, '--name', bad]);
      expect(r.code, bad).toBe(1);
      expect(r.stderr, bad).toMatch(/cannot be an app name/);
    }
  });

  it('an error that quotes the manifest prints it escaped', async () => {
    fs.writeFileSync(path.join(pkg, 'wasmer.toml'), `[[module]]\nname = ${toml(`m${OSC52}${FAKE_SOURCE}`)}\n`);
    const { err } = await run(['install', pkg], 1);
    expect(actionable(err)).toEqual([]);
    expect(err.toString('utf8').trimEnd().split('\n')).toHaveLength(1);
    expect(err.toString('utf8')).toContain('module "m\\u{1b}]52');
  });
});

describe('errors that quote a module', () => {
  it('run and install name a foreign import with its escape sequence shown, not acted on', async () => {
    const file = path.join(pkg, 'foreign.wasm');
    fs.writeFileSync(file, buildModule({ importModule: `env${CLEAR}`, imports: [`f${OSC52}${FAKE_SOURCE}`] }));
    for (const args of [['run', file], ['install', file]]) {
      const r = await cli(home, args);
      expect(r.code, args[0]).not.toBe(0);
      expect(actionable(Buffer.from(r.stderr, 'utf8')), r.stderr).toEqual([]);
      expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toContain('env\\u{1b}[2J');
    }
  });
});

describe('--json output of app-provided text', () => {
  it('is the exact data, with what a terminal would act on written as \\u escapes', async () => {
    const installed = await run(['install', pkg, '--json']);
    const list = await run(['list', '--json']);
    const info = await run(['info', await onlyId(), '--json']);
    for (const r of [installed, list, info]) expect(actionable(r.out), r.out.toString('utf8')).toEqual([]);
    const app = JSON.parse(info.out.toString('utf8')) as AppRecord;
    expect(app.description).toBe(HOSTILE);
    expect(app.version).toBe(`1.0${FAKE_LINE}`);
    expect(app.manifest?.needs).toEqual([{ kind: 'folder', guest: `/data${OSC52}`, host: `./data${FAKE_SOURCE}${BIDI}` }]);
    expect(app.inspection.producers).toEqual({
      language: [{ name: `C${CLEAR}`, version: `11${FAKE_LINE}` }],
      'processed-by': [{ name: `clang${BIDI}`, version: `17${C1}${OTHER}${FAKE_SOURCE}` }],
    });
    expect(app.inspection.wasiFunctions).toContain(`path_open${OSC52}`);
    const [summary] = JSON.parse(list.out.toString('utf8')) as { description: string }[];
    expect(summary!.description).toBe(HOSTILE);
  });
});
