/**
 * Runs one fuzz script through Terrarium's runtime (startRun, a real worker) against a fresh
 * canary tree and returns every finding: canary seen, protected tree changed, internal error
 * logged, hang, crash, missing or malformed results.
 */
import { readFileSync } from 'node:fs';
import { fixtureWasm } from '../helpers/sandbox-box.ts';
import { startRun } from '../../main/runtime/run.ts';
import { FUNCTIONS } from './functions.ts';
import type { Script } from './generate.ts';
import { type Results, parseResults, validErrno } from './results.ts';
import { type FuzzTree, protectedSnapshot } from './tree.ts';

let compiled: WebAssembly.Module | undefined;

/** The interpreter, compiled once per process. */
export function interpreterModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(fixtureWasm('fuzz_interp.wasm')));
  return compiled;
}

/** What one run produced. */
export interface RunReport {
  findings: string[];
  results: Results | undefined;
  stdout: Buffer;
}

/** Findings common to both engines: results present and complete, no canary anywhere. */
export function checkResults(script: Script, canary: string, stdout: Buffer, stderr: Buffer): { findings: string[]; results: Results | undefined } {
  const findings: string[] = [];
  const results = parseResults(stdout);
  if (stdout.includes(canary) || stderr.includes(canary)) findings.push('canary in the guest output');
  if (!results) findings.push('no results block (the interpreter did not reach END)');
  else {
    if (results.calls.length !== script.calls) findings.push(`${results.calls.length} results for ${script.calls} calls`);
    if (results.canaryInMemory) findings.push('canary in guest memory at the end');
    results.calls.forEach((c, i) => {
      const name = FUNCTIONS[c.fn]?.name ?? `#${c.fn}`;
      if (c.canarySeen) findings.push(`call ${i} (${name}): canary in its output`);
      if (!validErrno(c.errno)) findings.push(`call ${i} (${name}): errno ${c.errno} is not a preview1 errno`);
    });
  }
  return { findings, results };
}

/**
 * Runs `script` on Terrarium with tree.rw as /rw (fd 3), tree.ro read-only as /ro (fd 4) and a
 * variant's extra grant as fd 5; ask-mode questions are answered yes only for reading and listing.
 */
export async function runOnTerrarium(script: Script, tree: FuzzTree, deadlineMs: number): Promise<RunReport> {
  const snap = protectedSnapshot(tree);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const logs: string[] = [];
  const handle = startRun({
    module: interpreterModule(),
    args: ['fuzz_interp.wasm'],
    env: [['FUZZ', '1']],
    preopens: [
      { hostPath: tree.rw, guestPath: '/rw', readOnly: false },
      { hostPath: tree.ro, guestPath: '/ro', readOnly: true },
      ...(tree.extra ? [{ hostPath: tree.extra.hostPath, guestPath: tree.extra.guestPath, readOnly: tree.extra.readOnly, ask: tree.extra.ask }] : []),
    ],
    onAsk: (operation) => Promise.resolve(operation === 'read' || operation === 'list'),
    timeoutMs: deadlineMs,
    onOutput: (stream, data) => (stream === 1 ? out : err).push(Buffer.from(data)),
    onLog: (m) => logs.push(m),
  });
  void handle.writeStdin(script.bytes);
  handle.endStdin();
  const outcome = await handle.done;
  const stdout = Buffer.concat(out);
  const stderr = Buffer.concat(err);
  const { findings, results } = checkResults(script, tree.canary, stdout, stderr);
  if (outcome.kind === 'timeout') findings.push(`hang: no exit within ${deadlineMs} ms`);
  else if (outcome.kind !== 'exit') findings.push(`run ended as ${outcome.kind}: ${'message' in outcome ? outcome.message : ''}`);
  else if (outcome.code !== script.exitCode) findings.push(`exit code ${outcome.code}, expected ${script.exitCode}`);
  for (const m of logs) findings.push(`host log: ${m.split('\n').slice(0, 3).join(' | ')}`);
  if (/\n\s+at .*\(.*:\d+:\d+\)/.test(stderr.toString('latin1'))) findings.push('host stack trace on the guest stderr');
  for (const { label, snap: one } of snap) for (const d of one.diff()) findings.push(`protected tree: ${label}${d}`);
  return { findings, results, stdout };
}
