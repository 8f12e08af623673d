// Supabase Edge Function: Stripe → PolyBot subscription state. Deployed with verify_jwt = false (Stripe sends no
// Supabase JWT; the Stripe signature is the authentication). Configuration comes from the function's secrets:
//   STRIPE_WEBHOOK_SECRET (whsec_...), STRIPE_SECRET_KEY (to re-read subscriptions), STRIPE_PRICE_BASIC / _PRO /
//   _ENTERPRISE, and the platform's SUPABASE_DB_URL. STRIPE_API_BASE only points at the local emulator.
import postgres from 'postgres';
import { priceMapFromEnv } from '../_shared/billing/prices.ts';
import { stripeReader } from '../_shared/billing/stripe-read.ts';
import { createWebhookHandler } from './handler.ts';

function requireEnv(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function handlerFromEnv(): (req: Request) => Promise<Response> {
  // Small pool, no prepared statements: edge functions may sit behind Supavisor's transaction pooler.
  const sql = postgres(requireEnv('SUPABASE_DB_URL'), { max: 3, prepare: false, idle_timeout: 20, connect_timeout: 10 });
  return createWebhookHandler({
    sql,
    webhookSecret: requireEnv('STRIPE_WEBHOOK_SECRET'),
    prices: priceMapFromEnv(Deno.env.toObject()),
    retrieveSubscription: stripeReader({ secretKey: requireEnv('STRIPE_SECRET_KEY'), apiBase: Deno.env.get('STRIPE_API_BASE') }),
  });
}

// Serve unconditionally: this file is only ever the entry point (the hosted Edge Runtime loads it as the function's
// main module). Tests import handler.ts instead. PORT/HOSTNAME are for local `deno run` (serveEdgeFunction).
const port = Number(Deno.env.get('PORT') ?? '8000');
Deno.serve({ port, hostname: Deno.env.get('HOSTNAME') ?? '0.0.0.0' }, handlerFromEnv());
