/**
 * Which components Terrarium runs (issue 15.1): `wasi:cli/command` components, the ones exporting
 * `wasi:cli/run@0.2.x`. Versions 0.2.0–0.2.x are served by one host; 0.3 (async) is not.
 */

/** `wasi:pkg/iface@0.2.N` → [`wasi:pkg/iface`, `0.2.N`] (version null when the name has none). */
export function splitVersion(name: string): [string, string | null] {
  const at = name.lastIndexOf('@');
  return at < 0 ? [name, null] : [name.slice(0, at), name.slice(at + 1)];
}

/** True for a WASI 0.2 version, 0.2.0 through 0.2.x (no pre-releases). */
export const isWasi02 = (version: string | null): boolean => version !== null && /^0\.2\.\d+$/.test(version);

/** The first three of `names`, then "…" if there are more. */
export function fewNames(names: readonly string[]): string {
  return names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '');
}

/**
 * Null when a component with top-level `exports` is a WASI 0.2 command; otherwise one line saying
 * what it is instead (an HTTP handler, a library or reactor, a command of another WASI version).
 */
export function notACommand(exports: readonly string[]): string | null {
  const run = exports.find((e) => splitVersion(e)[0] === 'wasi:cli/run');
  if (run !== undefined) {
    return isWasi02(splitVersion(run)[1]) ? null : `this WebAssembly component is a command for ${run}: only WASI 0.2 commands (wasi:cli/run@0.2.x) are supported, not 0.3/async`;
  }
  if (exports.some((e) => splitVersion(e)[0] === 'wasi:http/incoming-handler')) {
    return 'this WebAssembly component is an HTTP handler (it exports wasi:http/incoming-handler), not a command-line app: Terrarium runs only wasi:cli/command components';
  }
  if (exports.length === 0) return 'this WebAssembly component exports nothing to run (a library or plug-in), not a wasi:cli/command';
  return `this WebAssembly component is a library or reactor (it exports ${fewNames(exports)}), not a command: it does not export wasi:cli/run`;
}
