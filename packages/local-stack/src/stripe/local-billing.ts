// Billing for `npm start`: the Stripe emulator with one product and monthly price per paid plan (amounts from
// polybot_plans), the stripe-webhook edge function served by Deno, and Stripe delivering to it. Returns the
// environment the web app needs to talk to this "Stripe" — the same variables production sets for real Stripe.
import postgres from 'postgres';
import Stripe from 'stripe';
import { serveEdgeFunction, type EdgeFunctionServer } from './edge.ts';
import { startStripeEmulator, type StripeEmulator } from './server.ts';

export interface LocalBilling {
  emulator: StripeEmulator;
  edge: EdgeFunctionServer;
  /** STRIPE_SECRET_KEY, STRIPE_API_BASE, STRIPE_WEBHOOK_SECRET, STRIPE_PRICE_BASIC/_PRO/_ENTERPRISE. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startLocalBilling(options: {
  /** The `postgres` role URL (what SUPABASE_DB_URL is on the platform). */
  databaseUrl: string;
  emulatorPort?: number;
  edgePort?: number;
  /** Persist emulator state here (e.g. .local/stripe.json) so stored cus_/sub_ ids survive restarts. */
  statePath?: string;
  /** Fixed keys keep a running web app valid across restarts of the stack. */
  secretKey?: string;
  webhookSecret?: string;
  onLog?: (line: string) => void;
}): Promise<LocalBilling> {
  const emulator = await startStripeEmulator({
    ...(options.emulatorPort !== undefined ? { port: options.emulatorPort } : {}),
    ...(options.statePath ? { statePath: options.statePath } : {}),
    ...(options.secretKey ? { secretKey: options.secretKey } : {}),
    ...(options.webhookSecret ? { webhookSecret: options.webhookSecret } : {}),
  });
  let edge: EdgeFunctionServer | undefined;
  try {
    const prices = await ensurePrices(emulator, options.databaseUrl);
    edge = await serveEdgeFunction({
      name: 'stripe-webhook',
      env: {
        SUPABASE_DB_URL: options.databaseUrl,
        STRIPE_WEBHOOK_SECRET: emulator.webhookSecret,
        // The function re-reads subscriptions from "Stripe" (this emulator) when it applies an event.
        STRIPE_SECRET_KEY: emulator.secretKey,
        STRIPE_API_BASE: emulator.url,
        ...prices,
      },
      ...(options.edgePort !== undefined ? { port: options.edgePort } : {}),
      ...(options.onLog ? { onLog: options.onLog } : {}),
    });
    emulator.setWebhookUrl(edge.url);
    const server = edge;
    return {
      emulator,
      edge,
      env: {
        STRIPE_SECRET_KEY: emulator.secretKey,
        STRIPE_API_BASE: emulator.url,
        STRIPE_WEBHOOK_SECRET: emulator.webhookSecret,
        ...prices,
      },
      close: async () => {
        await Promise.allSettled([server.close(), emulator.close()]);
      },
    };
  } catch (error) {
    await Promise.allSettled([edge?.close(), emulator.close()]);
    throw error;
  }
}

/** One recurring price per paid plan, found by lookup key (so a persisted emulator is not given duplicates). */
async function ensurePrices(emulator: StripeEmulator, databaseUrl: string): Promise<Record<string, string>> {
  const stripe = new Stripe(emulator.secretKey, { host: emulator.host, port: emulator.port, protocol: 'http' });
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const plans = await sql<{ tier: string; display_name: string; cents: number }[]>`
      select tier, display_name, round(price_usd_monthly * 100)::int as cents
        from public.polybot_plans where tier <> 'free' order by sort_order`;
    const env: Record<string, string> = {};
    for (const plan of plans) {
      const lookupKey = `polybot_${plan.tier}_monthly`;
      const existing = await stripe.prices.list({ lookup_keys: [lookupKey], limit: 1 });
      const price =
        existing.data[0] ??
        (await stripe.prices.create({
          currency: 'usd',
          unit_amount: plan.cents,
          recurring: { interval: 'month' },
          lookup_key: lookupKey,
          product_data: { name: `PolyBot ${plan.display_name}` },
        }));
      env[`STRIPE_PRICE_${plan.tier.toUpperCase()}`] = price.id;
    }
    return env;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
