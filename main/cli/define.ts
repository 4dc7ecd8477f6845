/**
 * What a CLI command is, as data: one definition per command (cli/commands.ts) from which the
 * parser (cli/parse.ts), the overview, `terrarium help COMMAND`, `terrarium COMMAND --help` and
 * the usage line under a usage error (cli/help.ts) are all made. No usage text is kept by hand.
 */

/** One option: `--NAME` (a switch) or `--NAME VALUE`. */
export interface OptionDef {
  /** `boolean`: a switch; `string`: takes a value, as the next word or after `=`. */
  type: 'boolean' | 'string';
  /** May be given more than once (each value kept, in order); otherwise twice is a usage error. */
  multiple?: boolean;
  /** The value's placeholder in usage and help, e.g. `MIB` (string options). */
  value?: string;
  /** One line for the help. */
  description: string;
}

/** A word the command takes in its place (an app, a file). */
export interface PositionalDef {
  /** As shown in usage: `APP`, `FILE|URL|FOLDER`. */
  name: string;
  description: string;
  /** May be left out (shown as `[NAME]`). */
  optional?: boolean;
}

/** An example for the help: the command line and what it does. */
export interface Example {
  command: string;
  does: string;
}

/** What a command line means once parsed against a {@link CommandDef}. */
export interface Parsed {
  /** Options in the order given (a switch's value is ''). */
  options: { name: string; value: string }[];
  /** The positional words, exactly as many as the command takes. */
  positionals: string[];
  /** Words for the app (after the positional, or after `--`), for commands that have `rest`. */
  rest: string[];
  /** `--help` or `-h` was given among the command's own options. */
  help: boolean;
}

/** One command of `terrarium`. */
export interface CommandDef {
  name: string;
  /** One line for the overview. */
  summary: string;
  /** What it does, for `help COMMAND` (a few sentences). */
  description: string;
  positionals: PositionalDef[];
  options: Record<string, OptionDef>;
  /**
   * Words handed on to the app: everything after the positional (options included) or after `--`.
   * Options then end at the first positional: the app's own flags follow it.
   */
  rest?: PositionalDef;
  examples: Example[];
  /** Runs the command (its modules load only now: start-up time is what a person waits for). */
  run(p: Parsed): Promise<number>;
}

/** The value of option `name`, if given (the last one for a repeated option). */
export function opt(p: Parsed, name: string): string | undefined {
  return p.options.findLast((o) => o.name === name)?.value;
}

/** Whether option `name` was given. */
export function has(p: Parsed, name: string): boolean {
  return p.options.some((o) => o.name === name);
}
