/**
 * Where the in-app file browser was last used, per purpose (issue 13.6): choosing a folder to
 * share, a module to install and a file to open each reopen where they were left. Kept for the
 * page's session (sessionStorage survives a reload; web mode's origin changes with every launch).
 */
const KEY = 'terrarium.browse-places';

function read(): Record<string, string> {
  try {
    const v: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? '{}');
    return v && typeof v === 'object' ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** The folder last shown for `purpose`, if any. */
export function lastPlace(purpose: string): string | undefined {
  const p = read()[purpose];
  return typeof p === 'string' ? p : undefined;
}

/** Remembers `folder` as the last one shown for `purpose`. */
export function rememberPlace(purpose: string, folder: string): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ ...read(), [purpose]: folder }));
  } catch {
    // Storage refused (private mode, quota): the browser starts at home next time.
  }
}
