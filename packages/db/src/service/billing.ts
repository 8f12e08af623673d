// Billing's reads and writes as the service: the profile's Stripe columns (the profile guard refuses stripe_* to
// users) and the whole plan catalogue, retired plans included.
import { PlanSchema, type Plan } from '@polybot/schemas';
import type { Sql, TransactionSql } from 'postgres';
import { z } from 'zod';

type Conn = Sql | TransactionSql;

export const ProfileBillingSchema = z.object({
  email: z.string().nullable(),
  stripe_customer_id: z.string().nullable(),
  stripe_subscription_id: z.string().nullable(),
  subscription_status: z.string(),
  subscription_tier: z.string(),
});
export type ProfileBilling = z.infer<typeof ProfileBillingSchema>;

/** null: no profile for this user. */
export async function readProfileBillingRow(db: Conn, userId: string): Promise<ProfileBilling | null> {
  const [row] = await db`
    select email, stripe_customer_id, stripe_subscription_id, subscription_status, subscription_tier
      from public.polybot_user_profiles where id = ${userId}`;
  return row ? ProfileBillingSchema.parse(row) : null;
}

/**
 * Stores the user's Stripe customer unless one is stored already, and returns the one that is: two concurrent first
 * checkouts agree on one customer. null: no profile for this user.
 */
export async function storeStripeCustomerOnce(db: Conn, userId: string, customerId: string): Promise<string | null> {
  const [stored] = await db`
    update public.polybot_user_profiles
       set stripe_customer_id = coalesce(stripe_customer_id, ${customerId})
     where id = ${userId}
     returning stripe_customer_id`;
  return stored ? z.string().parse(stored.stripe_customer_id) : null;
}

/** Every plan of the catalogue, retired ones included, in catalogue order. */
export async function listAllPlans(db: Conn): Promise<Plan[]> {
  const rows = await db`
    select tier, display_name, description, price_usd_monthly, monthly_trade_limit, max_trade_size_usd,
           max_daily_loss_usd, max_positions, features, live_trading_allowed, stripe_price_id, sort_order, is_active
      from public.polybot_plans
     order by sort_order, tier`;
  return rows.map((row) => PlanSchema.parse(row));
}
