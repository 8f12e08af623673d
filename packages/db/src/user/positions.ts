// The user's positions, settlements and realized P&L as the positions page and the dashboard read them (under RLS:
// every read runs as the signed-in user, and the tables' policies let a user see only their own rows). These are
// plain reads: every figure derived from them (unrealized, basket valuation, summaries) is computed by the one P&L
// module, @polybot/schemas pnl.ts, never here.
import {
  POSITION_DUST,
  TradeStrategySchema,
  TradingModeSchema,
  VenueIdSchema,
  type PnlEvent,
  type PnlPosition,
} from '@polybot/schemas';
import { z } from 'zod';
import type { UserTx } from '../with-user.ts';

/** Venue and mode filters of the positions page (both optional: all of the user's positions). */
export const PositionsFilterSchema = z.object({
  platform: VenueIdSchema.optional(),
  mode: TradingModeSchema.optional(),
});
export type PositionsFilter = z.input<typeof PositionsFilterSchema>;

const num = z.coerce.number();
const numOrNull = z.coerce.number().nullable();

export const PositionRowSchema = z.object({
  id: z.coerce.number().int(),
  platform: VenueIdSchema,
  market_id: z.string(),
  market_title: z.string().nullable(),
  instrument_id: z.string(),
  outcome: z.string().nullable(),
  mode: TradingModeSchema,
  /** 'open', or 'closed' for a sold leg of an open basket (it stops the basket from counting as complete sets). */
  status: z.enum(['open', 'closed', 'settled']),
  /** The strategy of the buy that opened it (null for rows booked before it was recorded). */
  strategy: TradeStrategySchema.nullable(),
  /** The basket of the opening buy: positions sharing it were bought together (an arbitrage's legs). */
  leg_group_id: z.string().nullable(),
  size: num,
  avg_price: num,
  cost_basis_usd: num,
  /** Realized so far by partial sales of this position. */
  realized_pnl_usd: num,
  mark_price: numOrNull,
  /** When the row last changed, which for an open position is when its mark was last written (writeMarks). */
  marked_at: z.coerce.date(),
  opened_at: z.coerce.date(),
});
export type PositionRow = z.infer<typeof PositionRowSchema>;

/** A stored position as the P&L module reads it (pnl.ts PnlPosition). */
export function positionRowToPnl(r: PositionRow): PnlPosition {
  return {
    platform: r.platform,
    marketId: r.market_id,
    instrumentId: r.instrument_id,
    outcome: r.outcome,
    mode: r.mode,
    status: r.status,
    size: r.size,
    avgPrice: r.avg_price,
    costBasisUsd: r.cost_basis_usd,
    realizedPnlUsd: r.realized_pnl_usd,
    markPrice: r.mark_price,
    strategy: r.strategy,
    legGroupId: r.leg_group_id,
  };
}

/**
 * What the P&L module values the user's open positions from (pnl.ts valueOpenPositions): the open positions (status
 * 'open' holding more than POSITION_DUST, the one definition of an open position), plus the sold (closed) positions
 * of their baskets — a basket that sold a leg no longer holds complete sets. Oldest first, so a basket's legs keep
 * their booking order. Filtered by mode here (a basket never spans modes); the venue filter is the page's, after
 * valuation, because a cross-platform basket spans venues.
 */
export async function listOwnPositionsToValue(
  tx: UserTx,
  filter: { mode?: PositionsFilter['mode'] } = {},
): Promise<PositionRow[]> {
  const mode = filter.mode ? TradingModeSchema.parse(filter.mode) : null;
  const rows = await tx`
    with mine as (
      select id, platform, market_id, market_title, instrument_id, outcome, mode, status, strategy, leg_group_id,
             size::float8 as size, avg_price::float8 as avg_price, cost_basis_usd::float8 as cost_basis_usd,
             realized_pnl_usd::float8 as realized_pnl_usd, mark_price::float8 as mark_price, updated_at as marked_at,
             opened_at
        from public.polybot_positions
       where user_id = (select auth.uid()) and status in ('open', 'closed')
         ${mode ? tx`and mode = ${mode}` : tx``}
    ), open as (
      select * from mine where status = 'open' and size > ${POSITION_DUST}
    )
    select * from open
    union all
    select * from mine c
     where c.status = 'closed' and c.leg_group_id is not null
       and exists (select 1 from open o where o.leg_group_id = c.leg_group_id and o.mode = c.mode)
     order by opened_at, id`;
  return rows.map((r) => PositionRowSchema.parse(r));
}

export const SettlementRowSchema = z.object({
  id: z.coerce.number().int(),
  position_id: z.coerce.number().int(),
  platform: VenueIdSchema,
  market_id: z.string(),
  market_title: z.string().nullable(),
  instrument_id: z.string(),
  outcome: z.string().nullable(),
  mode: TradingModeSchema,
  strategy: TradeStrategySchema.nullable(),
  leg_group_id: z.string().nullable(),
  size: num,
  cost_basis_usd: num,
  payout_per_contract: num,
  payout_usd: num,
  realized_pnl_usd: num,
  rule: z.enum(['won', 'lost', 'split', 'voided']),
  settled_at: z.coerce.date(),
  redeem_status: z.enum(['not_applicable', 'redeemable', 'redeemed']),
  venue_payout_usd: numOrNull,
  venue_reference: z.string().nullable(),
  reconciled_at: z.coerce.date().nullable(),
});
export type SettlementRow = z.infer<typeof SettlementRowSchema>;

