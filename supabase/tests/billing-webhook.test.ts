// Runs the stripe-webhook edge function's Deno tests (supabase/functions/stripe-webhook/*_test.ts) against a real,
// fully migrated throwaway Postgres and the Stripe emulator (the function re-reads subscriptions from Stripe), so
// `npm test` covers them, and type-checks the entry point with Deno. Deno runs as a child process; the first test
// passes only if `deno test` exits 0 having run every test in the directory.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { denoCommand, denoTlsEnv, startStripeEmulator, type StripeEmulator } from '@polybot/local-stack/stripe';
import { createTestDatabase, type TestDatabase } from './helpers.ts';

const FUNCTION_DIR = fileURLToPath(new URL('../functions/stripe-webhook/', import.meta.url));
let db: TestDatabase;
let stripe: StripeEmulator;

beforeAll(async () => {
  db = await createTestDatabase();
  // No webhook URL: the Deno tests sign and deliver the emulator's events themselves, in the order they choose.
  stripe = await startStripeEmulator();
});
afterAll(async () => {
  await stripe?.close();
  await db?.stop();
});

function runDeno(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const deno = denoCommand(args);
    const child = spawn(deno.command, deno.args, {
      cwd: FUNCTION_DIR,
      env: { ...process.env, ...denoTlsEnv(), NO_COLOR: '1', ...env },
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
  const { code, output } = await runDeno(
    [
      'test',
      '--allow-net',
      '--allow-env',
      '--allow-read',
      '--no-prompt',
      '--config',
      `${FUNCTION_DIR}deno.json`,
      FUNCTION_DIR,
    ],
    {
      SUPABASE_DB_URL: db.url,
      POLYBOT_TEST_SUPERUSER_URL: db.superuserUrl,
      STRIPE_TEST_API_BASE: stripe.url,
      STRIPE_TEST_SECRET_KEY: stripe.secretKey,
    },
  );
  if (code !== 0 || process.env.SHOW_DENO_OUTPUT) console.error(output);
  expect(code).toBe(0);
  const summary = /ok \| (\d+) passed \| (\d+) failed/.exec(output);
  expect(summary?.[2]).toBe('0');
  // Every Deno.test in webhook_test.ts (13), reread_test.ts (4) and lifecycle_test.ts (8) ran (a file that silently
  // registered nothing must not pass).
  expect(Number(summary?.[1])).toBeGreaterThanOrEqual(25);
});

// The entry point the platform and `deno serve` load is type-checked against Deno's own types (the tests import
// config.ts, not index.ts): `export default { fetch } satisfies Deno.ServeDefaultExport` must hold.
test('stripe-webhook index.ts type-checks as a Deno.ServeDefaultExport', { timeout: 300_000 }, async () => {
  const { code, output } = await runDeno(['check', '--config', `${FUNCTION_DIR}deno.json`, `${FUNCTION_DIR}index.ts`]);
  if (code !== 0) console.error(output);
  expect(code).toBe(0);
});
