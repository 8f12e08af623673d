// One Stripe customer per user, created on first need and reused for every later Checkout and the portal.
// The profile is read as the user (RLS) and the customer stored through the one definer function the web's role may
// run for the signed-in user (docs/SECURITY.md §1.1): billing needs no service connection.
import { withUser } from '@polybot/db';
import { getOwnProfileBilling, storeOwnStripeCustomerOnce, type ProfileBilling } from '@polybot/db/user';
import type Stripe from 'stripe';
import type { Sql } from 'postgres';
import { BillingError } from './errors.ts';

export interface BillingDeps {
  /**
   * The web's connection (a polybot_web login; docs/SECURITY.md §1.1). Every query runs for the given user id, which
   * must come from verified claims: reads as that user under RLS, the customer through private.store_own_stripe_customer.
   */
  sql: Sql;
  stripe: Stripe;
}

export async function readProfileBilling(sql: Sql, userId: string): Promise<ProfileBilling> {
  const row = await withUser(sql, userId, getOwnProfileBilling);
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
  const stored = await storeOwnStripeCustomerOnce(deps.sql, userId, customer.id);
  if (!stored) throw new BillingError('no_profile', 'No PolyBot profile for this user.');
  return stored;
}
