import { defineConfig } from 'vitest/config';

// Each file starts its own stack (Postgres, simulators, the real bot-manager process, and the web app or billing's
// Stripe emulator and edge function): minutes, not seconds, and one at a time on two cores.
const heavy = { testTimeout: 300_000, hookTimeout: 600_000, fileParallelism: false, pool: 'forks' as const };

export default defineConfig({
  test: {
    // Two projects so the journeys without a browser never pay for `next build` or need Chromium: vitest runs a
    // project's globalSetup only when that project has files in the run.
    projects: [
      { test: { name: 'journeys', include: ['billing-*.e2e.test.ts'], ...heavy } },
      {
        test: {
          name: 'browser',
          include: ['web-*.e2e.test.ts', 'notifications.e2e.test.ts'],
          globalSetup: ['support/global-setup.ts'],
          ...heavy,
        },
      },
    ],
  },
});
