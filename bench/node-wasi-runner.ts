// Runs a WASI module under Node's built-in node:wasi, with the same argument shape as
// `terrarium run`:  node bench/node-wasi-runner.ts [--dir HOST[::GUEST][:ro]]... MODULE.wasm [-- ARGS...]
// HOST::GUEST becomes the preopen {GUEST: HOST}. node:wasi has no read-only preopens, so `:ro` is
// accepted and ignored. Exits with the guest's exit code.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { WASI } from 'node:wasi';

interface RunnerArgs {
  preopens: Record<string, string>;
  module: string;
  args: string[];
}

/** Parses one `--dir` value: HOST, HOST::GUEST, either optionally followed by `:ro`. */
function parseDir(spec: string): { host: string; guest: string; readOnly: boolean } {
  let rest = spec;
  const readOnly = rest.endsWith(':ro');
  if (readOnly) rest = rest.slice(0, -3);
  const sep = rest.lastIndexOf('::');
  const host = sep >= 0 ? rest.slice(0, sep) : rest;
  const guest = sep >= 0 ? rest.slice(sep + 2) : rest;
  if (host === '' || guest === '') throw new Error(`bad --dir value: ${spec}`);
  return { host, guest, readOnly };
}

function parseArgs(argv: readonly string[]): RunnerArgs {
  const preopens: Record<string, string> = {};
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--dir') {
      const value = argv[++i];
      if (value === undefined) throw new Error('--dir needs a value');
      const { host, guest } = parseDir(value);
      preopens[guest] = host;
    } else if (a.startsWith('--dir=')) {
      const { host, guest } = parseDir(a.slice('--dir='.length));
      preopens[guest] = host;
    } else {
      break;
    }
  }
  const module = argv[i];
  if (module === undefined || module.startsWith('--')) {
    throw new Error('usage: node-wasi-runner.ts [--dir HOST[::GUEST][:ro]]... MODULE.wasm [-- ARGS...]');
  }
  const after = argv.slice(i + 1);
  const args = after[0] === '--' ? after.slice(1) : after;
  return { preopens, module, args };
}

async function main(): Promise<void> {
  let parsed: RunnerArgs;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const wasi = new WASI({
    version: 'preview1',
    args: [basename(parsed.module), ...parsed.args],
    env: {},
    preopens: parsed.preopens,
    returnOnExit: true,
  });
  const module = await WebAssembly.compile(readFileSync(parsed.module));
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject() as WebAssembly.Imports);
  process.exitCode = wasi.start(instance);
}

await main();
