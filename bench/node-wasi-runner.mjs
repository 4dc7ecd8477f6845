// The node:wasi baseline: plain JavaScript (no type stripping), doing only what node:wasi needs —
// read, compile, instantiate, start — so it is the fastest honest way to run the same program.
//   node bench/node-wasi-runner.mjs [--dir HOST[::GUEST][:ro]]... MODULE.wasm [-- ARGS...]
// HOST::GUEST becomes the preopen {GUEST: HOST}; node:wasi has no read-only preopens, so `:ro` is
// accepted and ignored. Exits with the guest's exit code (2 for a bad command line).
// Built-ins come from process.getBuiltinModule, not ES imports: an ES import of node:fs makes Node
// build its ES facade too (fs/promises, the file streams, readline, the stream library: ~4 ms of CPU
// per start here), which the command avoids the same way (docs/design/startup.md).
const { readFileSync } = process.getBuiltinModule('node:fs');
const { basename } = process.getBuiltinModule('node:path');
// Loading node:wasi emits an ExperimentalWarning (an Error with its stack, written to stderr: ~4 ms
// of CPU): a deployment of node:wasi silences it, so the baseline does, for that one load only.
const emitWarning = process.emitWarning;
process.emitWarning = () => {};
const { WASI } = process.getBuiltinModule('node:wasi');
process.emitWarning = emitWarning;

const argv = process.argv.slice(2);
/** @type {Record<string, string>} */
const preopens = {};
let i = 0;
for (; i < argv.length && String(argv[i]).startsWith('--dir'); i++) {
  let spec = argv[i] === '--dir' ? argv[++i] : String(argv[i]).slice('--dir='.length);
  if (spec === undefined) break;
  if (spec.endsWith(':ro')) spec = spec.slice(0, -3);
  const sep = spec.lastIndexOf('::');
  preopens[sep >= 0 ? spec.slice(sep + 2) : spec] = sep >= 0 ? spec.slice(0, sep) : spec;
}
const module = argv[i];
if (module === undefined || module.startsWith('--')) {
  process.stderr.write('usage: node-wasi-runner.mjs [--dir HOST[::GUEST][:ro]]... MODULE.wasm [-- ARGS...]\n');
  process.exit(2);
}
const rest = argv.slice(i + 1);
const wasi = new WASI({
  version: 'preview1',
  args: [basename(module), ...(rest[0] === '--' ? rest.slice(1) : rest)],
  env: {},
  preopens,
  returnOnExit: true,
});
const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(module)), /** @type {WebAssembly.Imports} */ (wasi.getImportObject()));
process.exitCode = wasi.start(instance);
