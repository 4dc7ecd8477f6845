// The benchmark catalogue: what each program is given, what it must print, and its target.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

/** A host folder granted to the guest at `guest`. */
export interface Grant {
  host: string;
  guest: string;
  readOnly: boolean;
}

/** A program argument: literal, or a path that is `host` natively and `guest` under WASI. */
export type Arg = string | { host: string; guest: string };

export interface Invocation {
  grants: Grant[];
  args: Arg[];
  /** Host file fed to the program's stdin (otherwise stdin is /dev/null). */
  stdinFile?: string;
  /** Terrarium runs the program as this installed app (`terrarium run NAME`, TERRARIUM_HOME=`home`), not as a module file. */
  app?: { home: string; name: string };
}

/** A target: Terrarium's median divided by the `against` column's median must be ≤ `max`. */
export interface Target {
  against: 'nodewasi' | 'native';
  max: number;
}

export interface Bench {
  name: string;
  title: string;
  /** bench/programs/<program>.c (.wasm beside it). */
  program: string;
  /** Where the `RESULT ...` line appears; stdout goes to /dev/null when this is 'stderr'. */
  resultOn: 'stdout' | 'stderr';
  targets: Target[];
  /** Human-readable size, given the scale. */
  size(quick: boolean): string;
  /** The exact RESULT line a correct run prints. */
  expected(quick: boolean): string;
  /** Untimed, once per benchmark: builds shared fixtures in `shared` (an empty folder). */
  setup?(shared: string, quick: boolean): void;
  /** Per run: `run` is a fresh empty folder, `shared` holds the fixtures from setup. */
  invocation(ctx: { shared: string; run: string; quick: boolean }): Invocation;
}

const GUEST = '/data';
const rw = (host: string): Grant => ({ host, guest: GUEST, readOnly: false });
const scaled = (full: number, quick: boolean): number => (quick ? Math.round(full / 10) : full);
const fmt = (n: number): string => n.toLocaleString('en-US');

const SYSCALL: Target = { against: 'nodewasi', max: 1.0 };

const WRITES = 1_000_000;
const CLOCKS = 1_000_000;
const BIG_CHUNKS = 4096; // × 64 KiB = 256 MiB
const SMALL_FILES = 20_000;
const WALK_DIRS = 20;
const WALK_FILES_PER_DIR = 1_000;
const CPU_ITERATIONS = 300_000_000;
const STDIN_MIB = 200;

/** Hashes printed by cpu.c for the known iteration counts (computed natively once). */
const CPU_HASHES: Record<number, string> = {
  300_000_000: '675d9e35d3c107db',
  30_000_000: 'd83ca1f80e74e515',
};

/**
 * Installs bench program `program` in data folder `home` and runs it once, after the store's
 * settle time (library/store.ts SETTLE_MS), so the timed runs are the steady state: the first run
 * after an install hashes the module and records its stat signature (docs/design/runapp.md).
 */
function installApp(home: string, program: string): void {
  const cli = join(import.meta.dirname, '..', '..', 'bin', 'terrarium.js');
  const env = { ...process.env, TERRARIUM_HOME: home };
  execFileSync(process.execPath, [cli, 'install', join(import.meta.dirname, '..', 'programs', `${program}.wasm`)], { env, stdio: 'ignore' });
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2200);
  execFileSync(process.execPath, [cli, 'run', program], { env, stdio: 'ignore' });
}

/** Size in bytes of walk-tree file j (deterministic so the expected total is known). */
const walkFileSize = (j: number): number => j % 17;

