// Stripe through @polybot/billing. Billing columns are written only by billing code on the service connection
// (users cannot change them; see docs/BILLING.md) — the user id comes from verified claims, never from the form.
import 'server-only';
import { createStripeClient, readBillingConfig, type BillingDeps } from '@polybot/billing';
import { headers } from 'next/headers';
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

export async function appOrigin(): Promise<string> {
  const configured = serverEnv().APP_URL;
  if (configured) return configured.replace(/\/$/, '');
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? '127.0.0.1:3000';
  const proto = h.get('x-forwarded-proto') ?? 'http';
  return `${proto}://${host}`;
}
