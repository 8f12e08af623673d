// What a signed-in user reads and changes, always inside withUser: RLS, not these functions, scopes every row.
import {
  BotErrorCodeSchema,
  BotHaltCodeSchema,
  BotStateSchema,
  readBotStats,
  SecretMetadataSchema,
  SubscriptionStatusSchema,
  TierSchema,
  TradeStrategySchema,
  TradingModeSchema,
  UserConfigRowSchema,
  VenueIdSchema,
  type SaveUserSecretArgs,
  type SecretMetadata,
  type UserConfigPatch,
  type UserConfigRow,
  type VenueId,
} from '@polybot/schemas';
import { z } from 'zod';
import type { UserTx } from '../with-user.ts';

export const ProfileSchema = z.object({
  id: z.uuid(),
  display_name: z.string().nullable(),
  email: z.string().nullable(),
  subscription_tier: TierSchema,
  subscription_status: SubscriptionStatusSchema,
  subscription_expires_at: z.coerce.date().nullable(),
  monthly_trade_limit: z.number().int(),
  trades_this_month: z.number().int(),
  max_trade_size_usd: z.coerce.number(),
  max_daily_loss_usd: z.coerce.number(),
  max_positions: z.number().int(),
  features_enabled: z.record(z.string(), z.boolean()),
  live_trading_allowed: z.boolean(),
  onboarding_completed: z.boolean(),
  onboarding_step: z.enum(['terms', 'platforms', 'risk', 'plan', 'done']),
  accepted_terms_at: z.coerce.date().nullable(),
  is_suspended: z.boolean(),
  suspended_reason: z.string().nullable(),
});
export type Profile = z.infer<typeof ProfileSchema>;

export async function getOwnProfile(tx: UserTx): Promise<Profile | null> {
  const rows = await tx`select * from public.polybot_user_profiles where id = auth.uid()`;
  return rows[0] ? ProfileSchema.parse(rows[0]) : null;
}

export async function getOwnConfig(tx: UserTx): Promise<UserConfigRow | null> {
  const rows = await tx`select * from public.polybot_user_config where user_id = auth.uid()`;
  return rows[0] ? UserConfigRowSchema.parse(rows[0]) : null;
}

/** The own config row, locked until the transaction ends: a read-modify-write of advanced_config loses no entry. */
export async function lockOwnConfig(tx: UserTx): Promise<UserConfigRow | null> {
  const rows = await tx`select * from public.polybot_user_config where user_id = auth.uid() for update`;
  return rows[0] ? UserConfigRowSchema.parse(rows[0]) : null;
}

/** Applies a validated patch; returns the new row (with its new config_version). */
export async function updateOwnConfig(tx: UserTx, patch: UserConfigPatch): Promise<UserConfigRow> {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
  if (entries.length === 0) {
    const current = await getOwnConfig(tx);
    if (!current) throw new Error('no config row for this user');
    return current;
  }
  const values = Object.fromEntries(
    entries.map(([k, v]) => [k, typeof v === 'object' && v !== null ? tx.json(v as never) : v]),
  );
  const rows = await tx`
    update public.polybot_user_config set ${tx(values as Record<string, never>)}
     where user_id = auth.uid() returning *`;
  if (!rows[0]) throw new Error('no config row for this user');
  return UserConfigRowSchema.parse(rows[0]);
}

export async function listOwnSecretMetadata(tx: UserTx): Promise<SecretMetadata[]> {
  const rows = await tx`
    select platform, is_paper, is_active, key_hint, validation_status, validation_error, last_validated_at, rotated_at, updated_at
      from public.polybot_user_secrets where user_id = auth.uid() order by platform, is_paper desc`;
  return rows.map((r) => SecretMetadataSchema.parse(r));
}

