/**
 * Exact timestamps (issue 11, point 4): test/fixtures/exact_times.c sets odd-nanosecond times with
 * fd_filestat_set_times and path_filestat_set_times and reads them back. With the native host
 * calls every one reads back exactly (the guest checks it); with the portable ones Node's utimes
 * takes a double, and this test pins the precision they lose.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from '../../helpers/paths.ts';
import { removeTempDirs, tempDir } from '../../helpers/temp.ts';
import { runCli } from '../../helpers/cli.ts';

afterEach(removeTempDirs);

/** The "<what> set=<ns> got=<ns>" lines the program printed. */
function readBacks(stdout: string): { what: string; set: bigint; got: bigint }[] {
  return [...stdout.matchAll(/^(.+) set=(\d+) got=(\d+)$/gm)].map((m) => ({ what: m[1]!, set: BigInt(m[2]!), got: BigInt(m[3]!) }));
}

/** Runs the program in a fresh folder with `mode` ("exact" or "report") and host calls `calls`. */
async function run(mode: string, calls: string, lastLine: string) {
  const dir = tempDir('times');
  const r = await runCli(['run', '--dir', `${dir}::/sandbox`, fixture('exact_times'), '--', mode], {
    env: { TERRARIUM_HOST_CALLS: calls },
  });
  expect({ code: r.code, stderr: r.stderr.toString(), last: r.stdout.toString().trim().split('\n').at(-1) })
    .toEqual({ code: 0, stderr: '', last: lastLine });
  const rows = readBacks(r.stdout.toString());
  expect(rows.map((x) => x.what)).toEqual(WHAT);
  return { dir, rows };
}

const WHAT = ['fd atim', 'fd mtim', 'fd atim only', 'fd mtim kept', 'path atim', 'path mtim', 'path mtim only', 'path atim kept'];

describe.runIf(process.platform === 'linux' || process.platform === 'darwin')('native host calls', () => {
  it('store and return every nanosecond, by fd and by path, and keep the time left out', async () => {
    const { dir, rows } = await run('exact', 'native', 'ok 18 checks');
    for (const row of rows) expect(row.got).toBe(row.set);
    // And on the host's disk, not just as the runtime reports them.
    const st = statSync(join(dir, 't.txt'), { bigint: true });
    expect([st.atimeNs, st.mtimeNs]).toEqual([1111111111111111111n, 999999999999999999n]);
  });
});

describe('portable host calls', () => {
  it('lose the last digits (Node utimes takes seconds as a double): within 0.5 µs, never exact here', async () => {
    const { rows } = await run('report', 'portable', 'ok 10 checks');
    for (const row of rows) {
      const off = row.got > row.set ? row.got - row.set : row.set - row.got;
      expect(off).toBeGreaterThan(0n);
      expect(off).toBeLessThan(500n);
    }
  });
});
