/** The CLI's error for a wrong command line (exit code 2), in a module of its own so the parser needs nothing else. */

/** A usage error: the message says what is wrong with the command line; `command` names whose help to point at. */
export class UsageError extends Error {
  /** The command whose usage was wrong, when known (its usage line is shown under the message). */
  command?: string;

  constructor(message: string, command?: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}
