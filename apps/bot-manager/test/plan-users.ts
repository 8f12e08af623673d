// Users for the strategy suites: limits roomy enough that only what a test is about stops a trade, and the features
// their plan grants written onto the profile (as the plan trigger would).
import { createUser, type TestDatabase } from './harness.ts';

/** The Pro and Enterprise plans' features (supabase/migrations/*_plans.sql): every strategy. */
export const PRO_FEATURES = {
  single_platform: true,
  cross_platform: true,
  overlapping_arb: true,
  news_arbitrage: true,
  copy_trading: true,
};
/** Single- and cross-platform arbitrage only. */
export const ARB_FEATURES = { ...PRO_FEATURES, overlapping_arb: false, news_arbitrage: false, copy_trading: false };

/** Profile limits first (the config's own caps are checked against them); `profile` and `config` win over them. */
export async function planUser(
  db: TestDatabase,
  features: Record<string, boolean>,
  o: { profile?: Record<string, unknown>; config?: Record<string, unknown> } = {},
): Promise<string> {
  const u = await createUser(db, {
    profile: { max_positions: 50, max_trade_size_usd: 250, max_daily_loss_usd: 10_000, ...o.profile },
    config: { max_open_positions: 50, max_trade_size_usd: 250, max_daily_loss_usd: 10_000, ...o.config },
  });
  await db.sql`update public.polybot_user_profiles set features_enabled = ${db.sql.json(features)} where id = ${u.id}`;
  return u.id;
}

/** Config toggles with only copy trading on: every trade such a user books is a copy trade. */
export const COPY_ONLY = {
  enable_copy_trading: true,
  enable_single_platform_arb: false,
  enable_cross_platform_arb: false,
  enable_overlapping_arb: false,
  enable_news_arbitrage: false,
};