/** Keys travel as bind parameters only (never interpolated into SQL text). */
export async function saveOwnSecret(
  tx: UserTx,
  args: SaveUserSecretArgs,
): Promise<{ key_hint: string; rotated: boolean }> {
  const rows = await tx<{ r: { key_hint: string; rotated: boolean } }[]>`
    select public.save_user_secret(${args.p_platform}, ${args.p_is_paper}, ${args.p_api_key}, ${args.p_api_secret},
                                   ${args.p_private_key}, ${tx.json(args.p_additional_config as never)}) as r`;
  const r = rows[0]?.r;
  if (!r) throw new Error('save_user_secret returned nothing');
  return { key_hint: r.key_hint, rotated: r.rotated };
}

export async function deleteOwnSecret(tx: UserTx, platform: VenueId, isPaper: boolean): Promise<boolean> {
  const rows = await tx<{ deleted: boolean }[]>`select public.delete_user_secret(${platform}, ${isPaper}) as deleted`;
  return rows[0]?.deleted ?? false;
}

/**
 * The bot status a user may read: exactly the columns granted to `authenticated` (20261207000300; the host running
 * the bot, manager_id, and its pid are the platform's, not the user's). readable-columns.test.ts keeps the two equal.
 */
export const BotStatusSchema = z.object({
  user_id: z.uuid(),
  state: BotStateSchema,
  mode: TradingModeSchema,
  heartbeat_at: z.coerce.date().nullable(),
  /** When the current runner process started (a restart — new keys, a new plan — moves it). */
  started_at: z.coerce.date().nullable(),
  config_version: z.coerce.number().int().nullable(),
  config_applied_at: z.coerce.date().nullable(),
  last_error: z.string().nullable(),
  /** What last_error is about, as a code: what the dashboard explains (null for no error). */
  error_code: BotErrorCodeSchema.nullable(),
  trading_halted_until: z.coerce.date().nullable(),
  halt_reason: z.string().nullable(),
  halt_code: BotHaltCodeSchema.nullable(),
  last_error_at: z.coerce.date().nullable(),
  /** Restarts since the last healthy period (crash back-off). */
  restart_count: z.number().int(),
  /** Read leniently (readBotStats): a malformed or missing key reads as absent, never as a broken page. */
  stats: z.unknown().transform(readBotStats),
  updated_at: z.coerce.date(),
});
export type BotStatus = z.infer<typeof BotStatusSchema>;
/** The columns getOwnBotStatus names (a `select *` is refused: users may not read every column). */
export const BOT_STATUS_USER_COLUMNS = Object.keys(BotStatusSchema.shape);

export async function getOwnBotStatus(tx: UserTx): Promise<BotStatus | null> {
  const rows =
    await tx`select ${tx(BOT_STATUS_USER_COLUMNS)} from public.polybot_bot_status where user_id = (select auth.uid())`;
  return rows[0] ? BotStatusSchema.parse(rows[0]) : null;
}

export const TradeFilterSchema = z.object({
  platform: VenueIdSchema.optional(),
  strategy: TradeStrategySchema.optional(),
  mode: TradingModeSchema.optional(),
  /** Keyset pagination: trades with id below this. */
  beforeId: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type TradeFilter = z.input<typeof TradeFilterSchema>;

export async function listOwnTrades(tx: UserTx, filter: TradeFilter = {}) {
  const f = TradeFilterSchema.parse(filter);
  return tx`
    select id, client_order_id, platform, market_id, market_title, instrument_id, outcome, side, strategy, mode, order_type, status,
           limit_price::float8 as limit_price, price::float8 as price, size::float8 as size,
           filled_size::float8 as filled_size, fee::float8 as fee, notional_usd::float8 as notional_usd,
           realized_pnl_usd::float8 as realized_pnl_usd, created_at, executed_at
      from public.polybot_trades
     -- (select auth.uid()): evaluated once per query; a bare auth.uid() is re-evaluated (claims JSON parsed) per row.
     where user_id = (select auth.uid())
       ${f.platform ? tx`and platform = ${f.platform}` : tx``}
       ${f.strategy ? tx`and strategy = ${f.strategy}` : tx``}
       ${f.mode ? tx`and mode = ${f.mode}` : tx``}
       ${f.beforeId ? tx`and id < ${f.beforeId}` : tx``}
     order by id desc
     limit ${f.limit}`;
}
