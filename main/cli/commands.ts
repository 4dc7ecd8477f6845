/**
 * Every command of `terrarium`, defined once (cli/define.ts): its name, summary, description,
 * arguments, options and examples. The parser, the help and the usage lines are made from these;
 * each command's code loads only when it runs. To add a command: add its definition here and its
 * code in a module of its own (docs/design/cli.md).
 */
import type { CommandDef, OptionDef, Parsed } from './define.ts';

const DIR: OptionDef = {
  type: 'string', multiple: true, value: 'HOST[::GUEST][:ro]',
  description: 'a host folder the app may use, seen as GUEST (default: the same path); :ro makes it read-only',
};
const MEMORY_MAX: OptionDef = { type: 'string', value: 'MIB', description: 'the most memory the app may use, in MiB' };
const TIMEOUT: OptionDef = { type: 'string', value: 'SECONDS', description: 'stop the app after this many seconds' };
const JSON_OUT: OptionDef = { type: 'boolean', description: 'print JSON (stable, documented in the README) instead of text' };
const APP = { name: 'APP', description: "an installed app's name or id" };

/** `library-commands.ts`'s handler for `name`, loaded when it runs. */
const library = (name: string) => async (p: Parsed): Promise<number> => (await import('./library-commands.ts')).libraryCommand(name, p);

/**
 * `run`, the command of every app's start: made when the script loads. The others are made at the
 * first call of `commands()` (help, a usage error, another command), not at every `run FILE`
 * (docs/design/start2.md).
 */
const RUN: CommandDef = {
  name: 'run',
  summary: 'run a module file, or an installed app with its grants',
  description:
    'Runs MODULE.wasm with exactly the folders and variables named by the options, or the installed app APP with its grants ' +
    '(asking on this terminal about anything else, when the app may ask). The options apply to a module file only; an app ' +
    'has its grants (see "terrarium grant"). Every word after MODULE.wasm or APP goes to the app, flags included. ' +
    'A word ending in .wasm or holding a slash is a file; any other word is an installed app, even when a file has that name.',
  positionals: [{ name: 'MODULE.wasm|APP', description: 'a WASI command module file, or an installed app' }],
  rest: { name: 'ARGS', description: "the app's own arguments (a first -- is dropped)" },
  options: {
    dir: DIR,
    env: { type: 'string', multiple: true, value: 'NAME[=VALUE]', description: 'a variable for the app: NAME=VALUE, or NAME to pass on this one' },
    'memory-max': MEMORY_MAX,
    timeout: TIMEOUT,
  },
  examples: [
    { command: 'terrarium run ./hello.wasm -- --name World', does: 'runs hello.wasm with no files, passing it --name World' },
    { command: 'terrarium run --dir ~/Music::/music:ro --timeout 60 player.wasm /music/a.wav', does: 'lets player.wasm read ~/Music as /music, for at most a minute' },
    { command: 'terrarium run flite -- -t "hello"', does: 'runs the installed app flite with its grants' },
  ],
  run: async (p) => {
    const [target] = p.positionals;
    if (runsModule(target!)) return (await import('./run-command.ts')).runCommand(p);
    if (p.options.length > 0) {
      const { UsageError } = await import('./usage-error.ts');
      throw new UsageError(`--${p.options[0]!.name} is for a module file; ${target} is an installed app, which runs with its grants (change them with "terrarium grant")`, 'run');
    }
    return (await import('./app-run.ts')).runApp(target!, p.rest);
  },
};

let all: readonly CommandDef[] | undefined;

