import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Tests and their helpers: free to import anything. */
const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx', 'src/testing/**', '**/testing.ts', '**/test-setup.ts', '**/test-files.ts', '**/test-helpers.ts', '**/*.fixtures.ts'];
const TEST_HELPERS = { group: ['**/testing/*', '**/testing.js', '**/test-setup.js', '**/test-files.js'], message: 'Production code imports no test helper.' };
const DEMO = { group: ['**/demo/*'], message: 'Only the composition root (src/app.ts, src/server.ts, src/main.ts) loads the demo.' };
// Known exceptions, to be removed by moving the code they need (see CONTRIBUTING.md):
/** routes.ts reads the province of a commune for grants (units are reference data, to move under platform). */
const PLATFORM_EXCEPTIONS = ['src/platform/routes.ts'];
/** The JSON API and the forms' routes still sit in the kernel folder until split among the sub-features. */
const KERNEL_EXCEPTIONS = ['src/dossiers/dossiers.api.ts', 'src/dossiers/forms.routes.tsx'];

export default tseslint.config(
  { ignores: ['node_modules/', 'var/', '.tmp/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='only']", message: 'No focused tests (.only) in the tree.' },
      ],
    },
  },
  // ---- Boundaries (CONTRIBUTING.md, "Where code goes"). Each exception names a file the lead can fix and then drop here.
  {
    // Production code never imports a test helper.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: [...TEST_FILES],
    rules: { 'no-restricted-imports': ['error', { patterns: [TEST_HELPERS, DEMO] }] },
  },
  {
    // The composition root (server start, seeding) is the only production code that loads the demo.
    files: ['src/app.ts', 'src/server.ts', 'src/main.ts', 'src/demo/**'],
    ignores: [...TEST_FILES],
    rules: { 'no-restricted-imports': ['error', { patterns: [TEST_HELPERS] }] },
  },
  {
    // Platform code imports no feature: features build on it, never the reverse.
    files: ['src/platform/**/*.ts', 'src/platform/**/*.tsx'],
    ignores: [...TEST_FILES, ...PLATFORM_EXCEPTIONS],
    rules: { 'no-restricted-imports': ['error', { patterns: [TEST_HELPERS, DEMO, { group: ['../*', '!../platform'], message: 'Platform code imports no feature (src/platform is the bottom layer).' }] }] },
  },
  {
    // The dossier kernel (files directly in src/dossiers) never imports its sub-features; they import it.
    files: ['src/dossiers/*.ts', 'src/dossiers/*.tsx'],
    ignores: [...TEST_FILES, ...KERNEL_EXCEPTIONS],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [TEST_HELPERS, DEMO, { group: ['./submit/*', './office/*', './tracking/*', './forms/*'], message: 'The dossier kernel imports no sub-feature: move the shared rule into the kernel.' }] },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
