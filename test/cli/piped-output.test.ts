/**
 * Every `--json` command's output arrives whole through a pipe whose reader is slower than the
 * writer (issue 9, point 7): the CLI used to call `process.exit` while Node still held the part a
 * full pipe had not taken, so `terrarium audit APP --json | wc -c` stopped at 64 KiB. Each output
 * here is several pipe buffers long; the bytes read from the pipe must equal those the same
 * command writes into a file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Library } from '../../main/library/library.ts';
import { spawnCli } from '../helpers/cli.ts';
import { fixture } from '../helpers/paths.ts';
import { leb as leb128 } from '../helpers/wasm-assembler.ts';
import { tempDir } from '../helpers/temp.ts';

const PIPE_BUFFER = 64 * 1024;
let home: string;
let scratch: string;
let bigModule: string;

/** `module` with a `producers` custom section naming `n` languages, so its inspection is large. */
function withProducers(module: Buffer, n: number): Buffer {
  const str = (t: string): Buffer => Buffer.concat([Buffer.from(leb128(Buffer.byteLength(t))), Buffer.from(t)]);
  const values: Buffer[] = [];
  for (let i = 0; i < n; i++) values.push(str(`language-${i}-${'x'.repeat(40)}`), str(`${i}.0`));
  const body = Buffer.concat([str('producers'), Buffer.from(leb128(1)), str('language'), Buffer.from(leb128(n)), ...values]);
  return Buffer.concat([module, Buffer.from([0, ...leb128(body.length)]), body]);
}

/** `module` without its own `producers` section (inspection reads the first one). */
function withoutProducers(module: Buffer): Buffer {
  const parts: Buffer[] = [module.subarray(0, 8)];
  let p = 8;
  while (p < module.length) {
    const start = p;
    const id = module[p++]!;
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const b = module[p++]!;
      size |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    const end = p + size;
    const isProducers = id === 0 && module.subarray(p + 1, p + 1 + module[p]!).toString() === 'producers';
    if (!isProducers) parts.push(module.subarray(start, end));
    p = end;
  }
  return Buffer.concat(parts);
}

beforeAll(async () => {
  home = tempDir('terrarium-pipe-home-');
  scratch = tempDir('terrarium-pipe-');
  bigModule = path.join(scratch, 'big.wasm');
  fs.writeFileSync(bigModule, withProducers(withoutProducers(fs.readFileSync(fixture('stdio.wasm'))), 3000));
  const lib = Library.open(home);
  try {
    const app = (await lib.install({ kind: 'file', path: fixture('stdio.wasm') })).app;
    for (let i = 0; i < 2000; i++) await lib.install({ kind: 'file', path: fixture('stdio.wasm') }, { name: `copy-${i}-${'d'.repeat(30)}` });
    lib.grant(app.id, Array.from({ length: 800 }, (_, i) => ({ kind: 'env' as const, name: `VAR_${i}`, value: 'v'.repeat(200) })));
    for (let r = 0; r < 300; r++) {
      const runId = lib.runStarted(app, ['--flag', 'a'.repeat(2000)], []);
      lib.runEnded(runId, 'exit', 0, r);
      for (let k = 0; k < 4; k++) lib.recordAudit(app.id, runId, 'read', `/home/someone/file-${r}-${k}-${'p'.repeat(60)}`, 'denied');
    }
  } finally {
    lib.close();
  }
}, 240_000);

afterAll(() => {
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** Runs `terrarium ARGS` with stdout into a file; returns the bytes it wrote. */
function toFile(args: string[]): Promise<Buffer> {
  const file = path.join(scratch, `out-${Math.random().toString(36).slice(2)}`);
  const fd = fs.openSync(file, 'w');
  return new Promise((resolve, reject) => {
    const child = spawnCli(home, args, { stdio: ['ignore', fd, 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => {
      fs.closeSync(fd);
      if (code !== 0) reject(new Error(`terrarium ${args.join(' ')} exited ${code}`));
      else resolve(fs.readFileSync(file));
    });
  });
}

/**
 * Runs `terrarium ARGS` with stdout into a pipe that nobody reads until the command has exited
 * (or 3 s have passed), as a slow `| wc -c` would; returns every byte that came through.
 */
function throughSlowPipe(args: string[]): Promise<Buffer> {
  const child = spawnCli(home, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout!.pause();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const read = (): void => {
      child.stdout!.on('data', (b: Buffer) => chunks.push(b));
      child.stdout!.resume();
    };
    const timer = setTimeout(read, 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      read();
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`terrarium ${args.join(' ')} exited ${code}`))));
  });
}

const COMMANDS: [string, () => string[]][] = [
  ['list', () => ['list', '--json']],
  ['info', () => ['info', 'stdio', '--json']],
  ['grants', () => ['grants', 'stdio', '--json']],
  ['audit', () => ['audit', 'stdio', '--json']],
  ['history', () => ['history', 'stdio', '--json']],
  ['install', () => ['install', bigModule, '--json']],
];

it.each(COMMANDS)('%s --json arrives whole through a slow pipe', async (_name, args) => {
  const expected = await toFile(args());
  expect(expected.length).toBeGreaterThan(2 * PIPE_BUFFER);
  JSON.parse(expected.toString('utf8'));
  const piped = await throughSlowPipe(args());
  expect(piped.length).toBe(expected.length);
  // The file run installed the big module already, so the second install is "unchanged".
  if (args()[0] === 'install') expect(piped.toString().replace('"unchanged"', '"installed"')).toBe(expected.toString());
  else expect(piped.equals(expected)).toBe(true);
}, 60_000);
