/**
 * The library commands: install, list, info, uninstall, grant, revoke, grants, reset, history.
 * `--json` output is stable (README, "JSON output"); human output may change.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Library, sourceFrom } from '../library/library.ts';
import { AUDIT_PAGE_MAX, AUDIT_ROWS_PER_RUN, type AuditRecord } from '../library/audit.ts';
import type { RevokeMatch } from '../library/grants.ts';
import type { AppRecord, GrantInput, GrantRecord, RunRecord } from '../library/types.ts';
import { has, opt, type Parsed, parseOptions, positionals } from './options.ts';
import { UsageError, parseDir } from './run-args.ts';
import { shellWords } from './words.ts';
import { promptSafe } from '../launcher/prompt-text.ts';
import { jsonSafe, safeText, visible as v } from '../../preload/safe-text.ts';
import { grantStatus } from '../launcher/grant-status.ts';

const out = (s: string): void => {
  process.stdout.write(`${s}\n`);
};
/** Data, kept exact; what a terminal would act on inside its strings is written as \u escapes. */
const json = (value: unknown): void => out(jsonSafe(JSON.stringify(value, null, 2)));

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

function describeGrant(g: GrantRecord): string {
  switch (g.kind) {
    case 'folder': {
      const notes = [g.stale === undefined ? '' : `; STALE: ${g.stale}, left out of runs until granted again`, g.overlap === undefined ? '' : `; ${g.overlap.note}`];
      return promptSafe(`folder ${g.host} as ${g.guest} (${g.access === 'read' ? 'read-only' : 'read-write'})${notes.join('')}`, 3000);
    }
    case 'env':
      return 'forward' in g ? `env ${v(g.name)} (forwarded from the host)` : `env ${v(g.name)}=${v(g.value)}`;
    case 'args':
      return `default arguments: ${g.args.map((a) => v(JSON.stringify(a))).join(' ')}`;
    case 'limit':
      return g.name === 'memory-max-mib' ? `memory limit ${g.value} MiB` : `time limit ${g.value} s`;
  }
}

function positiveNumber(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag} needs a positive number, got ${v}`);
  return n;
}

/** The grants that `grant`'s options describe. */
function grantsFrom(p: Parsed): GrantInput[] {
  const gs: GrantInput[] = [];
  for (const { name, value } of p.options) {
    if (name === 'dir') {
      const d = parseDir(value);
      // Kept as named: the library resolves it and records what it is (and refuses a path through
      // a symbolic link an app could have planted, which resolving it here would hide).
      const host = path.resolve(d.hostPath);
      let ok = false;
      try {
        ok = fs.statSync(host).isDirectory();
      } catch {
        ok = false;
      }
      if (!ok) throw new UsageError(`--dir ${value}: no such folder`);
      gs.push({ kind: 'folder', host, guest: d.guestPath === d.hostPath ? host : d.guestPath, access: d.readOnly ? 'read' : 'read-write' });
    } else if (name === 'env') {
      const eq = value.indexOf('=');
      const n = eq === -1 ? value : value.slice(0, eq);
      if (!/^[^=\0]+$/.test(n)) throw new UsageError(`--env ${value}: bad variable name`);
      gs.push(eq === -1 ? { kind: 'env', name: n, forward: true } : { kind: 'env', name: n, value: value.slice(eq + 1) });
    } else if (name === 'args') {
      try {
        gs.push({ kind: 'args', args: shellWords(value) });
      } catch (err) {
        throw new UsageError(`--args: ${(err as Error).message}`);
      }
    } else if (name === 'memory-max') {
      gs.push({ kind: 'limit', name: 'memory-max-mib', value: positiveNumber(name, value) });
    } else if (name === 'timeout') {
      gs.push({ kind: 'limit', name: 'timeout-seconds', value: positiveNumber(name, value) });
    }
  }
  if (gs.length === 0) throw new UsageError('grant needs at least one of --dir, --env, --args, --memory-max, --timeout');
  return gs;
}

/** What `revoke`'s options match. */
function revokesFrom(p: Parsed): RevokeMatch[] {
  const ms: RevokeMatch[] = [];
  for (const { name, value } of p.options) {
    if (name === 'dir') ms.push({ kind: 'folder', key: value === '' ? undefined : path.isAbsolute(value) || !fs.existsSync(value) ? value : fs.realpathSync(value) });
    else if (name === 'env') ms.push({ kind: 'env', key: value });
    else if (name === 'args') ms.push({ kind: 'args' });
    else if (name === 'memory-max') ms.push({ kind: 'limit', key: 'memory-max-mib' });
    else if (name === 'timeout') ms.push({ kind: 'limit', key: 'timeout-seconds' });
    else if (name === 'id') {
      const id = Number(value);
      if (!Number.isInteger(id)) throw new UsageError(`--id needs a grant number, got ${value}`);
      ms.push({ id });
    }
  }
  if (ms.length === 0) throw new UsageError('revoke needs at least one of --dir, --env, --args, --memory-max, --timeout, --id');
  return ms;
}

function printInfo(a: AppRecord, grants: GrantRecord[], builds: { version: string | null; installedAt: string; sha256: string }[]): void {
  const i = a.inspection;
  const producer = (p: { name: string; version: string }): string => safeText(`${p.name} ${p.version}`.trim(), 200);
  const lang = (i.producers.language ?? []).map(producer).join(', ');
  const tools = (i.producers['processed-by'] ?? []).map(producer).join(', ');
  out(`${v(a.name)}${a.version ? ` ${safeText(a.version, 100)}` : ''}  (id ${a.id})`);
  if (a.description) out(`  ${v(a.description)}`);
  out(`  source:       ${a.source.kind} ${v(a.source.location)}`);
  out(`  size:         ${mib(a.size)} (${a.size} bytes)`);
  out(`  sha256:       ${a.sha256}`);
  out(`  installed:    ${a.installedAt}${builds.length > 1 ? ` (build ${builds.length})` : ''}`);
  out(`  last run:     ${a.lastRunAt ?? 'never'}`);
  if (lang) out(`  language:     ${lang}`);
  if (tools) out(`  built with:   ${tools}`);
  // Issue 15: a component's kind and the path it runs on.
  if (i.component) out(`  kind:         WASI 0.2 component (wasi:cli/command); ${i.component.path === 'preview1-core' ? 'runs its preview1 core module directly (fast path)' : 'runs on the WASI 0.2 host'}`);
  if (i.memory) out(`  memory:       ${mib(i.memory.min * 65536)} initial, ${i.memory.max === null ? 'no maximum' : `${mib(i.memory.max * 65536)} maximum`}`);
  out('  can use:');
  for (const [cap, fns] of Object.entries(i.capabilities)) out(`    ${cap.padEnd(14)} ${fns.map((f) => safeText(f, 100)).join(', ')}`);
  if (a.manifest && a.manifest.needs.length > 0) {
    out('  declares it would like (not granted until you say so):');
    for (const n of a.manifest.needs) out(`    folder ${safeText(n.guest, 300)}${n.host ? ` (suggested: ${safeText(n.host, 300)})` : ''}`);
  }
  out(grants.length === 0 ? '  grants:       none' : '  grants:');
  for (const g of grants) out(`    #${g.id} ${describeGrant(g)}`);
}

