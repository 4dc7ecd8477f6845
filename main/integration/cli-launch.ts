/**
 * How an installed Terrarium runs as the `terrarium` command (DESIGN §7): the packaged executable,
 * started with `--terrarium-cli --` before the command's own arguments, runs main/cli instead of
 * the window. The flag is only ever written by Terrarium's own launchers (the `terrarium` scripts
 * packed in resources/bin, "Add as a command"), never typed by a person, and the RunAsNode fuse
 * stays off: the executable runs Terrarium's own CLI code, never a script it is handed.
 *
 * The `--` matters: Chromium reads every `--switch` on its command line up to the first `--`, so
 * without it an argument meant for an app (`--type=gpu-process`, `--remote-debugging-port=…`) would
 * change what the process is.
 */

/** The flag that selects CLI mode. */
export const CLI_FLAG = '--terrarium-cli';

/**
 * Chromium switches for a CLI run, which draws nothing: no GPU process, and on Linux the headless
 * Ozone platform, because Chromium connects to a display before the event loop starts and a
 * terminal over SSH has none (Electron's Linux build includes that platform; its `--headless` is
 * Chrome's and does nothing in Electron: https://github.com/memrynote/memry/pull/1982 found the
 * same). macOS and Windows start without a display connection.
 */
export function cliSwitches(platform: NodeJS.Platform): string[] {
  return platform === 'linux' ? ['--ozone-platform=headless', '--disable-gpu'] : ['--disable-gpu'];
}

/** What goes between the executable (and, in development, the app folder) and the command's arguments. */
export function cliPrefix(platform: NodeJS.Platform): string[] {
  return [...cliSwitches(platform), CLI_FLAG, '--'];
}

/**
 * The command's own arguments when `argv` asks for CLI mode, else null. The flag counts only
 * before the first `--` and only when a `--` follows it (everything after that `--` is the
 * command's); a `.wasm` or `--run APP` launch of the window never matches.
 */
export function cliArguments(argv: readonly string[]): string[] | null {
  const end = argv.indexOf('--');
  if (end < 0) return null;
  const flag = argv.indexOf(CLI_FLAG);
  return flag >= 0 && flag < end ? argv.slice(end + 1) : null;
}

/** The packed launcher's file name (in `<resources>/bin`). */
export function launcherName(platform: 'linux' | 'darwin' | 'win32'): string {
  return platform === 'win32' ? 'terrarium.cmd' : 'terrarium';
}

/** A launcher packed into resources/bin: its file name and text. */
export interface PackedLauncher {
  name: string;
  content: string;
  mode: number;
}

/**
 * The `terrarium` launcher packed into `<resources>/bin`. It finds the executable from its own
 * location (following the symbolic link a deb puts in /usr/bin), so it works wherever the app is
 * installed. `executable` is the path of the app's executable relative to the resources folder.
 */
export function packedLauncher(platform: 'linux' | 'darwin' | 'win32', executable: string): PackedLauncher {
  const prefix = cliPrefix(platform);
  if (platform === 'win32') {
    // cmd.exe waits for a program a batch file starts, even a GUI-subsystem one, and the last
    // line's exit code is the batch file's. `exit /b` passes it on to `cmd /c` callers too.
    const exe = `%~dp0..\\${executable.replaceAll('/', '\\')}`;
    return {
      name: launcherName(platform),
      content: ['@echo off', 'setlocal DisableDelayedExpansion', `"${exe}" ${prefix.join(' ')} %*`, 'exit /b %ERRORLEVEL%', ''].join('\r\n'),
      mode: 0o755,
    };
  }
  return {
    name: launcherName(platform),
    content: [
      '#!/bin/sh',
      "# The terrarium command: Terrarium's CLI, without a window (see README, \"The CLI\").",
      '# Made when Terrarium was packaged; /usr/bin/terrarium links here on a deb install.',
      'self=$(readlink -f -- "$0" 2>/dev/null || printf %s "$0")',
      'here=$(cd -P -- "$(dirname -- "$self")" && pwd)',
      `exec "$here/../${executable}" ${prefix.join(' ')} "$@"`,
      '',
    ].join('\n'),
    mode: 0o755,
  };
}
