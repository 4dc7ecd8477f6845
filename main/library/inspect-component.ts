/**
 * Inspecting a WASI 0.2 component without running it (issue 15.1): only `wasi:cli/command`
 * components (those exporting `wasi:cli/run@0.2.x`) are installed; libraries, reactors and HTTP
 * handlers are refused with one line saying what they are. Its imports are grouped into the same
 * plain-language capabilities as a preview1 module's, and the review says how it will run: an
 * adapter-built component on the preview1 runtime (its core module 0), anything else on the
 * WASI 0.2 host.
 */
import { componentOutline } from '../wasm/component.ts';
import { preview1Core } from '../wasm/unbundle.ts';
import { fewNames, isWasi02, notACommand, splitVersion } from '../wasm/world.ts';
import { WasmBinaryError } from '../wasm/binary.ts';
import { InspectError } from './inspect-error.ts';
import type { Capability, Inspection } from './types.ts';

/** What each WASI 0.2 interface lets a component do; `null`: plumbing that reaches nothing itself. */
const INTERFACE_CAPABILITIES: Readonly<Record<string, readonly Capability[] | null>> = {
  'wasi:cli/environment': ['environment', 'arguments'],
  'wasi:cli/exit': ['process exit'],
  'wasi:cli/stdin': ['terminal i/o'],
  'wasi:cli/stdout': ['terminal i/o'],
  'wasi:cli/stderr': ['terminal i/o'],
  'wasi:cli/terminal-input': ['terminal i/o'],
  'wasi:cli/terminal-output': ['terminal i/o'],
  'wasi:cli/terminal-stdin': ['terminal i/o'],
  'wasi:cli/terminal-stdout': ['terminal i/o'],
  'wasi:cli/terminal-stderr': ['terminal i/o'],
  'wasi:clocks/monotonic-clock': ['clocks'],
  'wasi:clocks/wall-clock': ['clocks'],
  'wasi:filesystem/types': ['files'],
  'wasi:filesystem/preopens': ['files'],
  'wasi:random/random': ['randomness'],
  'wasi:random/insecure': ['randomness'],
  'wasi:random/insecure-seed': ['randomness'],
  'wasi:io/error': null,
  'wasi:io/poll': null,
  'wasi:io/streams': null,
};

/** Network interfaces: listed under "sockets" (the host denies them all). */
const NETWORK = /^wasi:(sockets|http)\//;

/** The capabilities a component's imports reach; refuses imports no host of Terrarium's serves. */
function capabilitiesOf(imports: string[]): Inspection['capabilities'] {
  const caps: Inspection['capabilities'] = {};
  const unserved: string[] = [];
  for (const name of imports) {
    const [iface, version] = splitVersion(name);
    const known = NETWORK.test(iface) ? (['sockets'] as const) : INTERFACE_CAPABILITIES[iface];
    if (known === undefined || !isWasi02(version)) {
      unserved.push(name);
      continue;
    }
    for (const cap of known ?? []) (caps[cap] ??= []).push(name);
  }
  if (unserved.length > 0) {
    throw new InspectError('unsupported-imports', `not a WASI 0.2 command Terrarium can run: it imports ${fewNames(unserved)}`);
  }
  return caps;
}

/**
 * Inspects component `bytes`; `inspectCore` inspects a preview1 core module (library/inspect.ts).
 * Throws InspectError naming the problem for anything Terrarium cannot run.
 */
export async function inspectComponent(
  bytes: Uint8Array, sha256: string, inspectCore: (core: Uint8Array) => Promise<Inspection>,
): Promise<Inspection> {
  let outline;
  let core: Uint8Array | null;
  try {
    outline = componentOutline(bytes);
    core = preview1Core(bytes);
  } catch (err) {
    if (err instanceof WasmBinaryError) throw new InspectError('malformed', err.message);
    throw err;
  }
  const what = notACommand(outline.exports);
  if (what !== null) throw new InspectError('component', what);
  const declared = capabilitiesOf(outline.imports);
  const component = { world: 'wasi:cli/command' as const, imports: outline.imports, exports: outline.exports };
  if (core !== null) {
    // The fast path runs core module 0, so what that module imports is exactly what it can do.
    let inner: Inspection | null = null;
    try {
      inner = await inspectCore(core);
    } catch (err) {
      if (!(err instanceof InspectError)) throw err;
    }
    if (inner !== null) {
      return { ...inner, sha256, size: bytes.length, wasi: '0.2', component: { ...component, path: 'preview1-core' } };
    }
  }
  return {
    sha256,
    size: bytes.length,
    kind: 'command',
    wasi: '0.2',
    exports: outline.exports.map((name) => ({ name, kind: 'instance' })),
    wasiFunctions: [...new Set(outline.imports)].sort(),
    capabilities: declared,
    producers: {},
    moduleName: null,
    memory: null,
    component: { ...component, path: 'wasi-0.2-host' },
  };
}
