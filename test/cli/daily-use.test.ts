/**
 * The CLI for everyday use (issue 13.9), through the real `terrarium` command: --version, help
 * for every command (overview, `help COMMAND`, `COMMAND --help`), "did you mean" for a mistyped
 * command, option or app, `list`'s header row, `audit` in words, and one rule for `-name`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../main/cli/commands.ts';
import { cli, repoRoot } from '../helpers/cli.ts';
import { fixture } from '../helpers/paths.ts';
import { tempDir } from '../helpers/temp.ts';
import { withLibrary } from '../helpers/library.ts';

let home: string;

beforeAll(async () => {
  home = tempDir('terrarium-daily-');
  for (const f of ['proc.wasm', 'stdio.wasm']) expect((await cli(home, ['install', fixture(f)])).code).toBe(0);
});

afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

/** Expects a usage error: exit 2, nothing on stdout, a first stderr line matching `match`. */
function expectUsage(r: { code: number | null; stdout: string; stderr: string }, match: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.split('\n')[0]).toMatch(match);
}

describe('--version and help', () => {
  it('terrarium --version prints the package version', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const r = await cli(home, ['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `terrarium ${pkg.version}\n`, stderr: '' });
  });

  it('the overview lists every command with its summary, on stdout for help and on stderr (exit 2) for nothing', async () => {
    const help = await cli(home, ['help']);
    expect(help.code).toBe(0);
    for (const c of commands()) expect(help.stdout).toMatch(new RegExp(`^ {2}${c.name} +${c.summary.replace(/[()]/g, '\\$&')}$`, 'm'));
    expect((await cli(home, ['--help'])).stdout).toBe(help.stdout);
    const none = await cli(home, []);
    expect(none).toMatchObject({ code: 2, stdout: '', stderr: help.stdout });
  });

  it.each(commands().filter((c) => c.name !== 'help').map((c) => c.name))('help %s and %s --help: usage, description, every option, examples', async (name) => {
    const a = await cli(home, ['help', name]);
    const b = await cli(home, [name, '--help']);
    const c = await cli(home, [name, '-h']);
    expect(a.code).toBe(0);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    const def = commands().find((x) => x.name === name)!;
    expect(a.stdout).toMatch(new RegExp(`^usage: terrarium ${name}\\b`));
    expect(a.stdout.replace(/\s+/g, ' ')).toContain(def.description.slice(0, 40));
    for (const o of Object.keys(def.options)) expect(a.stdout).toMatch(new RegExp(`^ {2}--${o}\\b`, 'm'));
    expect(a.stdout).toMatch(/\nexamples:\n {2}terrarium /);
  });

  it('--help after a module or app goes to the app, not to terrarium', async () => {
    const r = await cli(home, ['run', fixture('proc.wasm'), '--help']);
    expect(r.stdout).not.toContain('usage: terrarium');
  });

  it('a usage error names the command and shows its usage line', async () => {
    const r = await cli(home, ['grant', 'proc']);
    expectUsage(r, /^terrarium: grant needs at least one of .* \(see "terrarium grant --help"\)$/);
    expect(r.stderr.split('\n')[1]).toMatch(/^usage: terrarium grant APP \[--dir /);
  });
});

describe('did you mean', () => {
  it.each([
    [['grnat', 'proc'], /unknown command "grnat"; did you mean "grant"\?/],
    [['instal', 'x.wasm'], /did you mean "install"\?/],
    [['histroy', 'proc'], /did you mean "history"\?/],
    [['help', 'lst'], /unknown command "lst"; did you mean "list"\?/],
    [['list', '--jsn'], /unknown option --jsn; did you mean "--json"\?/],
    [['audit', 'proc', '--decison', 'denied'], /did you mean "--decision"\?/],
  ])('%j', async (args, match) => {
    expectUsage(await cli(home, args), match);
  });

  it('says nothing when no command is close', async () => {
    const r = await cli(home, ['frobnicate']);
    expectUsage(r, /^terrarium: unknown command "frobnicate" \(see/);
    expect(r.stderr).not.toContain('did you mean');
  });

  it.each([
    [['info', 'prco']], [['grants', 'stdoi']], [['run', 'prc']], [['history', 'PROC2']],
  ])('a mistyped app name: %j (exit 1, one line)', async (args) => {
    const r = await cli(home, args);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^terrarium: no installed app is called "[^"]+"; did you mean "(proc|stdio)"\?\n$/);
  });

  it('no suggestion for an app name far from every installed one', async () => {
    const r = await cli(home, ['info', 'zzzzzz']);
    expect(r).toMatchObject({ code: 1, stderr: 'terrarium: no installed app is called "zzzzzz"\n' });
  });
});

describe('one rule for options', () => {
  it.each([
    [['list', '-json'], /^terrarium: unknown option -json; options start with two dashes: --json/],
    [['info', '-json', 'proc'], /unknown option -json; options start with two dashes: --json/],
    [['run', '-timeout', '1', fixture('proc.wasm')], /unknown option -timeout; options start with two dashes: --timeout/],
    [['grant', 'proc', '-env', 'A=1'], /unknown option -env/],
    [['list', '--json=yes'], /--json takes no value/],
  ])('%j', async (args, match) => {
    expectUsage(await cli(home, args), match);
  });

  it('words after -- are positionals: an app name may start with a dash', async () => {
    const r = await cli(home, ['info', '--', '-weird']);
    expect(r).toMatchObject({ code: 1, stderr: 'terrarium: no installed app is called "-weird"\n' });
  });

  it('options go to a module file only: run APP --dir is refused, saying why', async () => {
    expectUsage(await cli(home, ['run', '--dir', home, 'proc']), /--dir is for a module file; proc is an installed app/);
  });
});

describe('list and audit in words', () => {
  it('list has a header row over aligned columns', async () => {
    const r = await cli(home, ['list']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME +VERSION +ID +SIZE {2}DESCRIPTION$/);
    expect(lines.slice(1).map((l) => l.split(/ +/)[0])).toEqual(['proc', 'stdio']);
    const idAt = lines[0]!.indexOf('ID');
    for (const l of lines.slice(1)) expect(l.slice(idAt)).toMatch(/^[0-9a-f]{8} /);
  });

  it('audit says each decision in words (asked, allowed), and --json keeps the values', async () => {
    withLibrary(home, (lib) => {
      const app = lib.app('proc');
      lib.recordAudit(app.id, null, 'read', '/granted', 'allowed');
      lib.recordAudit(app.id, null, 'write', '/asked', 'prompted-allowed');
      lib.recordAudit(app.id, null, 'delete', '/no', 'denied');
    });
    const r = await cli(home, ['audit', 'proc']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/ run - {2}denied +delete +\/no$/);
    expect(lines[1]).toMatch(/ run - {2}asked, allowed +write +\/asked$/);
    expect(lines[2]).toMatch(/ run - {2}allowed +read +\/granted$/);
    expect(r.stdout).not.toContain('prompted-allowed');
    const json = JSON.parse((await cli(home, ['audit', 'proc', '--json'])).stdout) as { decision: string }[];
    expect(json.map((e) => e.decision)).toEqual(['denied', 'prompted-allowed', 'allowed']);
  });
});

describe('grant --args uses the one splitter', () => {
  it('keeps Windows backslashes, quoted or not, and refuses an unterminated quote', async () => {
    const r = await cli(home, ['grant', 'proc', '--args', String.raw`"C:\Users\me" C:\Temp\x 'a b'`, '--json']);
    expectUsage(r, /unknown option --json/);
    expect((await cli(home, ['grant', 'proc', '--args', String.raw`"C:\Users\me" C:\Temp\x 'a b'`])).code).toBe(0);
    const grants = JSON.parse((await cli(home, ['grants', 'proc', '--json'])).stdout) as { kind: string; args?: string[] }[];
    expect(grants.find((g) => g.kind === 'args')!.args).toEqual([String.raw`C:\Users\me`, String.raw`C:\Temp\x`, 'a b']);
    expectUsage(await cli(home, ['grant', 'proc', '--args', '"C:\\Users\\me\\"']), /--args: unterminated " quote \(opened at column 1\)/);
  });
});
