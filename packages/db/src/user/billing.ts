// Billing facts of the signed-in user's own profile, read as the user (RLS: their own row only), and the one billing
// write the web makes for them: storing the Stripe customer it created (users may not write stripe_* themselves).
import type { Sql } from 'postgres';
import { z } from 'zod';
import { withUserClaims, type JwtClaims, type UserTx } from '../with-user.ts';

const CancelAtPeriodEndSchema = z.object({ subscription_cancel_at_period_end: z.boolean() });

export async function subscriptionCancelsAtPeriodEnd(tx: UserTx): Promise<boolean> {
  const rows =
    await tx`select subscription_cancel_at_period_end from public.polybot_user_profiles where id = auth.uid()`;
  return rows[0] ? CancelAtPeriodEndSchema.parse(rows[0]).subscription_cancel_at_period_end : false;
}

export const ProfileBillingSchema = z.object({
  email: z.string().nullable(),
  stripe_customer_id: z.string().nullable(),
  stripe_subscription_id: z.string().nullable(),
  subscription_status: z.string(),
  subscription_tier: z.string(),
});
export type ProfileBilling = z.infer<typeof ProfileBillingSchema>;

/** The columns Checkout, the portal and payment history need. null: the user has no profile. */
export async function getOwnProfileBilling(tx: UserTx): Promise<ProfileBilling | null> {
  const [row] = await tx`
    select email, stripe_customer_id, stripe_subscription_id, subscription_status, subscription_tier
      from public.polybot_user_profiles where id = auth.uid()`;
  return row ? ProfileBillingSchema.parse(row) : null;
}

/**
 * Stores the user's Stripe customer unless one is stored already, and returns the one that is: two concurrent first
 * checkouts agree on one customer. null: no profile for this user. Runs as the connection's own role (the web's
 * polybot_web, or the service) with the user's claims: private.store_own_stripe_customer acts only on auth.uid() and
 * is not callable by `authenticated` (docs/SECURITY.md §1.1).
 */
export async function storeOwnStripeCustomerOnce(
  sql: Sql,
  user: string | JwtClaims,
  customerId: string,
): Promise<string | null> {
  const [row] = await withUserClaims(
    sql,
    user,
    (tx) => tx`select private.store_own_stripe_customer(${customerId}) as stored`,
  );
  return z.object({ stored: z.string().nullable() }).parse(row).stored;
}
