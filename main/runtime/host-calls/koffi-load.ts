/**
 * Loading koffi. Its own loader (koffi's index.cjs) copies every property of `node:fs` and
 * `node:util` through esbuild's `__toESM`, which wakes their lazy members (`fs.promises`, util's
 * colors, which make the process's stdio streams): ~7 ms of CPU in every run that touches a file,
 * against ~2.5 ms for its native module alone. So the native module is loaded straight from where
 * npm installs it (`@koromix/koffi-<platform>-<arch>/<platform>_<arch>/koffi.node`, found in the
 * folders `require` would search, in its order) when it is there and is the version koffi itself
 * expects; anything else (another layout, a packaged app, a musl host, a version mismatch) goes
 * through koffi's own loader, as before. The raw module has every function the native calls use
 * (`load`, `errno`, `version`); koffi's wrapper only adds deprecated aliases.
 * The native module is opened with `process.dlopen`, not `require`: a command's first `require`
 * sets up the CommonJS loader (its resolver, package.json reads, diagnostics channels), ~2 ms of
 * CPU in a run that needs nothing else from it. koffi is a Node-API module, so a second load in the
 * same thread (koffi's loader, say) gets its own instance beside this one.
 */
import fs from 'node:fs';
import path from 'node:path';

/** koffi, through its native module when that is safe (see above), else through its own loader. */
export function requireKoffi<K extends { version: string }>(require: NodeJS.Require): K {
  try {
    const raw = installedNative<K>(require);
    if (raw !== undefined) return raw;
  } catch {
    // Not loadable here: koffi's loader finds the right one.
  }
  return require('koffi') as K;
}

/** The native module npm installed beside koffi, loaded, when it is koffi's own version; else undefined. */
function installedNative<K extends { version: string }>(require: NodeJS.Require): K | undefined {
  const pkg = `@koromix/koffi-${process.platform}-${process.arch}`;
  let addon: string | undefined;
  let wanted: unknown;
  // The first folder holding each package wins, as `require` resolves them.
  for (const dir of require.resolve.paths('koffi') ?? []) {
    if (addon === undefined && fs.existsSync(path.join(dir, pkg, 'package.json'))) {
      addon = path.join(dir, pkg, `${process.platform}_${process.arch}`, 'koffi.node');
    }
    if (wanted === undefined) {
      try {
        wanted = (JSON.parse(fs.readFileSync(path.join(dir, 'koffi', 'package.json'), 'utf8')) as { version?: unknown }).version;
      } catch {
        // No koffi here: the next folder.
      }
    }
    if (addon !== undefined && wanted !== undefined) break;
  }
  if (addon === undefined || typeof wanted !== 'string') return undefined;
  const loaded = { exports: {} as K };
  process.dlopen(loaded, addon);
  return loaded.exports.version === wanted ? loaded.exports : undefined;
}
