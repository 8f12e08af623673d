// One Stripe customer per user, created on first need and reused for every later Checkout and the portal.
// Written as the service (the profile guard refuses stripe_* columns to users).
import { readProfileBillingRow, storeStripeCustomerOnce, type ProfileBilling } from '@polybot/db/service';
import type Stripe from 'stripe';
import type { Sql } from 'postgres';
import { BillingError } from './errors.ts';

export interface BillingDeps {
  /** Service connection (postgres / service_role): billing columns are not writable by users. */
  sql: Sql;
  stripe: Stripe;
}

export async function readProfileBilling(sql: Sql, userId: string): Promise<ProfileBilling> {
  const row = await readProfileBillingRow(sql, userId);
  if (!row) throw new BillingError('no_profile', 'No PolyBot profile for this user.');
  return row;
}

export async function ensureStripeCustomer(deps: BillingDeps, userId: string): Promise<string> {
  const profile = await readProfileBilling(deps.sql, userId);
  if (profile.stripe_customer_id) return profile.stripe_customer_id;
  // The idempotency key makes concurrent first checkouts of one user get the same customer from Stripe.
  const customer = await deps.stripe.customers.create(
    { email: profile.email ?? undefined, metadata: { user_id: userId } },
    { idempotencyKey: `polybot-customer-${userId}` },
  );
  const stored = await storeStripeCustomerOnce(deps.sql, userId, customer.id);
  if (!stored) throw new BillingError('no_profile', 'No PolyBot profile for this user.');
  return stored;
}
