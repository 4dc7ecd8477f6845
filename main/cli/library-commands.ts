/**
 * The library commands: install, list, info, uninstall, grant, revoke, grants, reset, history,
 * audit. Each is a request to Terrarium's core (cli/core.ts → main/api), the same the window makes,
 * checked by the same schemas; this file turns words into requests and results into lines.
 * `--json` output is stable (README, "JSON output"); human output may change.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AppRecord, AuditEntry, GrantInput, GrantRecord, InstallSourceInput, RunRecord } from '../../preload/api.ts';
import { AUDIT_PAGE_MAX, SORT_ORDERS, UNKNOWN_ACCESS, DECISIONS } from '../../preload/schema-parts.ts';
import { jsonSafe, nameKey, safeText, visible as v } from '../../preload/safe-text.ts';
import { splitWords } from '../../preload/words.ts';
import { promptSafe } from '../api/terminal-prompt.ts';
import { CodedError, isCoded } from '../shared/coded-error.ts';
import { type Core, withCore } from './core.ts';
import { type Parsed, has, opt } from './define.ts';
import { withAppSuggestion } from './suggest.ts';
import { UsageError } from './usage-error.ts';
import { oneOf, parseDir, parseEnv, positiveNumber, wholeNumber } from './values.ts';

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

/** The grants that `grant`'s options describe. */
function grantsFrom(p: Parsed, unknownGiven = false): GrantInput[] {
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
      if (!ok) throw new UsageError(`--dir ${value}: no such folder`, 'grant');
      gs.push({ kind: 'folder', host, guest: d.guestPath === d.hostPath ? host : d.guestPath, access: d.readOnly ? 'read' : 'read-write' });
    } else if (name === 'env') {
      gs.push({ kind: 'env', ...parseEnv(value) });
    } else if (name === 'args') {
      try {
        gs.push({ kind: 'args', args: splitWords(value) });
      } catch (err) {
        throw new UsageError(`--args: ${(err as Error).message}`, 'grant');
      }
    } else if (name === 'memory-max') {
      gs.push({ kind: 'limit', name: 'memory-max-mib', value: positiveNumber(name, value) });
    } else if (name === 'timeout') {
      gs.push({ kind: 'limit', name: 'timeout-seconds', value: positiveNumber(name, value) });
    }
  }
  if (gs.length === 0 && !unknownGiven) throw new UsageError('grant needs at least one of --dir, --env, --args, --memory-max, --timeout', 'grant');
  return gs;
}

/** Whether grant `g` is one that `revoke`'s option `name` with `value` names. */
function revokes(g: GrantRecord, name: string, value: string): boolean {
  switch (name) {
    case 'dir': {
      if (g.kind !== 'folder') return false;
      if (value === '') return true;
      const key = path.isAbsolute(value) || !fs.existsSync(value) ? value : fs.realpathSync(value);
      return g.host === key || g.guest === key;
    }
    case 'env':
      return g.kind === 'env' && g.name === value;
    case 'args':
      return g.kind === 'args';
    case 'memory-max':
      return g.kind === 'limit' && g.name === 'memory-max-mib';
    case 'timeout':
      return g.kind === 'limit' && g.name === 'timeout-seconds';
    default:
      return false;
  }
}

/** The ids of the grants that `revoke`'s options name, among `grants`. */
function revokedIds(p: Parsed, grants: GrantRecord[]): number[] {
  if (p.options.length === 0) throw new UsageError('revoke needs at least one of --dir, --env, --args, --memory-max, --timeout, --id', 'revoke');
  const ids = new Set<number>();
  for (const { name, value } of p.options) {
    if (name === 'id') {
      const id = wholeNumber('id', value);
      if (grants.some((g) => g.id === id)) ids.add(id);
    } else for (const g of grants) if (revokes(g, name, value)) ids.add(g.id);
  }
  return [...ids];
}

/** Every grant of app `ref`, with its status. */
async function grantsOf(core: Core, ref: string): Promise<GrantRecord[]> {
  return (await core.call('apps.get', { ref })).grants;
}

