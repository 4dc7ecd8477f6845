/**
 * What a launch of Terrarium asks for: open a `.wasm` file (a double-click, or `Terrarium x.wasm`),
 * run an installed app (`Terrarium --run APP`, from a shortcut), or nothing. The same parser reads a
 * first launch's `process.argv` and the argv a second instance forwards.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type LaunchRequest = { kind: 'open-file'; path: string } | { kind: 'run'; app: string } | { kind: 'none' };

export interface LaunchArgsOptions {
  /**
   * Leading entries that are not arguments: 1 for a packaged app (the executable), 2 when run as
   * `electron .` (`process.defaultApp`: the executable and the app's folder). Default 1.
   */
  skip?: number;
  /** The folder relative paths are relative to (the launching process's working directory). */
  cwd?: string;
}

const NONE: LaunchRequest = { kind: 'none' };

/** An app reference as the CLI accepts it: not empty, no controls, not absurdly long. */
function appRef(value: string | undefined): LaunchRequest {
  return value !== undefined && value !== '' && value.length <= 256 && !/[\u0000-\u001f\u007f]/.test(value) ? { kind: 'run', app: value } : NONE;
}

/** A path argument as a file path: `file://` URLs (from `%U` in a Desktop Entry) decoded, quotes a Windows shell left on removed. */
function filePath(arg: string, platform: NodeJS.Platform, cwd: string | undefined): string | null {
  let value = platform === 'win32' && arg.length >= 2 && arg.startsWith('"') && arg.endsWith('"') ? arg.slice(1, -1) : arg;
  if (/^file:/i.test(value)) {
    try {
      value = fileURLToPath(value, { windows: platform === 'win32' });
    } catch {
      return null;
    }
  }
  if (!/\.wasm$/i.test(value)) return null;
  const p = platform === 'win32' ? path.win32 : path.posix;
  return cwd !== undefined ? p.resolve(cwd, value) : value;
}

/**
 * Reads `argv`. `--run APP` and `--run=APP` ask to run an app; the first argument ending in `.wasm`
 * (or a `file:` URL of one) asks to open it. Switches Chromium or Electron add (`--no-sandbox`,
 * `--allow-file-access-from-files`, …) and macOS's `-psn_…` process serial number are skipped;
 * after `--`, every argument is a file. The first request found wins. (A second instance's argv can
 * come reordered on Windows; main prefers the request the instance sent with its lock request.)
 */
export function parseLaunchArgs(argv: readonly string[], platform: NodeJS.Platform, options: LaunchArgsOptions = {}): LaunchRequest {
  const args = argv.slice(options.skip ?? 1);
  let switches = true;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (switches && arg === '--') {
      switches = false;
      continue;
    }
    if (switches && arg === '--run') {
      // Chromium rebuilds a second instance's command line with every switch first, which can put
      // other switches between `--run` and its value: the value is the next non-switch argument.
      return appRef(args.slice(i + 1).find((a) => !a.startsWith('-')));
    }
    if (switches && arg.startsWith('--run=')) return appRef(arg.slice('--run='.length));
    if (switches && arg.startsWith('-')) continue;
    const file = filePath(arg, platform, options.cwd);
    if (file !== null) return { kind: 'open-file', path: file };
  }
  return NONE;
}

/** `data` as a launch request, if it is one (what a second instance sends with its lock request). */
export function asLaunchRequest(data: unknown): LaunchRequest | null {
  if (typeof data !== 'object' || data === null) return null;
  const r = data as Record<string, unknown>;
  if (r.kind === 'none') return NONE;
  if (r.kind === 'run' && typeof r.app === 'string') return appRef(r.app).kind === 'run' ? { kind: 'run', app: r.app } : null;
  if (r.kind === 'open-file' && typeof r.path === 'string' && r.path !== '' && !r.path.includes('\0')) return { kind: 'open-file', path: r.path };
  return null;
}
