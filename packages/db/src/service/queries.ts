// Privileged reads and writes for the platform (BotManager, runners, billing). Each goes through a narrowly scoped
// SQL function or a service_role-only table grant; callers pass the connection configured with service credentials.
import {
  DecryptedSecretRowSchema,
  type BotErrorCode,
  type BotHaltCode,
  type BotStats,
  type BotState,
  TierSchema,
  type DecryptedSecretRow,
  type MarketLink,
  type OrderSide,
  type OrderStatus,
  type OrderType,
  type TradeStrategy,
  type TradingMode,
  type VenueId,
} from '@polybot/schemas';
import type { Sql, TransactionSql } from 'postgres';
import { asRole } from '../with-user.ts';
import { marketLinkFromRow, type MarketLinkRow } from './market-links.ts';
import { z } from 'zod';

type Conn = Sql | TransactionSql;

/** Runs fn as service_role (what a Supabase service key gets), for connections that log in as postgres. */
export function asService<T>(sql: Sql, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return asRole(sql, 'service_role', { role: 'service_role' }, fn);
}

export const DesiredBotSchema = z.object({
  user_id: z.uuid(),
  subscription_tier: TierSchema,
  config_version: z.coerce.number().int(),
});
export type DesiredBot = z.infer<typeof DesiredBotSchema>;

export async function listDesiredBots(db: Conn): Promise<DesiredBot[]> {
  const rows = await db`select * from public.list_desired_bots()`;
  return rows.map((r) => DesiredBotSchema.parse(r));
}

export async function getUserSecretsDecrypted(db: Conn, userId: string): Promise<DecryptedSecretRow[]> {
  const rows = await db`select * from public.get_user_secrets_decrypted(${userId})`;
  return rows.map((r) => DecryptedSecretRowSchema.parse(r));
}

/** Reserve one trade of the monthly limit. False: limit reached (or user suspended) — place no order. */
export async function incrementUserTrades(db: Conn, userId: string): Promise<boolean> {
  const rows = await db<{ reserved: boolean }[]>`select public.increment_user_trades(${userId}) as reserved`;
  return rows[0]?.reserved === true;
}

/** Reserve `count` trades (one per order) all or nothing. False: they do not all fit (or user suspended) — send none. */
export async function reserveUserTrades(db: Conn, userId: string, count: number): Promise<boolean> {
  const rows = await db<
    { reserved: boolean }[]
  >`select public.increment_user_trades(${userId}, ${count}::int) as reserved`;
  return rows[0]?.reserved === true;
}

/** Give back up to `count` reservations of this month for orders never sent; returns how many were given back. */
export async function releaseUserTrades(db: Conn, userId: string, count: number): Promise<number> {
  const rows = await db<
    { released: number }[]
  >`select public.release_user_trades(${userId}, ${count}::int) as released`;
  return rows[0]?.released ?? 0;
}

/** Approved market links (what cross-platform and overlapping arbitrage may trade on). */
export async function listApprovedMarketLinks(db: Conn): Promise<MarketLink[]> {
  const rows = await db<MarketLinkRow[]>`
    select id, relation, a_platform, a_market_id, b_platform, b_market_id, status
      from public.polybot_market_links where status = 'approved' order by id`;
  return rows.map(marketLinkFromRow);
}

export async function setSecretValidation(
  db: Conn,
  userId: string,
  platform: VenueId,
  isPaper: boolean,
  status: 'valid' | 'invalid' | 'expired',
  error: string | null,
): Promise<boolean> {
  const rows = await db<
    { ok: boolean }[]
  >`select public.set_user_secret_validation(${userId}, ${platform}, ${isPaper}, ${status}, ${error}) as ok`;
  return rows[0]?.ok === true;
}

export interface TradeRecord {
  userId: string;
  clientOrderId: string;
  venueOrderId: string | null;
  platform: VenueId;
  marketId: string;
  instrumentId: string;
  outcome: string | null;
  side: OrderSide;
  strategy: TradeStrategy;
  mode: TradingMode;
  orderType: OrderType;
  status: OrderStatus;
  limitPrice: number;
  price: number | null;
  size: number;
  filledSize: number;
  fee: number;
  opportunityId: string | null;
  legGroupId: string | null;
  rejectReason: string | null;
  /** The market's question at booking time, for people reading the trade (null when the venue gave none). */
  marketTitle?: string | null;
}

