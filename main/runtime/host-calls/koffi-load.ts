/**
 * Loading koffi. Its own loader (koffi's index.cjs) copies every property of `node:fs` and
 * `node:util` through esbuild's `__toESM`, which wakes their lazy members (`fs.promises`, util's
 * colors, which make the process's stdio streams): ~7 ms of CPU in every run that touches a file,
 * against ~2.5 ms for its native module alone. So the native module is required straight from
 * where npm installs it (`@koromix/koffi-<platform>-<arch>/<platform>_<arch>/koffi.node`) when it
 * is there, loads, and is the version koffi itself expects; anything else (another layout, a
 * packaged app, a musl host, a version mismatch) goes through koffi's own loader, as before.
 * The raw module has every function the native calls use (`load`, `errno`, `version`); koffi's
 * wrapper only adds deprecated aliases.
 */
import fs from 'node:fs';
import path from 'node:path';

/** koffi, through its native module when that is safe (see above), else through its own loader. */
export function requireKoffi<K extends { version: string }>(require: NodeJS.Require): K {
  try {
    const triplet = `${process.platform}_${process.arch}`;
    const pkg = path.dirname(require.resolve(`@koromix/koffi-${process.platform}-${process.arch}/package.json`));
    const wanted = (JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve('koffi')), 'package.json'), 'utf8')) as { version?: unknown }).version;
    const raw = require(path.join(pkg, triplet, 'koffi.node')) as K;
    if (typeof raw.version === 'string' && raw.version === wanted) return raw;
  } catch {
    // Not where npm puts it, or not loadable here: koffi's loader finds the right one.
  }
  return require('koffi') as K;
}
