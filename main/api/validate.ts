/**
 * Runtime checks of every request's arguments: the renderer is untrusted (DESIGN §2), so nothing
 * it sends is used before it has been checked to have the contract's shape.
 */
import type { GrantInput, InstallSourceInput, RequestArgs, RequestName } from '../../preload/api.ts';
import { AUDIT_PAGE_MAX } from '../library/audit.ts';

/** A request whose arguments do not have the contract's shape. */
export class BadRequest extends Error {}

type Obj = Record<string, unknown>;

function obj(v: unknown, what: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new BadRequest(`${what} must be an object`);
  return v as Obj;
}

function str(v: unknown, what: string, max = 4096): string {
  if (typeof v !== 'string' || v.length > max) throw new BadRequest(`${what} must be a string of at most ${max} characters`);
  return v;
}

function optStr(v: unknown, what: string, max?: number): string | undefined {
  return v === undefined ? undefined : str(v, what, max);
}

function int(v: unknown, what: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new BadRequest(`${what} must be an integer in ${min}..${max}`);
  return v;
}

function num(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new BadRequest(`${what} must be a positive number`);
  return v;
}

function strings(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || v.length > 1000) throw new BadRequest(`${what} must be a list of strings`);
  return v.map((x, i) => str(x, `${what}[${i}]`));
}

function oneOf<T extends string>(v: unknown, what: string, options: readonly T[]): T {
  if (typeof v !== 'string' || !options.includes(v as T)) throw new BadRequest(`${what} must be one of ${options.join(', ')}`);
  return v as T;
}

function source(v: unknown): InstallSourceInput {
  const o = obj(v, 'source');
  switch (o.kind) {
    case 'file': return { kind: 'file', path: str(o.path, 'source.path') };
    case 'url': return { kind: 'url', url: str(o.url, 'source.url') };
    case 'package': return { kind: 'package', dir: str(o.dir, 'source.dir') };
    case 'bytes':
      if (!(o.bytes instanceof Uint8Array)) throw new BadRequest('source.bytes must be bytes');
      return { kind: 'bytes', fileName: str(o.fileName, 'source.fileName', 255), bytes: o.bytes };
    default: throw new BadRequest('source.kind must be file, url, package or bytes');
  }
}

function grant(v: unknown, i: number): GrantInput {
  const o = obj(v, `grants[${i}]`);
  switch (o.kind) {
    case 'folder': {
      const guest = str(o.guest, 'guest');
      if (guest.length === 0 || guest.includes('\0')) throw new BadRequest('guest must be a non-empty path without NUL');
      const host = str(o.host, 'host');
      if (host.includes('\0')) throw new BadRequest('host must not contain NUL');
      return { kind: 'folder', host, guest, access: oneOf(o.access, 'access', ['read', 'read-write'] as const) };
    }
    case 'env': {
      const name = str(o.name, 'name', 256);
      if (!/^[^=\0]+$/.test(name)) throw new BadRequest('env name must not contain = or NUL');
      return o.forward === true ? { kind: 'env', name, forward: true } : { kind: 'env', name, value: str(o.value, 'value') };
    }
    case 'args':
      return { kind: 'args', args: strings(o.args, 'args') };
    case 'limit':
      return { kind: 'limit', name: oneOf(o.name, 'name', ['memory-max-mib', 'timeout-seconds'] as const), value: num(o.value, 'value') };
    default:
      throw new BadRequest(`grants[${i}].kind must be folder, env, args or limit`);
  }
}

const none = (v: unknown): Record<string, never> => {
  obj(v ?? {}, 'arguments');
  return {};
};

