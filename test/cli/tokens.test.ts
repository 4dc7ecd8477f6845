/**
 * main/cli/tokens.ts against `node:util` `parseArgs` itself: the same tokens for every form of
 * word (long, long=value, short, groups, a short that takes a value, `--`, `-`, values that start
 * with a dash, surrogate pairs), for the commands' real option sets and random words.
 */
import { parseArgs } from 'node:util';
import { expect, test } from 'vitest';
import { commands } from '../../main/cli/commands.ts';
import { type TokenOption, tokenize } from '../../main/cli/tokens.ts';

const nodeTokens = (args: string[], options: Record<string, TokenOption>): unknown =>
  parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true }).tokens;

/** Options as parse.ts gives them: -h for --help, each command's own. */
const SETS: Record<string, TokenOption>[] = [
  ...commands().map((c) => ({ help: { type: 'boolean' as const, short: 'h' }, ...Object.fromEntries(Object.entries(c.options).map(([n, o]) => [n, { type: o.type }])) })),
  // Shorts that take a value and groups of them, which no command has yet.
  { help: { type: 'boolean', short: 'h' }, verbose: { type: 'boolean', short: 'v' }, out: { type: 'string', short: 'o' }, x: { type: 'string' } },
];

const WORDS = [
  'run', 'x.wasm', '--dir', '--dir=/a', '--dir=', '--env', 'A=1', '--timeout', '5', '--memory-max=64', '--json',
  '--json=yes', '-h', '-hv', '-vh', '-o', '-ofile', '-vofile', '-vo', '-x', '-', '--', '---', '--=x', '--=a=b', '-=',
  '-=abc', '-5', '--help', '--nope', '--name', '-name', '', 'a b', '\u{1F600}', '-\u{1F600}', '--\u{1F600}=v', '-v=x',
];

test('the same tokens as parseArgs for every form of word', () => {
  const cases: string[][] = [[], ...WORDS.map((w) => [w]), ...WORDS.flatMap((a) => WORDS.map((b) => [a, b]))];
  cases.push(['run', '--dir', '/a::/b', '--env', 'X', 'app.wasm', '--', '-x', '--dir'], ['-o', '--', 'x'], ['-vo', '-h', 'y']);
  for (const options of SETS) {
    for (const args of cases) expect(tokenize(args, options), JSON.stringify(args)).toEqual(nodeTokens(args, options));
  }
});

test('the same tokens as parseArgs for random command lines', () => {
  let seed = 1;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let i = 0; i < 3000; i++) {
    const args = Array.from({ length: random(6) }, () => WORDS[random(WORDS.length)]!);
    const options = SETS[random(SETS.length)]!;
    expect(tokenize(args, options), JSON.stringify(args)).toEqual(nodeTokens(args, options));
  }
});
