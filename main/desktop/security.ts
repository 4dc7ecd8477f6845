/**
 * The shell's security settings (DESIGN §8, Electron's security checklist) as pure values and
 * installers over fake-able objects, so each item is tested without Electron. Types come from
 * Electron's own typings; nothing here imports Electron at runtime.
 */
import type { HandlerDetails, Session, WebContents, WebFrameMain, WebPreferences, WindowOpenHandlerResponse } from 'electron';
import { APP_ORIGIN, isAppUrl, urlOrigin } from './app-origin.ts';

/** The window's webPreferences: isolated, sandboxed, no Node, no webviews, nothing experimental. */
export function webPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  };
}

/**
 * The renderer's Content-Security-Policy: scripts only from the app itself, never inline or eval.
 * `style-src 'unsafe-inline'` is for xterm.js's injected styles (DESIGN §8).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Headers every `app://` response carries, errors included. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
});

/** `headers` with the security headers set over whatever was there. */
export function withSecurityHeaders(headers: Record<string, string> = {}): Headers {
  const out = new Headers(headers);
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) out.set(k, v);
  return out;
}

/** The part of a Session the permission handlers need. */
export type PermissionSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>;

/** Denies every permission web content asks for or checks (camera, notifications, USB, …). */
export function installPermissionHandlers(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** Longest external URL offered to the person. */
const MAX_EXTERNAL_URL = 2048;

/**
 * The canonical form of `url` if it may be offered for opening in the person's browser: https
 * with a host, no credentials, not absurdly long. Anything else (file:, javascript:, http:, app:) is
 * null. The canonical href is what must be shown and opened, never the raw string.
 */
export function vetExternalUrl(url: unknown): string | null {
  if (typeof url !== 'string' || url.length > MAX_EXTERNAL_URL) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' || u.hostname === '' || u.username !== '' || u.password !== '') return null;
  return u.href.length > MAX_EXTERNAL_URL ? null : u.href;
}

/**
 * The `confirmOpenExternal` callback: vets the URL, asks the person (`confirm`), and only then calls
 * `openExternal` (shell.openExternal). While one question is open, further offers are dropped, so a
 * page cannot pile up dialogs. Resolves to whether the URL was opened.
 */
export function createExternalOpener(
  confirm: (url: string) => Promise<boolean>,
  openExternal: (url: string) => Promise<void>,
): (url: string) => Promise<boolean> {
  let asking = false;
  return async (url) => {
    const vetted = vetExternalUrl(url);
    if (vetted === null || asking) return false;
    asking = true;
    try {
      if (!(await confirm(vetted))) return false;
      await openExternal(vetted);
      return true;
    } catch {
      return false;
    } finally {
      asking = false;
    }
  };
}

/** The part of a WebContents the navigation guards need. */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Blocks every navigation and redirect away from the app's own origin, every `<webview>`, and
 * every new window. https links a page tries to open in a new window are handed to
 * `confirmOpenExternal` (see createExternalOpener), which decides whether the browser opens them.
 */
export function installNavigationGuards(contents: GuardedContents, confirmOpenExternal?: (url: string) => unknown): void {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  // Terrarium has no <webview>; webviewTag is off, and this refuses one should it ever appear.
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler((details: HandlerDetails): WindowOpenHandlerResponse => {
    const vetted = vetExternalUrl(details.url);
    if (vetted !== null && confirmOpenExternal) void Promise.resolve().then(() => confirmOpenExternal(vetted));
    return { action: 'deny' };
  });
}

/** What the sender check reads from an IPC event (IpcMainInvokeEvent has all of it). */
export interface SenderEvent {
  readonly sender: Pick<WebContents, 'isDestroyed'>;
  readonly senderFrame: (Pick<WebFrameMain, 'url' | 'detached' | 'isDestroyed'> & { readonly parent: object | null }) | null;
}

/**
 * True only for a message from the main frame of one of the app's own pages: a live, attached,
 * top-level frame whose URL has origin `appOrigin`, in a WebContents `isOwnContents` accepts (when
 * given). Sub-frames, other origins, destroyed or navigated-away frames are refused.
 */
export function isTrustedSender<E extends SenderEvent>(
  event: E,
  appOrigin: string = APP_ORIGIN,
  isOwnContents?: (sender: E['sender']) => boolean,
): boolean {
  try {
    const frame = event.senderFrame;
    if (frame === null || frame === undefined) return false;
    if (event.sender.isDestroyed() || frame.isDestroyed() || frame.detached) return false;
    if (frame.parent !== null) return false;
    if (urlOrigin(frame.url) !== appOrigin) return false;
    return isOwnContents === undefined || isOwnContents(event.sender) === true;
  } catch {
    // Reading a disposed frame throws in Electron; such a sender is not trusted.
    return false;
  }
}