export const BENCHMARKS: readonly Bench[] = [
  {
    name: 'write',
    title: 'small writes to stdout',
    program: 'write16',
    resultOn: 'stderr',
    targets: [SYSCALL],
    size: (q) => `${fmt(scaled(WRITES, q))} × 16 B`,
    expected: (q) => `RESULT writes=${scaled(WRITES, q)} bytes=${scaled(WRITES, q) * 16}`,
    invocation: ({ quick }) => ({ grants: [], args: [String(scaled(WRITES, quick))] }),
  },
  {
    name: 'clock',
    title: 'clock_gettime(MONOTONIC)',
    program: 'clock',
    resultOn: 'stdout',
    targets: [SYSCALL],
    size: (q) => `${fmt(scaled(CLOCKS, q))} calls`,
    expected: (q) => `RESULT calls=${scaled(CLOCKS, q)} monotonic=1`,
    invocation: ({ quick }) => ({ grants: [], args: [String(scaled(CLOCKS, quick))] }),
  },
  {
    name: 'bigfile',
    title: 'big file write + read',
    program: 'bigfile',
    resultOn: 'stdout',
    targets: [SYSCALL, { against: 'native', max: 1.2 }],
    size: (q) => `${scaled(BIG_CHUNKS, q) / 16} MiB, 64 KiB chunks`,
    expected: (q) => {
      const c = scaled(BIG_CHUNKS, q);
      return `RESULT chunks=${c} bytes=${c * 65536} ok=1`;
    },
    invocation: ({ run, quick }) => ({
      grants: [rw(run)],
      args: [{ host: run, guest: GUEST }, String(scaled(BIG_CHUNKS, quick))],
    }),
  },
  {
    name: 'smallfiles',
    title: 'small files create/stat/read/remove',
    program: 'smallfiles',
    resultOn: 'stdout',
    targets: [SYSCALL, { against: 'native', max: 1.5 }],
    size: (q) => `${fmt(scaled(SMALL_FILES, q))} × 100 B`,
    expected: (q) => `RESULT files=${scaled(SMALL_FILES, q)} bytes=${scaled(SMALL_FILES, q) * 100}`,
    invocation: ({ run, quick }) => ({
      grants: [rw(run)],
      args: [{ host: run, guest: GUEST }, String(scaled(SMALL_FILES, quick))],
    }),
  },
  {
    name: 'walk',
    title: 'directory walk (readdir + stat)',
    program: 'walk',
    resultOn: 'stdout',
    targets: [SYSCALL, { against: 'native', max: 1.5 }],
    size: (q) => `${WALK_DIRS} dirs × ${fmt(scaled(WALK_FILES_PER_DIR, q))} files`,
    expected: (q) => {
      const per = scaled(WALK_FILES_PER_DIR, q);
      let bytes = 0;
      for (let j = 0; j < per; j++) bytes += walkFileSize(j);
      return `RESULT dirs=${WALK_DIRS} files=${WALK_DIRS * per} bytes=${WALK_DIRS * bytes}`;
    },
    setup: (shared, q) => {
      const per = scaled(WALK_FILES_PER_DIR, q);
      const filler = Buffer.alloc(17, 'x');
      for (let d = 0; d < WALK_DIRS; d++) {
        const dir = join(shared, 'tree', `d${String(d).padStart(2, '0')}`);
        mkdirSync(dir, { recursive: true });
        for (let j = 0; j < per; j++) {
          writeFileSync(join(dir, `f${String(j).padStart(5, '0')}`), filler.subarray(0, walkFileSize(j)));
        }
      }
    },
    invocation: ({ shared }) => {
      const tree = join(shared, 'tree');
      return { grants: [{ host: tree, guest: GUEST, readOnly: true }], args: [{ host: tree, guest: GUEST }] };
    },
  },
  {
    name: 'cpu',
    title: 'CPU-bound integer hashing',
    program: 'cpu',
    resultOn: 'stdout',
    targets: [{ against: 'nodewasi', max: 1.05 }],
    size: (q) => `${fmt(scaled(CPU_ITERATIONS, q))} rounds`,
    expected: (q) => {
      const n = scaled(CPU_ITERATIONS, q);
      return `RESULT iterations=${n} hash=${CPU_HASHES[n] ?? '(unknown)'}`;
    },
    invocation: ({ quick }) => ({ grants: [], args: [String(scaled(CPU_ITERATIONS, quick))] }),
  },
  {
    name: 'startup',
    title: 'startup to first output (hello)',
    program: 'hello',
    resultOn: 'stdout',
    targets: [{ against: 'nodewasi', max: 1.1 }],
    size: () => 'whole process',
    expected: () => 'RESULT hello, world',
    invocation: () => ({ grants: [], args: [] }),
  },
  {
    // Issue 14.2: the same hello installed, `terrarium run hello` (the run opens the library).
    name: 'startup-app',
    title: 'startup to first output (hello installed: run APP)',
    program: 'hello',
    resultOn: 'stdout',
    targets: [{ against: 'nodewasi', max: 1.1 }],
    size: () => 'whole process',
    expected: () => 'RESULT hello, world',
    setup: (shared) => installApp(join(shared, 'home'), 'hello'),
    invocation: ({ shared }) => ({ grants: [], args: [], app: { home: join(shared, 'home'), name: 'hello' } }),
  },
  {
    name: 'stdin',
    title: 'stdin from a file, 64 KiB reads',
    program: 'stdin',
    resultOn: 'stdout',
    targets: [SYSCALL],
    size: (q) => `${scaled(STDIN_MIB, q)} MiB`,
    expected: (q) => `RESULT bytes=${scaled(STDIN_MIB, q) * 1024 * 1024}`,
    setup: (shared, q) => {
      const mib = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < mib.length; i++) mib[i] = (i * 13) & 0xff;
      const fd = openSync(join(shared, 'stdin.bin'), 'w');
      try {
        for (let i = 0; i < scaled(STDIN_MIB, q); i++) writeSync(fd, mib);
      } finally {
        closeSync(fd);
      }
    },
    invocation: ({ shared }) => ({ grants: [], args: [], stdinFile: join(shared, 'stdin.bin') }),
  },
];