/** Where `install` reads from: a URL, a folder (a package) or a file, as typed. */
function installSource(arg: string): InstallSourceInput {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) return { kind: 'url', url: arg };
  const abs = path.resolve(arg);
  return fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory() ? { kind: 'package', dir: abs } : { kind: 'file', path: abs };
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

/** Each decision in words (`audit`'s human output; --json keeps the values). */
export const DECISION_WORDS: Record<(typeof DECISIONS)[number], string> = {
  allowed: 'allowed',
  'prompted-allowed': 'asked, allowed',
  denied: 'denied',
};

/** One audit entry as a line: repeats counted, a run's summary row said in words. */
function auditLine(e: AuditEntry): string {
  const word = DECISION_WORDS[e.decision];
  const head = `#${e.id} ${e.at}  run ${e.runId ?? '-'}  ${word.padEnd(15)}`;
  if (e.summary) return `${head} and ${e.count} more ${word} (past the entries the log keeps per run)`;
  return `${head} ${e.operation.padEnd(6)} ${promptSafe(e.path ?? '', 1000)}${e.count > 1 ? `  (${e.count} times since ${e.firstAt})` : ''}`;
}

/** `list`'s rows under a header row, each column as wide as its widest cell (descriptions last, unpadded). */
function listTable(apps: { name: string; version: string | null; id: string; size: number; description: string | null }[]): string[] {
  const rows = [['NAME', 'VERSION', 'ID', 'SIZE', 'DESCRIPTION'], ...apps.map((a) => [v(a.name), safeText(a.version ?? '', 30), a.id, mib(a.size), safeText(a.description ?? '', 200)])];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 3 ? cell.padStart(widths[c]!) : c < 4 ? cell.padEnd(widths[c]!) : cell)).join('  ').trimEnd());
}

/** Runs library command `command` (already parsed); resolves to the exit code. */
export function libraryCommand(command: string, p: Parsed): Promise<number> {
  return withCore(async (core) => {
    try {
      return await libraryCommandOn(core, command, p);
    } catch (err) {
      // A mistyped app name: say which installed apps are close to it.
      if (!isCoded(err, 'not-found') || p.positionals[0] === undefined) throw err;
      const names = (await core.call('apps.list', {})).map((a) => a.name);
      throw withAppSuggestion(err, p.positionals[0], () => names, v);
    }
  });
}

