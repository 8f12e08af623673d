import { defineConfig } from 'vitest/config';

// End-to-end files each start their own Postgres cluster, Stripe emulator and Deno edge function.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
