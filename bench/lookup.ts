/**
 * The per-component lookup cost of Terrarium's resolver (issue 11, point 6): how long one more
 * path component costs under each host-calls implementation, measured in one run. Each mode runs
 * in its own process (the implementation is chosen when the runtime loads) and times `resolve()`
 * with a stat probe over the same tree at depth 1 and depth 9; the difference divided by 8 is the
 * cost of one component (open the directory, O_NOFOLLOW, then close it). Rounds are interleaved
 * (one process per mode per round, modes in turn) so a busy machine weighs on every mode alike;
 * medians over the rounds. Not a test.
 *
 * `npm run bench` prints the same table after its own (lookupTable).
 *
 *   npm run bench:lookup [-- --iterations 20000 --rounds 9]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

const DEEP = 9;
const MODES: [string, Record<string, string>][] = [
  ['native, directory cache (fstatat check)', { TERRARIUM_HOST_CALLS: 'native' }],
  ['native, no cache (openat, statx/fstatat)', { TERRARIUM_HOST_CALLS: 'native', TERRARIUM_DIR_CACHE: '0' }],
  ...(process.platform === 'linux' ? [['portable (/proc/self/fd)', { TERRARIUM_HOST_CALLS: 'portable' }] as [string, Record<string, string>]] : []),
  ['portable (by path, checked)', { TERRARIUM_RESOLVER: 'portable' }],
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** In a child process: µs per resolve() at depth 1 and at DEEP (one round). */
async function child(root: string, ITERATIONS: number): Promise<void> {
  const pr = await import('../main/runtime/path-resolve.ts');
  const { hostCalls } = await import('../main/runtime/host-calls/index.ts');
  const fd = fs.openSync(root, fs.constants.O_RDONLY);
  const start = { fd, path: root };
  const deep = [...Array.from({ length: DEEP - 1 }, (_, i) => `d${i}`), 'file'].join('/');
  const probe = (dir: typeof start, name: string) => hostCalls.stat(dir, name, false).size;
  const time = (p: string): number => {
    const t = performance.now();
    for (let i = 0; i < ITERATIONS; i++) pr.resolve(start, p, { follow: false }, probe);
    return ((performance.now() - t) * 1000) / ITERATIONS;
  };
  time(deep); // warm up
  time('file');
  process.stdout.write(JSON.stringify({ mode: pr.resolverMode(), shallow: time('file'), deep: time(deep) }));
}

const SELF = new URL(import.meta.url).pathname;

/**
 * Measures every mode (`rounds` interleaved rounds of `iterations` resolves per depth) and returns
 * the table as Markdown.
 */
export function lookupTable(iterations = 20_000, rounds = 9): string {
  const ITERATIONS = iterations;
  const ROUNDS = rounds;
  const root = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'terrarium-lookup-'));
  try {
    let dir = root;
    fs.writeFileSync(path.join(root, 'file'), 'x');
    for (let i = 0; i < DEEP - 1; i++) {
      dir = path.join(dir, `d${i}`);
      fs.mkdirSync(dir);
    }
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    type Round = { mode: string; shallow: number; deep: number };
    const rounds: Round[][] = MODES.map(() => []);
    for (let r = 0; r < ROUNDS; r++) {
      MODES.forEach(([name, env], i) => {
        const out = spawnSync(process.execPath, [SELF, '--child', root, String(ITERATIONS)], {
          env: { ...process.env, TERRARIUM_HOST_CALLS: '', TERRARIUM_RESOLVER: '', TERRARIUM_DIR_CACHE: '', ...env },
          encoding: 'utf8',
        });
        if (out.status !== 0) throw new Error(`${name}: ${out.stderr}`);
        rounds[i]!.push(JSON.parse(out.stdout) as Round);
      });
    }
    const rows = MODES.map(([name], i) => {
      const rs = rounds[i]!;
      const shallow = median(rs.map((x) => x.shallow));
      const deep = median(rs.map((x) => x.deep));
      const perComponent = median(rs.map((x) => (x.deep - x.shallow) / (DEEP - 1)));
      return `| ${name} | ${rs[0]!.mode} | ${perComponent.toFixed(2)} | ${shallow.toFixed(2)} | ${deep.toFixed(2)} |`;
    });
    return [
      `Per-component lookup, ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.versions.node}, ` +
        `${ITERATIONS} resolves per depth, ${ROUNDS} interleaved rounds (medians), tree on ${path.dirname(root)}:`,
      '',
      '| Host calls | resolverMode | µs per component | µs per resolve, depth 1 | µs per resolve, depth 9 |',
      '|---|---|--:|--:|--:|',
      ...rows,
      '',
    ].join('\n');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const c = process.argv.indexOf('--child');
  if (c === -1) process.stdout.write(lookupTable(arg('iterations', 20_000), arg('rounds', 9)));
  else await child(process.argv[c + 1]!, Number(process.argv[c + 2]));
}