async function libraryCommandOn(core: Core, command: string, p: Parsed): Promise<number> {
  const ref = p.positionals[0]!;
  switch (command) {
    case 'install': {
      const progressId = process.stderr.isTTY && !has(p, 'json') ? 'cli' : undefined;
      let downloaded = false;
      const stop = core.onEvent((name, e) => {
        if (name !== 'install.progress') return;
        const { received, total, stage } = e as { received: number; total: number | null; stage?: 'transpile' };
        // The step after a download (if any) on a line of its own, ended below like the download's.
        if (stage === 'transpile') {
          process.stderr.write(`${downloaded ? '\n' : ''}Preparing for the WASI 0.2 host…`);
        } else {
          process.stderr.write(`\r${mib(received)}${total ? ` of ${mib(total)}` : ''}   `);
          downloaded = true;
        }
      });
      let preview;
      try {
        preview = await core.call('install.preview', { source: installSource(ref), sha256: opt(p, 'sha256'), progressId });
      } finally {
        stop();
        if (progressId) process.stderr.write('\n');
      }
      let r;
      try {
        r = await core.call('install.confirm', { previewId: preview.previewId, name: opt(p, 'name') });
      } catch (err) {
        // The window's message asks for another name in its field; here it is --name.
        if (!isCoded(err, 'duplicate-name')) throw err;
        const wanted = opt(p, 'name') ?? preview.name;
        const taken = (await core.call('apps.list', {})).find((a) => nameKey(a.name) === nameKey(wanted));
        const from = taken === undefined ? '' : ` (from ${(await core.call('apps.get', { ref: taken.id })).app.source.location})`;
        throw new CodedError('duplicate-name', `an app called "${taken?.name ?? wanted}" is already installed${from}; choose another name with --name`);
      }
      if (has(p, 'json')) json(r);
      else out(`${r.action} ${v(r.app.name)}${r.app.version ? ` ${safeText(r.app.version, 100)}` : ''} (id ${r.app.id}, ${mib(r.app.size)}); can use: ${Object.keys(r.app.inspection.capabilities).join(', ') || 'nothing'}`);
      return 0;
    }
    case 'list': {
      const given = opt(p, 'sort');
      const sort = given === undefined ? undefined : oneOf('sort', given, SORT_ORDERS);
      // The catalog without `running` (always 0 here: this process runs nothing), as documented.
      const apps = (await core.call('apps.list', { search: opt(p, 'search'), sort })).map(({ running: _, ...a }) => a);
      if (has(p, 'json')) json(apps);
      else if (apps.length === 0) out('no apps installed');
      else for (const line of listTable(apps)) out(line);
      return 0;
    }
    case 'info': {
      const d = await core.call('apps.get', { ref });
      if (has(p, 'json')) json({ ...d.app, grants: d.grants, builds: d.builds });
      else printInfo(d.app, d.grants, d.builds);
      return 0;
    }
    case 'uninstall': {
      const { app } = await core.call('apps.get', { ref });
      await core.call('apps.uninstall', { ref: app.id });
      out(`uninstalled ${v(app.name)}`);
      return 0;
    }
    case 'grant': {
      const unknown = opt(p, 'unknown');
      const grants = grantsFrom({ ...p, options: p.options.filter((o) => o.name !== 'unknown') }, unknown !== undefined);
      if (unknown !== undefined) {
        const mode = oneOf('unknown', unknown, UNKNOWN_ACCESS);
        await core.call('apps.setUnknownAccess', { ref, mode });
        out(`outside its grants, ${v(ref)} will ${mode === 'ask' ? 'ask' : 'be denied without asking'}`);
        if (grants.length === 0) return 0;
      }
      for (const g of await core.call('grants.add', { ref, grants })) out(`#${g.id} ${describeGrant(g)}`);
      return 0;
    }
    case 'revoke': {
      const ids = revokedIds(p, await grantsOf(core, ref));
      if (ids.length > 0) await core.call('grants.revoke', { ref, ids });
      out(`revoked ${ids.length} grant${ids.length === 1 ? '' : 's'}`);
      return ids.length === 0 ? 1 : 0;
    }
    case 'grants': {
      const gs = await grantsOf(core, ref);
      if (has(p, 'json')) json(gs);
      else if (gs.length === 0) out('no grants: the app sees no files and no environment');
      else for (const g of gs) out(`#${g.id} ${describeGrant(g)}`);
      return 0;
    }
    case 'reset': {
      const n = (await grantsOf(core, ref)).length;
      await core.call('grants.reset', { ref });
      out(`removed ${n} grant${n === 1 ? '' : 's'}`);
      return 0;
    }
    case 'audit': {
      const given = opt(p, 'decision');
      const decision = given === undefined ? undefined : oneOf('decision', given, DECISIONS);
      const limitText = opt(p, 'limit');
      const beforeText = opt(p, 'before');
      const limit = limitText === undefined ? 1000 : wholeNumber('limit', limitText, 1, AUDIT_PAGE_MAX);
      const before = beforeText === undefined ? undefined : wholeNumber('before', beforeText);
      const entries = await core.call('apps.audit', { ref, decision, limit, before });
      if (has(p, 'json')) json(entries);
      else if (entries.length === 0) out('nothing recorded');
      else {
        for (const e of entries) out(auditLine(e));
        if (entries.length === limit) out(`older entries: terrarium audit ${v(ref)} --before ${entries.at(-1)!.id}`);
      }
      return 0;
    }
    case 'history': {
      const runs = await core.call('apps.history', { ref });
      if (has(p, 'json')) json(runs);
      else printHistory(runs);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}
