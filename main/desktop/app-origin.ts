/**
 * The app's own origin. The built renderer is served from `app://terrarium/` (DESIGN §8), never
 * from `file://`, so "is this the app?" is one comparison of scheme and host.
 */

/** The custom scheme the renderer is served from (registered as standard and secure). */
export const APP_SCHEME = 'app';
/** The only host of that scheme. */
export const APP_HOST = 'terrarium';
/** The origin Chromium gives the app's pages (a standard scheme's origin is `scheme://host`). */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * The origin of `url` as `scheme://host[:port]`, or null when it does not parse or has no host.
 * Computed by hand because Node's URL gives non-special schemes such as `app:` an opaque origin.
 */
export function urlOrigin(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.host === '' || u.username !== '' || u.password !== '') return null;
  return `${u.protocol}//${u.host}`;
}

/** True when `url` belongs to the app's own origin (`app://terrarium`, no credentials, no port). */
export function isAppUrl(url: unknown): boolean {
  return urlOrigin(url) === APP_ORIGIN;
}
