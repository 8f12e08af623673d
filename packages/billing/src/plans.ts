// The plan catalogue for pricing and billing pages: polybot_plans rows, with the Stripe price from configuration
// (the environment's price ids win over the table's column, which admins may leave empty).
import type { Sql } from 'postgres';
import { PlanSchema, type Plan } from '@polybot/schemas';
import { PAID_TIERS, type PriceMap } from './shared.ts';

export interface CatalogPlan extends Plan {
  /** True when a user can start a Checkout for it: active, paid, and a price is configured. */
  purchasable: boolean;
}

export async function listPlans(sql: Sql, prices: PriceMap): Promise<CatalogPlan[]> {
  const rows = await sql`
    select tier, display_name, description, price_usd_monthly, monthly_trade_limit, max_trade_size_usd,
           max_daily_loss_usd, max_positions, features, live_trading_allowed, stripe_price_id, sort_order, is_active
      from public.polybot_plans
     order by sort_order, tier`;
  return rows.map((row) => {
    const plan = PlanSchema.parse(row);
    const paid = PAID_TIERS.find((t) => t === plan.tier);
    const priceId = paid ? (prices[paid] ?? plan.stripe_price_id) : null;
    return { ...plan, stripe_price_id: priceId, purchasable: Boolean(paid && priceId && plan.is_active) };
  });
}
