// The user's bot configuration (table polybot_user_config). Every numeric range here is the same as the table's
// CHECK constraint; supabase/tests/config-bounds.test.ts proves the two agree at and just past each bound.
import { z } from 'zod';
import { VenueIdSchema } from './market.ts';

export const CONFIG_LIMITS = {
  min_profit_pct: { min: 0, max: 50 },
  max_trade_size_usd: { min: 1, max: 100_000 },
  max_daily_loss_usd: { min: 1, max: 1_000_000 },
  max_open_positions: { min: 1, max: 500 },
} as const;

// Bounds are written the way the form hints write them (1,000,000, not 1000000).
const shown = (n: number): string => n.toLocaleString('en-US');
const bounded = (key: keyof typeof CONFIG_LIMITS, label: string) =>
  z
    .number({ error: `${label} must be a number` })
    .min(CONFIG_LIMITS[key].min, { error: `${label} must be at least ${shown(CONFIG_LIMITS[key].min)}` })
    .max(CONFIG_LIMITS[key].max, { error: `${label} must be at most ${shown(CONFIG_LIMITS[key].max)}` });

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

/** Free-form strategy parameters kept in advanced_config (jsonb). Unknown keys are rejected: typos must not vanish. */
export const AdvancedConfigSchema = z
  .strictObject({
    newsRules: z.array(NewsRuleSchema).max(50).default([]),
    followedWallets: z.array(FollowedWalletSchema).max(50).default([]),
    maxBookAgeMs: z.number().int().min(500).max(600_000).optional(),
  })
  .default({ newsRules: [], followedWallets: [] });
export type AdvancedConfig = z.infer<typeof AdvancedConfigSchema>;

/** What a user may edit. */
export const UserConfigInputSchema = z.strictObject({
  dry_run: z.boolean(),
  bot_enabled: z.boolean(),
  min_profit_pct: bounded('min_profit_pct', 'Minimum profit (%)'),
  max_trade_size_usd: bounded('max_trade_size_usd', 'Max trade size (USD)'),
  max_daily_loss_usd: bounded('max_daily_loss_usd', 'Max daily loss (USD)'),
  max_open_positions: bounded('max_open_positions', 'Max open positions').int({
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
