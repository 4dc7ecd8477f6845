/**
 * Serves the built renderer (`out/renderer/`) from the `app://terrarium/` scheme instead of
 * `file://` (DESIGN §8), refusing any URL that could name a file outside that folder, and putting
 * the Content-Security-Policy on every response.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CustomScheme, Protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from './app-origin.ts';
import { withSecurityHeaders } from './security.ts';

/**
 * The scheme's privileges: standard (an origin, relative URLs) and secure (a secure context).
 * Deliberately not corsEnabled, bypassCSP or allowServiceWorkers: other origins may not read it.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

/** Registers the scheme; Electron requires this before the app is ready. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

const MAX_URL = 4096;
const MAX_SEGMENT = 255;
/** Names a build emits: letters, digits, `._-@+~`, not starting with a dot, not ending in a dot. */
const SAFE_SEGMENT = /^[A-Za-z0-9_@+~-](?:[A-Za-z0-9._@+~-]*[A-Za-z0-9_@+~-])?$/;
/** Windows device names, which name a device in any folder, with or without an extension. */
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(?:\..*)?$/i;

/**
 * The file under `root` that `url` names, or null when it is not `app://terrarium/...` or could
 * step outside `root`: dot segments (plain or encoded), encoded slashes, backslashes, drive
 * letters, NUL, device names and anything unusual are refused, not cleaned up. `/` is
 * `index.html`; query and fragment are ignored.
 */
export function resolveAppUrl(url: string, root: string): string | null {
  if (typeof url !== 'string' || url.length > MAX_URL || url.includes('\\')) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST || u.username !== '' || u.password !== '') return null;
  const raw = u.pathname === '' || u.pathname === '/' ? '/index.html' : u.pathname;
  if (!raw.startsWith('/')) return null;
  const segments: string[] = [];
  for (const encoded of raw.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(encoded);
    } catch {
      return null;
    }
    if (segment.length > MAX_SEGMENT || !SAFE_SEGMENT.test(segment) || WINDOWS_DEVICE.test(segment)) return null;
    segments.push(segment);
  }
  const base = path.resolve(root);
  const file = path.join(base, ...segments);
  return file.startsWith(base + path.sep) ? file : null;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type for `file`, by extension. */
export function contentType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: withSecurityHeaders({ 'Content-Type': 'text/plain; charset=utf-8' }) });
}

/**
 * The `app:` request handler over `root`: GET and HEAD of files resolveAppUrl accepts; 404 for
 * anything refused or missing, 405 for other methods; security headers on every response.
 */
export function createAppHandler(
  root: string,
  readFile: (file: string) => Promise<Uint8Array> = (file) => fs.readFile(file),
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    const file = resolveAppUrl(request.url, root);
    if (file === null) return plain(404, 'not found');
    let body: Uint8Array;
    try {
      body = await readFile(file);
    } catch {
      return plain(404, 'not found');
    }
    const headers = withSecurityHeaders({ 'Content-Type': contentType(file), 'Content-Length': String(body.byteLength) });
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}

/** Serves `root` on the `app:` scheme of `protocol` (a session's protocol, after ready). */
export function installAppProtocol(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(APP_SCHEME, createAppHandler(root));
}