/** Checks and copies the arguments of each request. */
export const validators: { [K in RequestName]: (raw: unknown) => RequestArgs<K> } = {
  'system.info': none,
  'apps.list': (v) => {
    const o = obj(v ?? {}, 'arguments');
    return { search: optStr(o.search, 'search', 200), sort: o.sort === undefined ? undefined : oneOf(o.sort, 'sort', ['name', 'installed', 'last-run'] as const) };
  },
  'apps.get': (v) => ({ ref: str(obj(v, 'arguments').ref, 'ref', 200) }),
  'apps.audit': (v) => {
    const o = obj(v, 'arguments');
    return {
      ref: str(o.ref, 'ref', 200),
      before: o.before === undefined ? undefined : int(o.before, 'before', 1, Number.MAX_SAFE_INTEGER),
      limit: o.limit === undefined ? undefined : int(o.limit, 'limit', 1, AUDIT_PAGE_MAX),
    };
  },
  'apps.uninstall': (v) => ({ ref: str(obj(v, 'arguments').ref, 'ref', 200) }),
  'install.preview': (v) => {
    const o = obj(v, 'arguments');
    return { source: source(o.source), sha256: optStr(o.sha256, 'sha256', 64), progressId: optStr(o.progressId, 'progressId', 64) };
  },
  'install.confirm': (v) => {
    const o = obj(v, 'arguments');
    return { previewId: str(o.previewId, 'previewId', 64), name: optStr(o.name, 'name', 100) };
  },
  'install.cancel': (v) => ({ previewId: str(obj(v, 'arguments').previewId, 'previewId', 64) }),
  'grants.add': (v) => {
    const o = obj(v, 'arguments');
    if (!Array.isArray(o.grants) || o.grants.length === 0 || o.grants.length > 100) throw new BadRequest('grants must be a list of 1 to 100 grants');
    return { ref: str(o.ref, 'ref', 200), grants: o.grants.map(grant) };
  },
  'grants.revoke': (v) => {
    const o = obj(v, 'arguments');
    if (!Array.isArray(o.ids)) throw new BadRequest('ids must be a list');
    return { ref: str(o.ref, 'ref', 200), ids: o.ids.map((x, i) => int(x, `ids[${i}]`, 1, Number.MAX_SAFE_INTEGER)) };
  },
  'grants.reset': (v) => ({ ref: str(obj(v, 'arguments').ref, 'ref', 200) }),
  'runs.start': (v) => {
    const o = obj(v, 'arguments');
    const folders = o.folders === undefined ? undefined : (Array.isArray(o.folders) && o.folders.length <= 100 ? o.folders : (() => {
      throw new BadRequest('folders must be a list');
    })()).map((f: unknown, i: number) => {
      const fo = obj(f, `folders[${i}]`);
      if (typeof fo.always !== 'boolean') throw new BadRequest(`folders[${i}].always must be true or false`);
      return { path: str(fo.path, `folders[${i}].path`), always: fo.always };
    });
    return {
      ref: str(o.ref, 'ref', 200),
      args: o.args === undefined ? undefined : strings(o.args, 'args'),
      cols: int(o.cols, 'cols', 2, 1000),
      rows: int(o.rows, 'rows', 2, 1000),
      files: o.files === undefined ? undefined : strings(o.files, 'files'),
      folders,
    };
  },
  'runs.input': (v) => {
    const o = obj(v, 'arguments');
    return { runId: str(o.runId, 'runId', 64), data: str(o.data, 'data', 65536) };
  },
  'runs.resize': (v) => {
    const o = obj(v, 'arguments');
    return { runId: str(o.runId, 'runId', 64), cols: int(o.cols, 'cols', 2, 1000), rows: int(o.rows, 'rows', 2, 1000) };
  },
  'runs.stop': (v) => ({ runId: str(obj(v, 'arguments').runId, 'runId', 64) }),
  'runs.list': none,
  // Issue 13.5 (a reloaded window's tabs):
  'runs.recent': none,
  'runs.forget': (v) => ({ runId: str(obj(v, 'arguments').runId, 'runId', 64) }),
  'prompt.answer': (v) => {
    const o = obj(v, 'arguments');
    return { promptId: str(o.promptId, 'promptId', 64), answer: oneOf(o.answer, 'answer', ['allow-once', 'allow-always', 'deny', 'deny-always', 'deny-run', 'stop-run'] as const) };
  },
  'prompt.pending': none,
  'install.runOnce': (v) => {
    const o = obj(v, 'arguments');
    return { previewId: str(o.previewId, 'previewId', 64), cols: int(o.cols, 'cols', 2, 1000), rows: int(o.rows, 'rows', 2, 1000) };
  },
  'integration.get': (v) => ({ ref: str(obj(v, 'arguments').ref, 'ref', 200) }),
  'integration.addShortcuts': (v) => {
    const o = obj(v, 'arguments');
    if (typeof o.menu !== 'boolean' || typeof o.desktop !== 'boolean') throw new BadRequest('menu and desktop must be true or false');
    return { ref: str(o.ref, 'ref', 200), menu: o.menu, desktop: o.desktop };
  },
  'integration.addCommand': (v) => {
    const o = obj(v, 'arguments');
    return { ref: str(o.ref, 'ref', 200), name: str(o.name, 'name', 64) };
  },
  'integration.remove': (v) => ({ ref: str(obj(v, 'arguments').ref, 'ref', 200) }),
  'denials.remove': (v) => {
    const o = obj(v, 'arguments');
    return { ref: str(o.ref, 'ref', 200), path: str(o.path, 'path') };
  },
  'apps.setUnknownAccess': (v) => {
    const o = obj(v, 'arguments');
    return { ref: str(o.ref, 'ref', 200), mode: oneOf(o.mode, 'mode', ['ask', 'deny'] as const) };
  },
  'fs.list': (v) => ({ path: optStr(obj(v ?? {}, 'arguments').path, 'path') }),
  'dialog.chooseFolder': none,
  'dialog.chooseFile': (v) => {
    const o = obj(v ?? {}, 'arguments');
    if (o.wasm !== undefined && typeof o.wasm !== 'boolean') throw new BadRequest('wasm must be true or false');
    return { wasm: o.wasm as boolean | undefined };
  },
};
