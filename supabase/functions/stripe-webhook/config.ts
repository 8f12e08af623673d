// The function's production wiring: its environment (the Supabase secrets and the platform's SUPABASE_DB_URL) →
// the request handler. Free of Deno globals (the environment is passed in), so the Deno tests build the handler
// exactly as index.ts does, from an environment, and can close its database pool afterwards.
import postgres from 'postgres';
import type { Sql } from 'postgres';
import { priceMapFromEnv } from '../_shared/billing/prices.ts';
import { stripeReader } from '../_shared/billing/stripe-read.ts';
import { createWebhookHandler } from './handler.ts';

export type Env = Record<string, string | undefined>;

export interface Webhook {
  handle: (req: Request) => Promise<Response>;
  sql: Sql;
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/**
 *   SUPABASE_DB_URL        the platform sets it
 *   STRIPE_WEBHOOK_SECRET  the endpoint's signing secret (whsec_...)
 *   STRIPE_SECRET_KEY      to re-read subscriptions (a restricted key with Subscriptions: read is enough)
 *   STRIPE_PRICE_BASIC / _PRO / _ENTERPRISE (optional)
 *   STRIPE_API_BASE        only for the local emulator
 * Throws naming what is missing or malformed: the function refuses to start half-configured.
 */
export function webhookFromEnv(env: Env, log?: (line: Record<string, unknown>) => void): Webhook {
  const webhookSecret = required(env, 'STRIPE_WEBHOOK_SECRET');
  const secretKey = required(env, 'STRIPE_SECRET_KEY');
  const prices = priceMapFromEnv(env);
  // Small pool, no prepared statements: edge functions may sit behind Supavisor's transaction pooler.
  const sql = postgres(required(env, 'SUPABASE_DB_URL'), {
    max: 3,
    prepare: false,
    idle_timeout: 20,
    connect_timeout: 10,
  });
  const handle = createWebhookHandler({
    sql,
    webhookSecret,
    prices,
    retrieveSubscription: stripeReader({ secretKey, apiBase: env.STRIPE_API_BASE }),
    ...(log ? { log } : {}),
  });
  return { handle, sql };
}
