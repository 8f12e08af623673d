import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The whole product in one process tree, possibly with a first `next build`: minutes, not seconds.
    testTimeout: 300_000,
    hookTimeout: 1_000_000,
  },
});
