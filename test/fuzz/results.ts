/** Parsing what fuzz_interp.c writes at its END op. */

const MARKER = Buffer.from('@@TFZ-RESULTS@@');
const ERRNO_MAX = 76; // Errno.notcapable, the last preview1 errno

/** One call's record. */
export interface CallResult {
  fn: number;
  errno: number;
  digest: number;
  canarySeen: boolean;
}

/** The interpreter's report, or undefined when stdout holds none (it never reached END). */
export interface Results {
  calls: CallResult[];
  canaryInMemory: boolean;
}

/** The last results block in `stdout` (hostile fd_writes to stdout may come before it). */
export function parseResults(stdout: Buffer): Results | undefined {
  const at = stdout.lastIndexOf(MARKER);
  if (at < 0 || stdout.length < at + 19) return undefined;
  const count = stdout.readUInt32LE(at + 15);
  const start = at + 19;
  if (stdout.length < start + count * 8 + 1) return undefined;
  const calls: CallResult[] = [];
  for (let i = 0; i < count; i++) {
    const o = start + i * 8;
    calls.push({ fn: stdout[o]!, errno: stdout.readUInt16LE(o + 1), digest: stdout.readUInt32LE(o + 3), canarySeen: stdout[o + 7] !== 0 });
  }
  return { calls, canaryInMemory: stdout[start + count * 8] !== 0 };
}

/** Whether `errno` is one preview1 defines. */
export function validErrno(errno: number): boolean {
  return errno >= 0 && errno <= ERRNO_MAX;
}
