// Runs the stripe-webhook edge function's Deno tests (supabase/functions/stripe-webhook/*_test.ts) against a real,
// fully migrated throwaway Postgres, so `npm test` covers them. Deno runs as a child process; this test passes only
// if `deno test` exits 0 having run every test in the file.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from './helpers.ts';

const FUNCTION_DIR = fileURLToPath(new URL('../functions/stripe-webhook/', import.meta.url));
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.stop();
});

function runDenoTests(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['--no-install', 'deno', 'test', '--allow-net', '--allow-env', '--allow-read', '--no-prompt',
      '--config', `${FUNCTION_DIR}deno.json`, FUNCTION_DIR], {
      cwd: FUNCTION_DIR,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

test('stripe-webhook edge function: deno test passes against real Postgres', { timeout: 300_000 }, async () => {
  const { code, output } = await runDenoTests({ SUPABASE_DB_URL: db.url, POLYBOT_TEST_SUPERUSER_URL: db.superuserUrl });
  if (code !== 0 || process.env.SHOW_DENO_OUTPUT) console.error(output);
  expect(code).toBe(0);
  const summary = /ok \| (\d+) passed \| (\d+) failed/.exec(output);
  expect(summary?.[2]).toBe('0');
  // Every Deno.test in webhook_test.ts ran (a file that silently registered nothing must not pass).
  expect(Number(summary?.[1])).toBeGreaterThanOrEqual(13);
});
