// One flat config for every workspace: each package's `eslint .` resolves this file from the root, so the globs below
// are relative to the repository root. The repository's rules that tooling holds (issue 11): the environment is read
// in one place per workspace, production code never depends on the local stack, workspaces meet only through package
// names, and no code drops a promise.
import js from '@eslint/js';
import polybot from '@polybot/eslint-rules';
import tseslint from 'typescript-eslint';

/** Tests and their fixtures: they set up processes and environments on purpose, and run against the local stack. */
const TESTS = [
  '**/*.test.ts',
  '**/*.test.tsx',
  '**/*.fixture.ts',
  '**/test/**',
  '**/tests/**',
  '**/testing/**',
  // Cross-app journeys (the top-level e2e/ workspace).
  'e2e/**',
  // Deno tests of the edge function and what only they load.
  'supabase/functions/**/*_test.ts',
  'supabase/functions/**/test_support.ts',
  'supabase/functions/**/emulator_support.ts',
];

/**
 * Never deployed: the `npm start` launcher (apps/dev), the local stack that simulates the platform, the benchmarks,
 * the web app's launcher scripts (`next build`/`next start` as child processes for npm start and browser tests) and
 * this tooling. They start child processes that inherit or forward the environment, which is not reading config.
 */
const DEV_ONLY = ['apps/dev/**', 'packages/local-stack/**', 'bench/**', 'apps/web/scripts/**', 'tools/**'];

const ENV_MESSAGE =
  "Read the environment only in this workspace's env.ts (parsed and validated once, failing loudly at start-up); " +
  'import the parsed value from there.';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/.next/**',
      '**/dist/**',
      '**/.turbo/**',
      '**/test-artifacts/**',
      '.local/**',
      // The bot-manager's compiled runner bundle (generated, gitignored).
      '**/.runner-bundle/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { polybot },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      // Workspaces meet through package names and `exports`, never '../../other-workspace/src/file.ts'.
      'polybot/no-cross-workspace-import': 'error',
    },
  },

  // process.env (and Deno.env) only in env.ts: t3's restrictEnvAccess. One parse per workspace means one place that
  // knows every variable, its default and its validation (turbo.json's env lists are checked against these files).
  {
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: ENV_MESSAGE },
        { object: 'Deno', property: 'env', message: ENV_MESSAGE },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'process', importNames: ['env'], message: ENV_MESSAGE },
            { name: 'node:process', importNames: ['env'], message: ENV_MESSAGE },
          ],
        },
      ],
    },
  },
  {
    files: [
      '**/env.ts',
      // The edge function's entry hands Deno.env to config.ts's parser, as env.ts does elsewhere: Deno loads the
      // entry itself, and config.ts stays a pure function the Deno tests call with their own records.
      'supabase/functions/*/index.ts',
      ...TESTS,
      ...DEV_ONLY,
    ],
    rules: { 'no-restricted-properties': 'off', 'no-restricted-imports': 'off' },
  },

  // Production code never imports the local stack (a devDependency: it is not installed in production). Its own
  // rule name (the typescript-eslint one, which also catches `import type`) so the env overrides above leave it on.
  {
    files: ['apps/*/src/**', 'packages/*/src/**', 'supabase/functions/**'],
    ignores: [...TESTS, 'packages/local-stack/**', 'apps/dev/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@polybot/local-stack', '@polybot/local-stack/*'],
              message:
                'The local stack simulates the platform for tests and npm start; production code must not depend on it.',
            },
          ],
        },
      ],
    },
  },

  // Type-aware promise rules: a dropped promise is a lost error or an unordered write. Every workspace (the services
  // first among them: bot-manager, db, billing, venues, the edge function); each workspace's lint builds its
  // TypeScript program once. The edge function's Deno-only files (Deno globals, `deno test`) are type-checked by
  // `deno check` instead, so only its files Node can type are here (the same list as supabase/tsconfig.json).
  {
    files: [
      'apps/*/**/*.ts',
      'apps/*/**/*.tsx',
      'packages/*/**/*.ts',
      'tools/*/**/*.ts',
      'e2e/**/*.ts',
      'supabase/*.ts',
      'supabase/tests/**/*.ts',
      'supabase/functions/_shared/**/*.ts',
      'supabase/functions/stripe-webhook/handler.ts',
      'supabase/functions/stripe-webhook/config.ts',
      'supabase/functions/stripe-webhook/assert.ts',
      'deploy/**/*.ts',
    ],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
);
