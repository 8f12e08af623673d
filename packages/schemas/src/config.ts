// The user's bot configuration (table polybot_user_config). Every numeric range here is the same as the table's
// CHECK constraint; supabase/tests/config-bounds.test.ts proves the two agree at and just past each bound.
import { z } from 'zod';
import { jsonbTextBytes } from './json-size.ts';
import { VenueIdSchema } from './market.ts';
import { NEWS_LIMITS } from './news-limits.ts';

export const CONFIG_LIMITS = {
  min_profit_pct: { min: 0, max: 50 },
  max_trade_size_usd: { min: 1, max: 100_000 },
  max_daily_loss_usd: { min: 1, max: 1_000_000 },
  max_open_positions: { min: 1, max: 500 },
} as const;

/** What each bounded field is called on the form (and in its errors). */
export const CONFIG_LABELS = {
  min_profit_pct: 'Minimum profit (%)',
  max_trade_size_usd: 'Max trade size (USD)',
  max_daily_loss_usd: 'Max daily loss (USD)',
  max_open_positions: 'Max open positions',
} as const satisfies Record<keyof typeof CONFIG_LIMITS, string>;

/**
 * The limits a plan caps below the table's bounds, and the profile column that holds the plan's cap for each (the
 * profile copies its plan's limits: private.apply_plan_limits). The runner trades at min(config, plan) (runner/risk.ts);
 * the settings refuse a value above the plan's cap so that what the user saved is what the bot uses.
 */
export const PLAN_CAPPED_LIMITS = {
  max_trade_size_usd: 'max_trade_size_usd',
  max_daily_loss_usd: 'max_daily_loss_usd',
  max_open_positions: 'max_positions',
} as const satisfies Partial<Record<keyof typeof CONFIG_LIMITS, string>>;
/** A plan's caps as a profile (or a plan row) carries them. */
export type PlanCaps = {
  readonly max_trade_size_usd: number;
  readonly max_daily_loss_usd: number;
  readonly max_positions: number;
};

/** The range a field accepts for a user on a plan: the table's bounds, the maximum lowered to the plan's cap. */
export function configBounds(
  key: keyof typeof CONFIG_LIMITS,
  plan: PlanCaps,
): { min: number; max: number; capped: boolean } {
  const { min, max } = CONFIG_LIMITS[key];
  const capKey = (PLAN_CAPPED_LIMITS as Partial<Record<string, keyof PlanCaps>>)[key];
  const cap = capKey === undefined ? max : plan[capKey];
  return { min, max: Math.min(max, cap), capped: cap < max };
}

/** Errors by field for values above the plan's caps, naming the plan and its limit. Values absent are not checked. */
export function planLimitErrors(
  values: Partial<Record<keyof typeof CONFIG_LIMITS, number>>,
  plan: PlanCaps,
  planName: string,
): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const key of Object.keys(PLAN_CAPPED_LIMITS) as (keyof typeof PLAN_CAPPED_LIMITS)[]) {
    const value = values[key];
    const { max } = configBounds(key, plan);
    if (value !== undefined && value > max)
      errors[key] = [
        `${CONFIG_LABELS[key]} can be at most ${shown(max)} on your ${planName} plan. Upgrade on the billing page for a higher limit.`,
      ];
  }
  return errors;
}

// Bounds are written the way the form hints write them (1,000,000, not 1000000).
function shown(n: number): string {
  return n.toLocaleString('en-US');
}
const bounded = (key: keyof typeof CONFIG_LIMITS) =>
  z
    .number({ error: `${CONFIG_LABELS[key]} must be a number` })
    .min(CONFIG_LIMITS[key].min, { error: `${CONFIG_LABELS[key]} must be at least ${shown(CONFIG_LIMITS[key].min)}` })
    .max(CONFIG_LIMITS[key].max, { error: `${CONFIG_LABELS[key]} must be at most ${shown(CONFIG_LIMITS[key].max)}` });

/** Copy trading: the default and the largest allowed price a follower pays above the leader's (dollars per share). */
export const COPY_DEFAULT_MAX_SLIPPAGE = 0.02;
export const COPY_MAX_SLIPPAGE_LIMIT = 0.2;

export const NotificationChannelSchema = z.enum(['email', 'webhook', 'telegram']);

export const NewsRuleSchema = z.object({
  id: z.string().min(1).max(64),
  feed: z.string().min(1).max(100),
  keywords: z.array(z.string().min(1).max(100)).min(1).max(20),
  venue: VenueIdSchema,
  instrumentId: z.string().min(1).max(200),
  side: z.enum(['yes', 'no']),
  maxPrice: z.number().gt(0).lt(1),
  /** The probability the user believes the chosen side pays after such news: the bot buys only below it, less fees. */
  confidence: z.number().gt(0).lt(1),
  /** Budget of this rule per signal, dollars (the config's max trade size applies too). */
  maxSizeUsd: z.number().min(1).max(100_000).optional(),
  windowMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
});
export type NewsRule = z.infer<typeof NewsRuleSchema>;

