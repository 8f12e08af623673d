import { defineConfig } from 'vitest/config';

// Each test file starts its own embedded Postgres cluster; forks keep them in separate processes.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
