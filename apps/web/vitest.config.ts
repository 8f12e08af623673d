import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `~/` is the web app's own src/ (tsconfig.json `paths`): imports never climb out with ../../.
const alias = { '~': fileURLToPath(new URL('./src', import.meta.url)) };

export default defineConfig({
  test: {
    // Two projects so a unit-only run (src/**) never pays for `next build`: vitest runs a project's
    // globalSetup only when that project has files in the run.
    projects: [
      {
        resolve: { alias },
        test: { name: 'unit', include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'] },
      },
      {
        resolve: { alias },
        test: {
          name: 'browser',
          include: ['test/**/*.test.ts'],
          // `next build` once per run; every browser test file then starts its own stack against that build.
          globalSetup: ['test/support/global-setup.ts'],
          // Each file starts a whole local stack (Postgres, auth, venue sim, `next start`): minutes, not seconds.
          testTimeout: 300_000,
          hookTimeout: 600_000,
          // One stack at a time: two cores, and every file's stack is heavy.
          fileParallelism: false,
        },
      },
    ],
  },
});