export const SettlementPageSchema = PositionsFilterSchema.extend({
  /** Keyset pagination: settlements with id below this (newest first). */
  beforeId: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type SettlementPage = z.input<typeof SettlementPageSchema>;

/** The user's resolved positions, newest first, with the market's question and strategy from the position. */
export async function listOwnSettlements(tx: UserTx, page: SettlementPage = {}): Promise<SettlementRow[]> {
  const f = SettlementPageSchema.parse(page);
  const rows = await tx`
    select s.id, s.position_id, s.platform, s.market_id, p.market_title, s.instrument_id, s.outcome, s.mode,
           p.strategy, p.leg_group_id, s.size::float8 as size, s.cost_basis_usd::float8 as cost_basis_usd,
           s.payout_per_contract::float8 as payout_per_contract, s.payout_usd::float8 as payout_usd,
           s.realized_pnl_usd::float8 as realized_pnl_usd, s.rule, s.settled_at, s.redeem_status,
           s.venue_payout_usd::float8 as venue_payout_usd, s.venue_reference, s.reconciled_at
      from public.polybot_settlements s
      left join public.polybot_positions p on p.id = s.position_id
     where s.user_id = (select auth.uid())
       ${f.platform ? tx`and s.platform = ${f.platform}` : tx``}
       ${f.mode ? tx`and s.mode = ${f.mode}` : tx``}
       ${f.beforeId ? tx`and s.id < ${f.beforeId}` : tx``}
     order by s.id desc
     limit ${f.limit}`;
  return rows.map((r) => SettlementRowSchema.parse(r));
}

export const RealizedBucketSchema = z.object({
  /** UTC day. */
  day: z.coerce.date(),
  /** Where the money was realized: a sale of (part of) a position, or the market's resolution. */
  source: z.enum(['sale', 'settlement']),
  /** The strategy that opened the position (a sale's own strategy for rows booked before positions recorded it). */
  strategy: TradeStrategySchema.nullable(),
  platform: VenueIdSchema,
  mode: TradingModeSchema,
  realized_usd: num,
  /** Sales or settlements in the bucket. */
  count: z.coerce.number().int(),
});
export type RealizedBucket = z.infer<typeof RealizedBucketSchema>;

/** The SQL buckets as pnl.ts events (one event per bucket: its sum), for summarizePnl. */
export function bucketEvents(buckets: readonly RealizedBucket[]): PnlEvent[] {
  return buckets.map((b) => ({
    at: b.day,
    kind: b.source,
    platform: b.platform,
    mode: b.mode,
    strategy: b.strategy,
    realizedUsd: b.realized_usd,
    feesUsd: 0,
  }));
}

/**
 * Realized P&L in buckets of (UTC day, source, strategy, venue, mode), from `since` on (all time without it): sales
 * (polybot_trades.realized_pnl_usd, written by the booking of a sale as public.sale_realized_pnl_usd defines it) and
 * settlements (polybot_settlements.realized_pnl_usd). Summing in SQL keeps the page's cost independent of how many
 * trades a user has; the summaries over the buckets are the P&L module's. The trades' predicate matches
 * polybot_trades_user_booked_at_idx.
 */
export async function listOwnRealizedBuckets(
  tx: UserTx,
  filter: PositionsFilter & { since?: Date } = {},
): Promise<RealizedBucket[]> {
  const f = PositionsFilterSchema.parse(filter);
  const since = filter.since ?? new Date(0);
  const rows = await tx`
    with sales as (
      select date_trunc('day', coalesce(t.executed_at, t.created_at), 'UTC') as day, 'sale'::text as source,
             coalesce(p.strategy, t.strategy) as strategy, t.platform, t.mode, t.realized_pnl_usd as realized
        from public.polybot_trades t
        left join public.polybot_positions p
          on p.user_id = t.user_id and p.platform = t.platform and p.instrument_id = t.instrument_id and p.mode = t.mode
       where t.user_id = (select auth.uid()) and coalesce(t.executed_at, t.created_at) >= ${since}
         and t.realized_pnl_usd is not null
         ${f.platform ? tx`and t.platform = ${f.platform}` : tx``}
         ${f.mode ? tx`and t.mode = ${f.mode}` : tx``}
    ), settled as (
      select date_trunc('day', s.settled_at, 'UTC') as day, 'settlement'::text as source,
             p.strategy, s.platform, s.mode, s.realized_pnl_usd as realized
        from public.polybot_settlements s
        left join public.polybot_positions p on p.id = s.position_id
       where s.user_id = (select auth.uid()) and s.settled_at >= ${since}
         ${f.platform ? tx`and s.platform = ${f.platform}` : tx``}
         ${f.mode ? tx`and s.mode = ${f.mode}` : tx``}
    )
    select day, source, strategy, platform, mode, sum(realized)::float8 as realized_usd, count(*)::int as count
      from (select * from sales union all select * from settled) x
     group by day, source, strategy, platform, mode
     order by day, source, strategy, platform, mode`;
  return rows.map((r) => RealizedBucketSchema.parse(r));
}

/** The user's newest settlement (its id), or null: the dashboard refreshes its P&L card when this changes. */
export async function latestOwnSettlementId(tx: UserTx): Promise<number | null> {
  // Matches polybot_settlements_user_settled_idx: one index probe.
  const rows = await tx<{ id: string | number }[]>`
    select id from public.polybot_settlements where user_id = (select auth.uid()) order by settled_at desc, id desc limit 1`;
  return rows[0] ? Number(rows[0].id) : null;
}