function printHistory(runs: RunRecord[]): void {
  if (runs.length === 0) out('no runs yet');
  for (const r of runs) {
    const status = r.outcome === 'exit' ? `exit ${r.exitCode}` : r.outcome;
    out(`#${r.id} ${r.startedAt}  ${status.padEnd(12)} ${String(r.bytesOut).padStart(10)} bytes  ${r.args.map((x) => v(JSON.stringify(x))).join(' ')}`);
  }
}

/** `--NAME N` as a whole number from 1 to `max`, or undefined when not given. */
function pageNumber(p: Parsed, name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = opt(p, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > max) throw new UsageError(`--${name} needs a whole number from 1 to ${max}, got ${v}`);
  return n;
}

/** One audit entry as a line: repeats counted, a run's summary row said in words. */
function auditLine(e: AuditRecord): string {
  const head = `#${e.id} ${e.at}  run ${e.runId ?? '-'}  ${e.decision.padEnd(16)}`;
  if (e.summary) return `${head} and ${e.count} more ${e.decision} (over the ${AUDIT_ROWS_PER_RUN} entries kept per run)`;
  return `${head} ${e.operation.padEnd(6)} ${promptSafe(e.path ?? '', 1000)}${e.count > 1 ? `  (${e.count} times since ${e.firstAt})` : ''}`;
}

