// ESLint over the TypeScript and JavaScript sources (docs/design/layering.md): typescript-eslint's
// recommended rules, nothing more. Svelte components are checked by svelte-check (npm run
// typecheck), not here. Layering (which folder may import which) is dependency-cruiser's job
// (.dependency-cruiser.cjs).
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', '.cache/**', 'test/fixtures/**/*.js', 'renderer/**/*.svelte'],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The house marks a deliberately unused name with a leading underscore (a parameter kept for
      // its position, a field split off with ...rest).
      '@typescript-eslint/no-unused-vars': ['error', {
        argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_',
        ignoreRestSiblings: true,
      }],
    },
  },
);
