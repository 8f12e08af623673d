// The plan catalogue for pricing and billing pages: polybot_plans rows, with the Stripe price from configuration
// (the environment's price ids win over the table's column, which admins may leave empty).
import { listAllPlans } from '@polybot/db/service';
import type { Plan } from '@polybot/schemas';
import type { Sql } from 'postgres';
import { PAID_TIERS, type PriceMap } from './shared.ts';

export interface CatalogPlan extends Plan {
  /** True when a user can start a Checkout for it: active, paid, and a price is configured. */
  purchasable: boolean;
}

export async function listPlans(sql: Sql, prices: PriceMap): Promise<CatalogPlan[]> {
  const plans = await listAllPlans(sql);
  return plans.map((plan) => {
    const paid = PAID_TIERS.find((t) => t === plan.tier);
    const priceId = paid ? (prices[paid] ?? plan.stripe_price_id) : null;
    return { ...plan, stripe_price_id: priceId, purchasable: Boolean(paid && priceId && plan.is_active) };
  });
}
