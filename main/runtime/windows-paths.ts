/**
 * Windows-specific refusals for guest paths (DESIGN §3.1).
 *
 * Windows gives some names a meaning other than "a file in this directory": device names (`NUL`,
 * `COM1`), alternate data streams (`file:stream`), device and UNC prefixes (`\\?\`, `\\server\share`),
 * and names whose trailing dots and spaces are silently stripped (`a.` opens `a`). Any of these would let
 * a guest reach outside its grant or alias another file, so the runtime refuses them before asking the
 * OS. The checks are pure string functions so they can be tested, and applied, on every OS.
 *
 * Sources: https://learn.microsoft.com/windows/win32/fileio/naming-a-file and
 * https://googleprojectzero.blogspot.com/2016/02/the-definitive-guide-on-win32-to-nt.html
 */

/** Characters Win32 refuses in a file name (besides `:`, `\`, `/` and control characters). */
const FORBIDDEN_CHARS = /[<>"|?*]/;

/**
 * Device names, compared after upper-casing the part before the first dot with trailing spaces removed.
 * COM0 and LPT0 and the superscript digits ¹ ² ³ are reserved too (the page above lists them).
 */
const RESERVED = /^(?:CON|PRN|AUX|NUL|COM[0-9\u00B9\u00B2\u00B3]|LPT[0-9\u00B9\u00B2\u00B3]|CONIN\$|CONOUT\$)$/;

/** `C:` at the start of a component, the drive-letter form (also `C:foo`, drive-relative). */
const DRIVE_LETTER = /^[A-Za-z]:/;

/**
 * Checks one path component against Windows naming rules.
 *
 * Promises: returns `null` only for a name that Windows would open as an ordinary directory entry
 * with exactly that name — no device, no alternate data stream, no separator, no silently stripped
 * trailing dot or space, no control or wildcard character. Otherwise returns a short human-readable
 * reason. `.` and `..` are accepted: they are navigation, which path resolution handles itself.
 * The empty string is refused (it names nothing).
 */
export function checkWindowsComponent(name: string): string | null {
  if (name === '.' || name === '..') return null;
  if (name === '') return 'empty name';
  if (name.includes('/')) return 'contains a path separator "/"';
  if (name.includes('\\')) return 'contains a backslash (a path separator on Windows)';
  if (/[\x00-\x1F]/.test(name)) return 'contains a control character';
  if (DRIVE_LETTER.test(name)) return 'drive-letter form such as "C:"';
  if (name.includes(':')) return 'contains ":" (an alternate data stream on Windows)';
  const bad = FORBIDDEN_CHARS.exec(name);
  if (bad) return `contains "${bad[0]}", which Windows does not allow in a name`;
  if (isReservedDeviceName(name)) return 'reserved Windows device name';
  if (name.endsWith('.') || name.endsWith(' ')) {
    return 'ends in a dot or space (Windows strips it, so the name would alias another)';
  }
  return null;
}

/**
 * Checks a '/'-separated guest path against Windows naming rules.
 *
 * Promises: returns `null` only if no component is refused by `checkWindowsComponent` and the path
 * carries no Windows prefix — device namespaces (`\\?\`, `\\.\`, `\??\`), UNC (`\\server\share`, or
 * `//server/share`, which Windows reads the same way), or a drive letter (`C:`, `C:\`). Any backslash
 * is refused. Empty components from repeated or trailing slashes are ignored; whether the path is
 * absolute or climbs out with `..` is not decided here but by path resolution.
 */
export function checkWindowsPath(path: string): string | null {
  const prefix = windowsPrefix(path);
  if (prefix !== null) return prefix;
  for (const component of path.split('/')) {
    if (component === '') continue;
    const reason = checkWindowsComponent(component);
    if (reason !== null) return `"${component}": ${reason}`;
  }
  return null;
}

/** Names the Windows prefix at the start of `path`, or null if there is none. */
function windowsPrefix(path: string): string | null {
  const head = path.slice(0, 4).replaceAll('/', '\\');
  if (head === '\\\\?\\') return 'Win32 file namespace prefix "\\\\?\\"';
  if (head === '\\\\.\\') return 'Win32 device namespace prefix "\\\\.\\"';
  if (head === '\\??\\') return 'NT object namespace prefix "\\??\\"';
  if (head.startsWith('\\\\')) return 'UNC path (\\\\server\\share)';
  if (DRIVE_LETTER.test(path)) return 'drive-letter form such as "C:"';
  return null;
}

/**
 * True for `CON`, `nul.txt`, `Com1.tar.gz`, `aux...`, `con .` and the like: Windows compares the part
 * before the first dot, with trailing dots and spaces stripped, against the device list.
 */
function isReservedDeviceName(name: string): boolean {
  const stripped = name.replace(/[. ]+$/, '');
  const dot = stripped.indexOf('.');
  const base = (dot === -1 ? stripped : stripped.slice(0, dot)).replace(/ +$/, '');
  // toUpperCase rather than an /i regex: it also folds look-alikes such as dotless ı to I, which is
  // the safer direction for a refusal list.
  return RESERVED.test(base.toUpperCase());
}
