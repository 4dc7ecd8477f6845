/** Names the integration puts on disk: shell command names and the file names of shortcuts. */
import { cutText, replaceUnsafe } from '../../preload/safe-text.ts';

/** Windows device names, which no file (of any extension) may be called. */
const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\..*)?$/i;

/** What a command may be called: a letter or digit, then letters, digits, `.`, `_`, `+`, `-`. */
const COMMAND_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;

/**
 * Why `name` cannot be a command (null when it can). Checked as typed, never silently changed: no
 * path separators, no leading dash or dot, no shell metacharacters or spaces, not a Windows device
 * name, and not `terrarium` itself.
 */
export function commandNameProblem(name: string): string | null {
  if (name === '') return 'A command needs a name.';
  if (/[/\\]/.test(name)) return 'A command name cannot contain / or \\.';
  if (name.startsWith('-')) return 'A command name cannot start with a dash.';
  if (name.startsWith('.')) return 'A command name cannot start with a dot.';
  if (name.length > 64) return 'A command name can be at most 64 characters long.';
  if (!COMMAND_NAME.test(name)) return 'A command name can only use letters, digits and . _ + -';
  if (name.endsWith('.')) return 'A command name cannot end with a dot.';
  if (WINDOWS_RESERVED.test(name)) return `"${name}" is a reserved name on Windows.`;
  if (name.toLowerCase() === 'terrarium' || name.toLowerCase().startsWith('terrarium.')) return '"terrarium" is Terrarium\'s own command.';
  return null;
}

/** A command name to suggest for an app: its name in lower case, other characters as dashes. */
export function suggestCommandName(appName: string, appId: string): string {
  const slug = appName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._+]+/g, '-')
    .replace(/^[-._+]+|[-._]+$/g, '')
    .slice(0, 64)
    .replace(/[-._]+$/, '');
  return slug !== '' && commandNameProblem(slug) === null ? slug : `app-${appId}`;
}

/**
 * A file name (without extension) that shows `appName` in a Start menu, Finder or Launchpad: the
 * characters Windows and macOS forbid become dashes, controls spaces, other unsafe characters
 * (bidi overrides, invisible ones: preload/safe-text.ts) U+FFFD, cut at a grapheme boundary, no leading dot (hidden) and no
 * trailing dot or space (Windows drops them), at most 80 characters, never a device name.
 */
export function displayFileName(appName: string, appId: string): string {
  const clean = replaceUnsafe(appName.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' '), '\uFFFD')
    .replace(/[<>:"/\\|?*]/g, '-')
    .trim()
    .replace(/^\.+/, '');
  const name = cutText(clean, 80).text.replace(/[. ]+$/, '');
  if (name === '') return `App ${appId}`;
  return WINDOWS_RESERVED.test(name) ? `App ${name}` : name;
}

/** App ids go into file names and command lines, so only plain ids are accepted. */
export function checkAppId(appId: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(appId)) throw new Error(`not an app id: ${JSON.stringify(appId)}`);
  return appId;
}
