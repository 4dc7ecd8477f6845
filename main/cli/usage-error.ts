/** The CLI's error for a wrong command line: the coded error `usage` (exit code 2), naming the command. */
import { CodedError } from '../shared/coded-error.ts';

/** A usage error: the message says what is wrong with the command line; `command` names whose usage to show. */
export class UsageError extends CodedError {
  /** The command whose usage was wrong, when known (its usage line is shown under the message). */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super('usage', message);
    this.name = 'UsageError';
    this.command = command;
  }
}
