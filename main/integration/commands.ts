/**
 * "Add as a command": a launcher in the person's command folder, so `NAME args` in any terminal
 * runs the installed app through `terrarium run <id>` with its stored grants. A POSIX sh script in
 * ~/.local/bin (Linux, macOS); a `.cmd` file in %LOCALAPPDATA%\Terrarium\bin (Windows).
 */
import { cmdQuote, oneLine, shQuote } from './escape.ts';
import { type AppRef, type Host, folders, marker, pathFor } from './host.ts';
import { checkAppId, commandNameProblem } from './names.ts';
import type { FileOp } from './ops.ts';
import { CodedError } from '../shared/coded-error.ts';

/** A command name that cannot be used (`bad-command`); the message says why. */
export function commandNameError(problem: string): CodedError {
  return new CodedError('bad-command', problem);
}

/** The `terrarium run` command line a launcher runs (before the person's own arguments). */
function cliArgv(host: Host, appId: string): string[] {
  return [...(host.cli ?? ['terrarium']), 'run', checkAppId(appId), '--'];
}

/** The launcher's path for command `name` (checked first). */
export function commandPath(host: Host, name: string): string {
  const problem = commandNameProblem(name);
  if (problem !== null) throw commandNameError(problem);
  return pathFor(host).join(folders(host).commands, host.platform === 'win32' ? `${name}.cmd` : name);
}

/** The launcher's text: everything quoted, the person's arguments passed on exactly. */
export function commandLauncher(host: Host, app: AppRef): string {
  const argv = cliArgv(host, app.id);
  if (host.platform === 'win32') {
    // No `call`: the last line hands over to the CLI, whose exit code becomes the launcher's.
    return ['@echo off', `rem ${marker(app.id)}: made by Terrarium's "Add as a command".`, 'setlocal DisableDelayedExpansion', `${argv.map(cmdQuote).join(' ')} %*`, ''].join('\r\n');
  }
  const name = oneLine(app.name);
  return [
    '#!/bin/sh',
    `# ${marker(app.id)}: runs the Terrarium app "${name}" with its stored grants.`,
    '# Made by Terrarium\'s "Add as a command"; Terrarium removes it when the app is uninstalled.',
    `exec ${argv.map(shQuote).join(' ')} "$@"`,
    '',
  ].join('\n');
}

/** The operation that writes command `name` for the app (refusing a file that is not the app's). */
export function commandOps(host: Host, app: AppRef, name: string): FileOp[] {
  const target = commandPath(host, name);
  return [{ op: 'write', path: target, content: commandLauncher(host, app), mode: 0o755, guard: { appId: app.id, file: target } }];
}

/** The command name a launcher's path stands for. */
export function commandNameOf(host: Host, file: string): string {
  const base = pathFor(host).basename(file);
  return host.platform === 'win32' ? base.replace(/\.cmd$/i, '') : base;
}
