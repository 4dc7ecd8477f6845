/** The file operations the planners return and the executor performs. */

/** What Electron's `shell.writeShortcutLink` needs for one `.lnk` (a subset of its ShortcutDetails). */
export interface ShortcutOptions {
  target: string;
  args: string;
  description: string;
  icon: string;
  iconIndex: number;
}

/**
 * Who may be overwritten or removed: the thing at `root` (default `file`) counts as the app's
 * only when `file` carries the app's marker (for a `.lnk`, when it runs `--run <appId>`).
 * Anything else there is the person's own, and is never touched.
 */
export interface Guard {
  appId: string;
  file: string;
  root?: string;
}

export type FileOp =
  /** Write `content` (creating folders), replacing only a file the guard says is the app's. */
  | { op: 'write'; path: string; content: string; mode: number; guard: Guard }
  /** Copy a shared file of Terrarium's own (its icon) into place, replacing what is there. */
  | { op: 'copy'; from: string; path: string }
  /** Write a Windows shortcut through Electron's shell API. */
  | { op: 'shortcut'; path: string; options: ShortcutOptions; guard: Guard }
  /** Remove the app's file (or, `recursive`, its folder); something not the app's is left alone. */
  | { op: 'remove'; path: string; recursive: boolean; guard: Guard };

/** The `--run` arguments every launcher passes to Terrarium. */
export function runArgs(appId: string): [string, string] {
  return ['--run', appId];
}
