/**
 * Runs a conformance program as its plain preview1 build and as the component the preview1 adapter
 * made of it (test/fixtures/components/build.sh), under the same arguments and fresh grants, and
 * returns both results and what each left in its folders.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CliResult, runCli } from '../../helpers/cli.ts';
import { fixture } from '../../helpers/paths.ts';
import { tempDir } from '../../helpers/temp.ts';
import { tree } from '../../helpers/file-tree.ts';

/** The wrapped program, copied under the plain program's name so argv[0] is the same. */
export function component(name: string): string {
  const file = join(tempDir('component'), `${name}.wasm`);
  copyFileSync(fixture(`components/${name}.component.wasm`), file);
  return file;
}

/** A run's exit code and output as text. */
export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const outcome = (r: CliResult): Outcome => ({ code: r.code, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') });

/** `run` options before the module, and the folders whose contents to compare afterwards. */
export type Setup = () => { opts: string[]; dirs: string[] };

export const noSetup: Setup = () => ({ opts: [], dirs: [] });

/** Both runs of `name`; `env` is the CLI's environment for the component's run (e.g. forcing the 0.2 host). */
export async function bothRuns(
  name: string, setup: Setup, args: string[] = [], input?: string, env: Record<string, string> = {},
): Promise<{ plain: Outcome; wrapped: Outcome; plainTrees: string[][]; wrappedTrees: string[][] }> {
  const p = setup();
  const plain = outcome(await runCli(['run', ...p.opts, fixture(name), '--', ...args], { input }));
  const w = setup();
  const wrapped = outcome(await runCli(['run', ...w.opts, component(name), '--', ...args], { input, env }));
  return { plain, wrapped, plainTrees: p.dirs.map(tree), wrappedTrees: w.dirs.map(tree) };
}
