// Stripe through @polybot/billing. Billing columns are written only by billing code on the service connection
// (users cannot change them; see docs/BILLING.md) — the user id comes from verified claims, never from the form.
import 'server-only';
import { createStripeClient, readBillingConfig, type BillingDeps } from '@polybot/billing';
import { serverEnv } from '~/env.ts';
import { db } from './db.ts';

type Deps = BillingDeps & { prices: ReturnType<typeof readBillingConfig>['prices'] };
const holder = globalThis as typeof globalThis & { polybotBilling?: Deps | null };

/** null when billing is not configured. */
export function billing(): Deps | null {
  if (holder.polybotBilling !== undefined) return holder.polybotBilling;
  const env = serverEnv();
  if (!env.STRIPE_SECRET_KEY) {
    holder.polybotBilling = null;
    return null;
  }
  const config = readBillingConfig({
    STRIPE_SECRET_KEY: env.STRIPE_SECRET_KEY,
    STRIPE_API_BASE: env.STRIPE_API_BASE,
    STRIPE_PRICE_BASIC: env.STRIPE_PRICE_BASIC,
    STRIPE_PRICE_PRO: env.STRIPE_PRICE_PRO,
    STRIPE_PRICE_ENTERPRISE: env.STRIPE_PRICE_ENTERPRISE,
  });
  holder.polybotBilling = { sql: db(), stripe: createStripeClient(config), prices: config.prices };
  return holder.polybotBilling;
}

/**
 * Where Stripe sends the user back (Checkout's success/cancel URLs, the Portal's return URL): the configured public
 * origin (APP_URL, required in production), never the request's Host or X-Forwarded-* headers — a forged Host would
 * otherwise make Checkout return the user, fresh from paying, to a site of the forger's choosing.
 */
export async function appOrigin(): Promise<string> {
  return serverEnv().APP_URL;
}
