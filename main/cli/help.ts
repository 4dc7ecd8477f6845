/**
 * Every text that explains how to call `terrarium`, made from the command definitions
 * (cli/commands.ts): the usage line of a command, its full help (`terrarium help COMMAND`,
 * `terrarium COMMAND --help`) and the overview (`terrarium help`, `terrarium --help`, and on
 * stderr when no command is given).
 */
import type { CommandDef } from './define.ts';

/** `--name VALUE` or `--name`, as in usage and help. */
function optionWords(name: string, def: CommandDef['options'][string]): string {
  return def.type === 'string' ? `--${name} ${def.value ?? 'VALUE'}` : `--${name}`;
}

/** The one-line usage of `def`: `terrarium grant APP [--dir HOST[::GUEST][:ro]]... [--json]`. */
export function usageLine(def: CommandDef): string {
  return usageUnits(def).join(' ');
}

/** The usage's units (`terrarium grant`, `APP`, `[--json]`), each kept on one line when wrapped. */
function usageUnits(def: CommandDef): string[] {
  const words = [`terrarium ${def.name}`];
  const opts = Object.entries(def.options).map(([n, o]) => `[${optionWords(n, o)}]${o.multiple ? '...' : ''}`);
  // A command with `rest` reads its options before the positional; the others accept them anywhere.
  const places = def.positionals.map((p) => (p.optional ? `[${p.name}]` : p.name));
  if (def.rest) words.push(...opts, ...places, `[-- ${def.rest.name}...]`);
  else words.push(...places, ...opts);
  return words;
}

/** `text` (or its units) wrapped at `width` columns, every line after the first indented by `indent` spaces. */
function wrap(text: string | string[], width: number, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of typeof text === 'string' ? text.split(' ') : text) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = ' '.repeat(indent) + word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join('\n');
}

/** Two columns: names padded to the longest (at most `max`), then the wrapped description. */
function table(rows: [string, string][], max = 28): string[] {
  const w = Math.min(max, Math.max(...rows.map(([n]) => n.length)));
  return rows.map(([n, d]) => {
    const head = n.length > w ? `  ${n}\n${' '.repeat(w + 4)}` : `  ${n.padEnd(w)}  `;
    return head + wrap(d, 100 - w - 4, w + 4);
  });
}

/** The full help of `def`: usage, description, arguments, options and examples. */
export function commandHelp(def: CommandDef): string {
  const units = usageUnits(def);
  const out = [`usage: ${wrap(units, 100, 8 + units[0]!.length)}`, '', wrap(def.description, 100, 0)];
  const args: [string, string][] = def.positionals.map((p) => [p.name, p.description]);
  if (def.rest) args.push([`-- ${def.rest.name}...`, def.rest.description]);
  if (args.length > 0) out.push('', 'arguments:', ...table(args));
  const opts: [string, string][] = Object.entries(def.options).map(([n, o]) => [optionWords(n, o), `${o.description}${o.multiple ? ' (may be repeated)' : ''}`]);
  opts.push(['-h, --help', 'show this help']);
  out.push('', 'options:', ...table(opts));
  if (def.examples.length > 0) {
    out.push('', 'examples:');
    for (const e of def.examples) out.push(`  ${e.command}`, `      ${wrap(e.does, 94, 6)}`);
  }
  return `${out.join('\n')}\n`;
}

/** The overview: what terrarium is, every command with its summary, and where to read more. */
export function overview(commands: readonly CommandDef[]): string {
  return [
    'usage: terrarium COMMAND [ARGUMENTS] [OPTIONS]',
    '',
    'Terrarium runs WASI command-line apps in a sandbox: an app sees only the folders and',
    'variables you grant it. (The desktop window: npm start.)',
    '',
    'commands:',
    ...table(commands.map((c) => [c.name, c.summary])),
    '',
    'terrarium help COMMAND (or terrarium COMMAND --help) shows its options and examples;',
    'terrarium --version prints the version.',
    '',
  ].join('\n');
}