/** Every command, in the order the overview lists them. */
export function commands(): readonly CommandDef[] {
  return (all ??= [
    RUN,
    {
      name: 'install',
      summary: 'install a module from a file, a URL or a folder',
      description:
        'Copies a WASI command module into the library, checks it, and names it after its file (or --name). A folder may hold ' +
        'one .wasm and a terrarium.json describing it. Installing another build of an installed app updates it and keeps its grants. ' +
        'An installed app starts with no access at all.',
      positionals: [{ name: 'FILE|URL|FOLDER', description: 'a .wasm file, an https:// URL, or a folder with one module' }],
      options: {
        name: { type: 'string', value: 'NAME', description: 'the name to install it under' },
        sha256: { type: 'string', value: 'HASH', description: 'refuse the module unless its SHA-256 is HASH' },
        json: JSON_OUT,
      },
      examples: [
        { command: 'terrarium install ./flite.wasm', does: 'installs flite.wasm as "flite"' },
        { command: 'terrarium install https://example.org/tool.wasm --sha256 9f86d08…', does: 'downloads tool.wasm and installs it only if its hash matches' },
      ],
      run: library('install'),
    },
    {
      name: 'list',
      summary: 'list the installed apps',
      description: 'Lists the installed apps with their version, id, size and description.',
      positionals: [],
      options: {
        search: { type: 'string', value: 'TEXT', description: 'only apps whose name or description holds TEXT' },
        sort: { type: 'string', value: 'name|installed|last-run', description: 'the order (default: name)' },
        json: JSON_OUT,
      },
      examples: [
        { command: 'terrarium list --sort last-run', does: 'lists the apps, the most recently run first' },
        { command: 'terrarium list --search speech --json', does: 'the apps that mention "speech", as JSON' },
      ],
      run: library('list'),
    },
    {
      name: 'info',
      summary: "show an app's details, what it can use and its grants",
      description: "Shows an installed app: where it came from, its size and hash, what its module can use, what it declares it would like, and its grants.",
      positionals: [APP],
      options: { json: JSON_OUT },
      examples: [{ command: 'terrarium info flite', does: "shows flite's details and grants" }],
      run: library('info'),
    },
    {
      name: 'uninstall',
      summary: 'remove an app, its grants and its history',
      description: 'Removes an installed app with its grants, run history and activity log.',
      positionals: [APP],
      options: {},
      examples: [{ command: 'terrarium uninstall flite', does: 'removes flite' }],
      run: library('uninstall'),
    },
    {
      name: 'grant',
      summary: 'give an app a folder, a variable, default arguments or a limit',
      description:
        'Adds grants to an installed app: what it may use on every run. --args sets the arguments every run starts with, split ' +
        'like a shell line ("…" and \'…\' group, a backslash keeps its meaning only before a space, a quote or a backslash, so ' +
        'Windows paths keep theirs). --unknown says what happens when the app touches something it was not granted.',
      positionals: [APP],
      options: {
        dir: DIR,
        env: { type: 'string', multiple: true, value: 'NAME[=VALUE]', description: 'a variable: NAME=VALUE, or NAME to forward it from the environment of each run' },
        args: { type: 'string', value: '"ARGS"', description: 'the default arguments, as one shell-like line' },
        'memory-max': MEMORY_MAX,
        timeout: TIMEOUT,
        unknown: { type: 'string', value: 'ask|deny', description: 'outside its grants: ask on the terminal or in the window (ask), or deny without asking' },
      },
      examples: [
        { command: 'terrarium grant flite --dir ~/Speech::/out', does: 'lets flite read and write ~/Speech, which it sees as /out' },
        { command: 'terrarium grant tool --args \'--in "C:\\My Files\\a.txt" -v\' --timeout 30', does: 'every run of tool starts with --in, the path, -v; stops after 30 s' },
        { command: 'terrarium grant tool --unknown deny', does: 'tool is denied anything outside its grants without asking' },
      ],
      run: library('grant'),
    },
    {
      name: 'revoke',
      summary: 'take grants back',
      description: 'Removes the grants that match: a folder (by host or guest path), a variable, the default arguments, a limit, or a grant by its number (see "terrarium grants").',
      positionals: [APP],
      options: {
        dir: { type: 'string', multiple: true, value: 'HOST|GUEST', description: 'the folder granted as HOST or seen as GUEST' },
        env: { type: 'string', multiple: true, value: 'NAME', description: 'the variable NAME' },
        args: { type: 'boolean', description: 'the default arguments' },
        'memory-max': { type: 'boolean', description: 'the memory limit' },
        timeout: { type: 'boolean', description: 'the time limit' },
        id: { type: 'string', multiple: true, value: 'N', description: 'grant number N' },
      },
      examples: [
        { command: 'terrarium revoke flite --dir /out', does: 'takes back the folder flite sees as /out' },
        { command: 'terrarium revoke flite --id 3 --args', does: 'takes back grant #3 and the default arguments' },
      ],
      run: library('revoke'),
    },
    {
      name: 'grants',
      summary: "list an app's grants",
      description: "Lists an app's grants with their numbers, and says which folders changed since they were granted (left out of runs until granted again).",
      positionals: [APP],
      options: { json: JSON_OUT },
      examples: [{ command: 'terrarium grants flite', does: "lists flite's grants" }],
      run: library('grants'),
    },
    {
      name: 'reset',
      summary: "remove all of an app's grants",
      description: 'Removes every grant of an app: it sees no files and no variables again.',
      positionals: [APP],
      options: {},
      examples: [{ command: 'terrarium reset flite', does: "removes all of flite's grants" }],
      run: library('reset'),
    },
    {
      name: 'history',
      summary: "list an app's runs",
      description: 'Lists the runs of an app, newest first: when, how each ended, how much it wrote, and its arguments.',
      positionals: [APP],
      options: { json: JSON_OUT },
      examples: [{ command: 'terrarium history flite', does: "lists flite's runs" }],
      run: library('history'),
    },
    {
      name: 'audit',
      summary: "show an app's activity log: what it was allowed and denied",
      description:
        'Shows what an app touched outside its grants and what was decided: allowed by a grant, asked and allowed, or denied. ' +
        'Newest first, a page at a time; repeats within a run are counted on one line.',
      positionals: [APP],
      options: {
        decision: { type: 'string', value: 'allowed|prompted-allowed|denied', description: 'only entries with this decision (prompted-allowed: asked, allowed)' },
        limit: { type: 'string', value: 'N', description: 'at most N entries (default 1000)' },
        before: { type: 'string', value: 'ID', description: 'only entries older than entry ID (the next page)' },
        json: JSON_OUT,
      },
      examples: [
        { command: 'terrarium audit flite --decision denied', does: 'what flite was denied' },
        { command: 'terrarium audit flite --limit 50 --before 1200', does: 'the 50 entries before entry #1200' },
      ],
      run: library('audit'),
    },
    {
      name: 'ui',
      summary: 'serve the Terrarium window to a browser on this computer',
      description:
        'Serves the full Terrarium window on 127.0.0.1 and prints its address (with a token for this launch) to open in a browser. ' +
        'Only this computer can reach it. Runs until Ctrl+C. (The desktop window itself: npm start.)',
      positionals: [],
      options: {
        web: { type: 'boolean', description: 'serve the window to a browser (required: the desktop window needs Electron)' },
        port: { type: 'string', value: 'N', description: 'the port (default: any free one)' },
      },
      examples: [{ command: 'terrarium ui --web --port 8080', does: 'serves the window at http://127.0.0.1:8080/…' }],
      run: async (p) => (await import('./ui-command.ts')).uiCommand(p),
    },
    {
      name: 'help',
      summary: 'show the commands, or how to use one',
      description: 'Without COMMAND, lists the commands; with it, shows its usage, options and examples (the same as "terrarium COMMAND --help").',
      positionals: [{ name: 'COMMAND', description: 'the command to explain', optional: true }],
      options: {},
      examples: [{ command: 'terrarium help grant', does: 'explains terrarium grant' }],
      run: async () => 0, // answered by cli.ts, which has the definitions
    },
  ]);
}

/** The command called `name`, if there is one. */
export function command(name: string): CommandDef | undefined {
  return name === RUN.name ? RUN : commands().find((c) => c.name === name);
}

/**
 * `run X`: a module file when X ends in .wasm or is a path (has a slash, like ./tool); otherwise
 * the installed app called X. A file in the current folder never shadows an app.
 */
export function runsModule(target: string): boolean {
  return /\.wasm$/i.test(target) || /[/\\]/.test(target);
}
