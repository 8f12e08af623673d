// Billing's reads as the service: the whole plan catalogue, retired plans included. (The web's billing reads and
// writes of the signed-in user's profile are in ../user/billing.ts: as the user, never on a service connection.)
import { PlanSchema, type Plan } from '@polybot/schemas';
import type { Sql, TransactionSql } from 'postgres';

type Conn = Sql | TransactionSql;

/** Every plan of the catalogue, retired ones included, in catalogue order. */
export async function listAllPlans(db: Conn): Promise<Plan[]> {
  const rows = await db`
    select tier, display_name, description, price_usd_monthly, monthly_trade_limit, max_trade_size_usd,
           max_daily_loss_usd, max_positions, features, live_trading_allowed, stripe_price_id, sort_order, is_active
      from public.polybot_plans
     order by sort_order, tier`;
  return rows.map((row) => PlanSchema.parse(row));
}
