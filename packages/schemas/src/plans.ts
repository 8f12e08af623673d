// Subscription tiers (table polybot_plans) and the features a plan can include.
import { z } from 'zod';

/** The tiers of polybot_plans.tier (supabase/tests/enums.test.ts checks them against the CHECK). */
export const TierSchema = z.enum(['free', 'basic', 'pro', 'enterprise']);
export type Tier = z.infer<typeof TierSchema>;
/** The tiers sold through Stripe: every tier but free. */
export const PaidTierSchema = TierSchema.exclude(['free']);
export type PaidTier = z.infer<typeof PaidTierSchema>;
export const PAID_TIERS = PaidTierSchema.options;

export const PlanFeaturesSchema = z.object({
  single_platform: z.boolean().default(false),
  cross_platform: z.boolean().default(false),
  overlapping_arb: z.boolean().default(false),
  news_arbitrage: z.boolean().default(false),
  copy_trading: z.boolean().default(false),
});
export type PlanFeatures = z.infer<typeof PlanFeaturesSchema>;
export type PlanFeature = keyof PlanFeatures;

export const PlanSchema = z.object({
  tier: TierSchema,
  display_name: z.string(),
  description: z.string(),
  price_usd_monthly: z.coerce.number().min(0),
  monthly_trade_limit: z.coerce.number().int().min(0),
  max_trade_size_usd: z.coerce.number().min(1),
  max_daily_loss_usd: z.coerce.number().min(1),
  max_positions: z.coerce.number().int().min(1),
  features: PlanFeaturesSchema,
  live_trading_allowed: z.boolean(),
  stripe_price_id: z.string().nullable(),
  sort_order: z.coerce.number().int(),
  is_active: z.boolean(),
});
export type Plan = z.infer<typeof PlanSchema>;

/** Which config toggle each plan feature gates. */
export const FEATURE_TOGGLES = {
  single_platform: 'enable_single_platform_arb',
  cross_platform: 'enable_cross_platform_arb',
  overlapping_arb: 'enable_overlapping_arb',
  news_arbitrage: 'enable_news_arbitrage',
  copy_trading: 'enable_copy_trading',
} as const satisfies Record<PlanFeature, string>;

/** The config toggle of each strategy, as a config row (or the runner's subset of it) carries them. */
export type StrategyToggles = { readonly [F in PlanFeature as (typeof FEATURE_TOGGLES)[F]]: boolean };
/** The plan's features as stored on a profile (features_enabled: a key may be missing, which means off). */
export type FeatureFlags = Readonly<Partial<Record<PlanFeature, boolean>>>;

/**
 * Where a strategy stands for a user: `on` (their toggle AND their plan's feature), `off` (the plan includes it, the
 * toggle is off), `locked` (the plan does not include it and the toggle is off) or `locked_on` (the toggle is on but
 * the plan does not include it: typically left from a plan the user downgraded from; the bot does not run it, and it
 * runs again after an upgrade). The runner, the manager and the web app all decide "is strategy X enabled" through
 * this function; only `on` runs.
 */
export type StrategyState = 'on' | 'off' | 'locked' | 'locked_on';
export function strategyState(feature: PlanFeature, config: StrategyToggles, features: FeatureFlags): StrategyState {
  const toggled = config[FEATURE_TOGGLES[feature]];
  if (features[feature] !== true) return toggled ? 'locked_on' : 'locked';
  return toggled ? 'on' : 'off';
}

/** The strategy runs: the user's config toggle AND the plan's feature (see strategyState). */
export function strategyEnabled(feature: PlanFeature, config: StrategyToggles, features: FeatureFlags): boolean {
  return strategyState(feature, config, features) === 'on';
}
