import { defineConfig } from 'vitest/config';

// Every transport test talks to a real server on a local port (SMTP, HTTP, the Telegram stand-in).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
