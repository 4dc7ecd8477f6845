/**
 * The layering of DESIGN §1 as rules dependency-cruiser checks in `npm test` (npm run layering);
 * docs/design/layering.md explains each rule.
 *
 *   (desktop | web | cli) → api → launcher → (library, runtime)
 *
 * with two leaves anyone in main/ may import and that import nothing of ours: main/shared/ (the
 * coded error, folder pins) and main/wasm/ (reading WebAssembly binaries, the preview1 names).
 * There is no list of tolerated breaks: every import that breaks a rule fails `npm test`.
 */
const ENTRY = '^main/(desktop|web|cli)/|^main/cli\\.ts$';
const OURS = '^(main|preload|renderer|bin)/';
/** The contract's surface (requests, events, the API and its channels, the preload script), as opposed to its shapes. */
const CONTRACT_SURFACE = '^preload/(api|requests|events|schema-parts|index)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'entry-through-api',
      comment: 'desktop, web and the CLI reach the core only through main/api (DESIGN §1).',
      severity: 'error',
      from: { path: ENTRY },
      to: { path: '^main/(launcher|library|runtime)/' },
    },
    {
      name: 'api-below-entry',
      comment: 'main/api knows no transport: it imports neither desktop, web nor the CLI.',
      severity: 'error',
      from: { path: '^main/api/' },
      to: { path: ENTRY },
    },
    {
      name: 'launcher-below-api',
      comment: 'The launcher is below the api: no api, entry layer, nor the contract\'s surface (its requests, events, channels).',
      severity: 'error',
      from: { path: '^main/launcher/' },
      to: { path: `${ENTRY}|^main/api/|${CONTRACT_SURFACE}` },
    },
    {
      name: 'library-is-a-base',
      comment: 'The library imports no layer above it, no runtime, no contract and no Electron.',
      severity: 'error',
      from: { path: '^main/library/' },
      to: { path: `${ENTRY}|^main/(api|launcher|runtime|integration)/|${CONTRACT_SURFACE}` },
    },
    {
      name: 'core-takes-contract-shapes-as-types',
      comment: 'The library and the launcher use the contract\'s shapes (preload/shapes.ts, the one declaration of each record and event payload) by type only: they load nothing of the contract.',
      severity: 'error',
      from: { path: '^main/(library|launcher)/' },
      to: { path: '^preload/shapes\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'runtime-is-a-base',
      comment: 'The runtime knows nothing of SQLite, Electron, the library, the launcher, the api or the contract.',
      severity: 'error',
      from: { path: '^main/runtime/' },
      to: { path: `${ENTRY}|^main/(api|launcher|library|integration)/|^preload/|node_modules/(better-sqlite3|electron)/` },
    },
    {
      name: 'integration-is-a-base',
      comment: 'main/integration/ (OS shortcuts, file associations: pure generators) imports no other layer of main/.',
      severity: 'error',
      from: { path: '^main/integration/' },
      to: { path: `${ENTRY}|^main/(api|launcher|library|runtime)/` },
    },
    {
      name: 'no-electron-outside-desktop',
      comment: 'Only main/desktop/ and the preload script use Electron; everything else runs under plain Node.',
      severity: 'error',
      from: { path: '^(main|bin)/', pathNot: '^main/desktop/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-no-pkg', 'npm-unknown', 'core'], path: '^electron$|node_modules/electron/' },
    },
    {
      name: 'no-sqlite-outside-library',
      comment: 'SQLite (better-sqlite3) is the library\'s alone.',
      severity: 'error',
      from: { path: OURS, pathNot: '^main/library/' },
      to: { path: 'better-sqlite3' },
    },
    {
      name: 'shared-is-a-leaf',
      comment: 'main/shared/ is importable by all and imports nothing of ours.',
      severity: 'error',
      from: { path: '^main/shared/' },
      to: { path: OURS, pathNot: '^main/shared/' },
    },
    {
      name: 'wasm-is-a-leaf',
      comment: 'main/wasm/ (WebAssembly binary reading, the preview1 names) imports only itself and main/shared/.',
      severity: 'error',
      from: { path: '^main/wasm/' },
      to: { path: OURS, pathNot: '^main/(wasm|shared)/' },
    },
    {
      name: 'renderer-only-preload',
      comment: 'The renderer imports its own files and the contract modules of preload/, never main/ nor the preload script itself.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^(main|bin)/|^preload/index\\.ts$' },
    },
    {
      name: 'contract-owns-its-shapes',
      comment: 'preload/ (the contract and its helpers) imports nothing from main/ but the shared leaf.',
      severity: 'error',
      from: { path: '^preload/' },
      to: { path: '^main/', pathNot: '^main/shared/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles between our modules that run at load (a cycle through a type-only import loads nothing, and one through a lazy import() is not a load-time cycle: the CLI loads each command on demand).',
      severity: 'error',
      from: { path: OURS },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only', 'dynamic-import'] } },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves.',
      severity: 'error',
      from: { path: OURS },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.svelte', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