export const FollowedWalletSchema = z.object({
  address: z.string().regex(/^0x[0-9a-fA-F]{40}$/, { error: 'wallet must be a 0x-prefixed 40-hex-digit address' }),
  scale: z.number().gt(0).max(10),
  maxPerTradeUsd: z.number().min(1).max(100_000),
  /**
   * Highest price paid above the leader's, dollars per share (prices run 0–1). Unset: the bot's default,
   * COPY_DEFAULT_MAX_SLIPPAGE. 0 copies only at the leader's price or better.
   */
  maxSlippage: z.number().min(0).max(COPY_MAX_SLIPPAGE_LIMIT).optional(),
});
export type FollowedWallet = z.infer<typeof FollowedWalletSchema>;

/**
 * The most advanced_config may hold, in bytes as the database counts them (jsonbTextBytes; the table's CHECK
 * polybot_user_config_advanced_config_size names the same number, 20261207000330). The entry limits alone allow
 * more (50 rules of 20 keywords of 100 characters), and the manager loads, hashes and ships the whole value to the
 * runner on every change: the bytes are capped too.
 */
export const ADVANCED_CONFIG_MAX_BYTES = 65_536;
export const ADVANCED_CONFIG_TOO_LARGE = `Your wallets and news rules together are too large to save (${ADVANCED_CONFIG_MAX_BYTES / 1024} KiB). Shorten keywords or remove a rule.`;

/** Free-form strategy parameters kept in advanced_config (jsonb). Unknown keys are rejected: typos must not vanish. */
export const AdvancedConfigSchema = z
  .strictObject({
    newsRules: z.array(NewsRuleSchema).max(NEWS_LIMITS.rulesPerUser).default([]),
    followedWallets: z.array(FollowedWalletSchema).max(50).default([]),
    maxBookAgeMs: z.number().int().min(500).max(600_000).optional(),
  })
  .refine((v) => jsonbTextBytes(v) <= ADVANCED_CONFIG_MAX_BYTES, { error: ADVANCED_CONFIG_TOO_LARGE, path: [] })
  .default({ newsRules: [], followedWallets: [] });
export type AdvancedConfig = z.infer<typeof AdvancedConfigSchema>;

/** What a user may edit. */
export const UserConfigInputSchema = z.strictObject({
  dry_run: z.boolean(),
  bot_enabled: z.boolean(),
  min_profit_pct: bounded('min_profit_pct'),
  max_trade_size_usd: bounded('max_trade_size_usd'),
  max_daily_loss_usd: bounded('max_daily_loss_usd'),
  max_open_positions: bounded('max_open_positions').int({
    error: 'Max open positions must be a whole number',
  }),
  enable_copy_trading: z.boolean(),
  enable_single_platform_arb: z.boolean(),
  enable_cross_platform_arb: z.boolean(),
  enable_overlapping_arb: z.boolean(),
  enable_news_arbitrage: z.boolean(),
  enable_polymarket: z.boolean(),
  enable_kalshi: z.boolean(),
  enable_alpaca: z.boolean(),
  enable_ibkr: z.boolean(),
  notify_on_trade: z.boolean(),
  notify_on_opportunity: z.boolean(),
  notify_daily_summary: z.boolean(),
  notification_channels: z.array(NotificationChannelSchema).max(5),
  advanced_config: AdvancedConfigSchema,
});
export type UserConfigInput = z.infer<typeof UserConfigInputSchema>;
export const UserConfigPatchSchema = UserConfigInputSchema.partial();
export type UserConfigPatch = z.infer<typeof UserConfigPatchSchema>;

// The venues the bot trades (the alpaca/ibkr columns are reserved; no runner trades them, so they count for nothing).
const VENUE_TOGGLES = ['enable_polymarket', 'enable_kalshi'] as const;
const STRATEGY_TOGGLES = [
  'enable_single_platform_arb',
  'enable_cross_platform_arb',
  'enable_overlapping_arb',
  'enable_news_arbitrage',
  'enable_copy_trading',
] as const;
export const NOTHING_ENABLED_ERROR =
  'Turn on at least one platform (Polymarket or Kalshi) and at least one strategy: with none, your bot has nothing to trade.';

/**
 * A saved config must leave the bot something to do: at least one venue and one strategy on. Checked on a patch that
 * sets every toggle of a group (the config form does; a patch of other fields is not about them). A form-level issue
 * (empty path): the rule is about the toggles together, not one of them. Added with .superRefine by every form that
 * saves the toggles (settings and the wizard share one server schema).
 */
export function refuseNothingEnabled(patch: UserConfigPatch, ctx: z.RefinementCtx): void {
  const none = (keys: readonly (keyof UserConfigPatch)[]) =>
    keys.every((k) => patch[k] !== undefined) && keys.every((k) => patch[k] !== true);
  if (none(VENUE_TOGGLES) || none(STRATEGY_TOGGLES)) {
    ctx.addIssue({ code: 'custom', message: NOTHING_ENABLED_ERROR, path: [] });
  }
}

/** A config row as read from the database (numerics arrive as strings from postgres.js and are coerced here). */
export const UserConfigRowSchema = UserConfigInputSchema.extend({
  id: z.coerce.number().int(),
  user_id: z.uuid(),
  min_profit_pct: z.coerce.number(),
  max_trade_size_usd: z.coerce.number(),
  max_daily_loss_usd: z.coerce.number(),
  max_open_positions: z.coerce.number().int(),
  config_version: z.coerce.number().int().min(1),
  created_at: z.coerce.date(),
  updated_at: z.coerce.date(),
});
export type UserConfigRow = z.infer<typeof UserConfigRowSchema>;