/** Runs one library command; resolves to the exit code. */
export async function libraryCommand(command: string, argv: string[]): Promise<number> {
  const lib = Library.open();
  try {
    switch (command) {
      case 'install': {
        const p = parseOptions(argv, { name: 'value', sha256: 'value', json: 'switch' });
        const [target] = positionals(p, ['FILE|URL|FOLDER']);
        const progress = process.stderr.isTTY && !has(p, 'json')
          ? (n: number, total: number | null) => process.stderr.write(`\r${mib(n)}${total ? ` of ${mib(total)}` : ''}   `)
          : undefined;
        const r = await lib.install(sourceFrom(target!), { name: opt(p, 'name'), sha256: opt(p, 'sha256'), onProgress: progress });
        if (progress) process.stderr.write('\n');
        if (has(p, 'json')) json(r);
        else out(`${r.action} ${v(r.app.name)}${r.app.version ? ` ${safeText(r.app.version, 100)}` : ''} (id ${r.app.id}, ${mib(r.app.size)}); can use: ${Object.keys(r.app.inspection.capabilities).join(', ') || 'nothing'}`);
        return 0;
      }
      case 'list': {
        const p = parseOptions(argv, { json: 'switch', search: 'value', sort: 'value' });
        positionals(p, []);
        const sort = opt(p, 'sort');
        if (sort !== undefined && !['name', 'installed', 'last-run'].includes(sort)) throw new UsageError('--sort is name, installed or last-run');
        const apps = lib.list({ search: opt(p, 'search'), sort: sort as 'name' | undefined });
        if (has(p, 'json')) json(apps);
        else if (apps.length === 0) out('no apps installed');
        else for (const a of apps) out(`${v(a.name).padEnd(24)} ${safeText(a.version ?? '', 30).padEnd(10)} ${a.id}  ${mib(a.size).padStart(10)}  ${safeText(a.description ?? '', 200)}`);
        return 0;
      }
      case 'info': {
        const p = parseOptions(argv, { json: 'switch' });
        const [ref] = positionals(p, ['APP']);
        const a = lib.app(ref!);
        const grants = grantStatus(lib, a.id);
        const builds = lib.builds(a.id);
        if (has(p, 'json')) json({ ...a, grants, builds });
        else printInfo(a, grants, builds);
        return 0;
      }
      case 'uninstall': {
        const [ref] = positionals(parseOptions(argv, {}), ['APP']);
        const a = lib.uninstall(ref!);
        out(`uninstalled ${v(a.name)}`);
        return 0;
      }
      case 'grant': {
        const p = parseOptions(argv, { dir: 'repeat', env: 'repeat', args: 'value', 'memory-max': 'value', timeout: 'value', unknown: 'value' });
        const [ref] = positionals(p, ['APP']);
        const unknown = opt(p, 'unknown');
        if (unknown !== undefined) {
          if (unknown !== 'ask' && unknown !== 'deny') throw new UsageError('--unknown is ask or deny');
          lib.setUnknownAccess(ref!, unknown);
          out(`outside its grants, ${v(ref!)} will ${unknown === 'ask' ? 'ask' : 'be denied without asking'}`);
          if (p.options.length === 1) return 0;
        }
        lib.grant(ref!, grantsFrom({ ...p, options: p.options.filter((o) => o.name !== 'unknown') }));
        for (const g of grantStatus(lib, ref!)) out(`#${g.id} ${describeGrant(g)}`);
        return 0;
      }
      case 'revoke': {
        const p = parseOptions(argv, { dir: 'repeat', env: 'repeat', args: 'switch', 'memory-max': 'switch', timeout: 'switch', id: 'repeat' });
        const [ref] = positionals(p, ['APP']);
        const n = lib.revoke(ref!, revokesFrom(p));
        out(`revoked ${n} grant${n === 1 ? '' : 's'}`);
        return n === 0 ? 1 : 0;
      }
      case 'grants': {
        const p = parseOptions(argv, { json: 'switch' });
        const [ref] = positionals(p, ['APP']);
        const gs = grantStatus(lib, ref!);
        if (has(p, 'json')) json(gs);
        else if (gs.length === 0) out('no grants: the app sees no files and no environment');
        else for (const g of gs) out(`#${g.id} ${describeGrant(g)}`);
        return 0;
      }
      case 'reset': {
        const [ref] = positionals(parseOptions(argv, {}), ['APP']);
        const n = lib.reset(ref!);
        out(`removed ${n} grant${n === 1 ? '' : 's'}`);
        return 0;
      }
      case 'audit': {
        const p = parseOptions(argv, { json: 'switch', decision: 'value', limit: 'value', before: 'value' });
        const [ref] = positionals(p, ['APP']);
        const decision = opt(p, 'decision');
        if (decision !== undefined && !['allowed', 'prompted-allowed', 'denied'].includes(decision)) throw new UsageError('--decision is allowed, prompted-allowed or denied');
        const limit = pageNumber(p, 'limit', AUDIT_PAGE_MAX) ?? 1000;
        const entries = lib.audit(ref!, { decision: decision as 'denied' | undefined, limit, before: pageNumber(p, 'before') });
        if (has(p, 'json')) json(entries);
        else if (entries.length === 0) out('nothing recorded');
        else {
          for (const e of entries) out(auditLine(e));
          if (entries.length === limit) out(`older entries: terrarium audit ${ref} --before ${entries.at(-1)!.id}`);
        }
        return 0;
      }
      case 'history': {
        const p = parseOptions(argv, { json: 'switch' });
        const [ref] = positionals(p, ['APP']);
        const runs = lib.history(ref!);
        if (has(p, 'json')) json(runs);
        else printHistory(runs);
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } finally {
    lib.close();
  }
}