/**
 * Books a trade once. A retry or a restarted runner presenting the same client order id changes nothing and gets
 * `inserted: false` — the unique (user_id, client_order_id) constraint is what guarantees it.
 */
export async function recordTrade(db: Conn, t: TradeRecord): Promise<{ id: number; inserted: boolean }> {
  const inserted = await db<{ id: number }[]>`
    insert into public.polybot_trades
      (user_id, client_order_id, venue_order_id, platform, market_id, instrument_id, outcome, side, strategy, mode,
       order_type, status, limit_price, price, size, filled_size, fee, notional_usd, opportunity_id, leg_group_id,
       reject_reason, executed_at, market_title)
    values
      (${t.userId}, ${t.clientOrderId}, ${t.venueOrderId}, ${t.platform}, ${t.marketId}, ${t.instrumentId}, ${t.outcome},
       ${t.side}, ${t.strategy}, ${t.mode}, ${t.orderType}, ${t.status}, ${t.limitPrice}, ${t.price}, ${t.size},
       ${t.filledSize}, ${t.fee}, ${t.price === null ? 0 : t.filledSize * t.price}, ${t.opportunityId}, ${t.legGroupId},
       ${t.rejectReason}, ${t.filledSize > 0 ? new Date() : null}, ${t.marketTitle ? t.marketTitle.slice(0, 300) : null})
    on conflict (user_id, client_order_id) do nothing
    returning id`;
  if (inserted[0]) return { id: inserted[0].id, inserted: true };
  const existing = await db<{ id: number }[]>`
    select id from public.polybot_trades where user_id = ${t.userId} and client_order_id = ${t.clientOrderId}`;
  const row = existing[0];
  if (!row) throw new Error(`trade ${t.clientOrderId} neither inserted nor found`);
  return { id: row.id, inserted: false };
}

export interface BotStatusUpdate {
  state?: BotState;
  mode?: TradingMode;
  pid?: number | null;
  managerId?: string | null;
  startedAt?: Date | null;
  heartbeatAt?: Date | null;
  configVersion?: number | null;
  configAppliedAt?: Date | null;
  lastError?: string | null;
  /** The code beside lastError (written with it: a lastError without one clears the code). */
  errorCode?: BotErrorCode | null;
  restartCount?: number;
  tradingHaltedUntil?: Date | null;
  haltReason?: string | null;
  /** The code beside haltReason (written with it: a haltReason without one clears the code). */
  haltCode?: BotHaltCode | null;
  /** The heartbeat's stats (BotStatsSchema); the update replaces the whole object. */
  stats?: Partial<BotStats>;
}

const STATUS_COLUMNS: Record<keyof BotStatusUpdate, string> = {
  state: 'state',
  mode: 'mode',
  pid: 'pid',
  managerId: 'manager_id',
  startedAt: 'started_at',
  heartbeatAt: 'heartbeat_at',
  configVersion: 'config_version',
  configAppliedAt: 'config_applied_at',
  lastError: 'last_error',
  errorCode: 'error_code',
  restartCount: 'restart_count',
  tradingHaltedUntil: 'trading_halted_until',
  haltReason: 'halt_reason',
  haltCode: 'halt_code',
  stats: 'stats',
};

export async function updateBotStatus(db: Conn, userId: string, update: BotStatusUpdate): Promise<void> {
  const values: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(STATUS_COLUMNS) as Array<[keyof BotStatusUpdate, string]>) {
    const v = update[key];
    if (v !== undefined) values[column] = key === 'stats' ? db.json(v as never) : v;
  }
  if ('lastError' in update) {
    values.last_error_at = update.lastError ? new Date() : null;
    // A code describes its text: a new text without a code must not keep the old text's code.
    values.error_code = update.lastError ? (update.errorCode ?? null) : null;
  }
  if ('haltReason' in update) values.halt_code = update.haltReason ? (update.haltCode ?? null) : null;
  if (Object.keys(values).length === 0) return;
  await db`
    insert into public.polybot_bot_status ${db({ user_id: userId, ...values } as unknown as Record<string, never>)}
    on conflict (user_id) do update set ${db(values as unknown as Record<string, never>)}`;
}
