// Settlement of resolved markets, and what follows it on the venue: the platform's side of issue 12 item 3. The rule
// itself (payout per contract, voided, 50-50, realized P&L) is public.settle_market (migration
// 20261205000100_settlement.sql); this file calls it and records what the venue reports afterwards.
import {
  MarketResolutionSchema,
  TradingModeSchema,
  VenueIdSchema,
  type MarketResolution,
  type VenueId,
} from '@polybot/schemas';
import type { Sql, TransactionSql } from 'postgres';
import { z } from 'zod';

type Conn = Sql | TransactionSql;

export const SettledPositionSchema = z.object({
  userId: z.uuid(),
  positionId: z.coerce.number().int(),
  instrumentId: z.string(),
  mode: TradingModeSchema,
  realizedPnlUsd: z.coerce.number(),
});
export type SettledPosition = z.infer<typeof SettledPositionSchema>;

/** The market was already recorded with a different resolution: nothing was settled (SQLSTATE PB409). */
export class ResolutionConflictError extends Error {
  constructor(
    readonly resolution: MarketResolution,
    options: { cause: unknown },
  ) {
    super(`${resolution.platform} market ${resolution.marketId} is already resolved differently`, options);
    this.name = 'ResolutionConflictError';
  }
}

/**
 * Records the resolution and settles every user's open positions in that market, in one transaction and one
 * statement per step (public.settle_market). Returns only the positions settled by THIS call: replaying the same
 * resolution returns [] and changes nothing; a different resolution of an already resolved market throws
 * ResolutionConflictError and changes nothing.
 */
export async function settleMarket(db: Conn, resolution: MarketResolution): Promise<SettledPosition[]> {
  const r = MarketResolutionSchema.parse(resolution);
  try {
    const rows = await db`
      select user_id, position_id, instrument_id, mode, realized_pnl_usd
        from public.settle_market(${r.platform}, ${r.marketId}, ${r.status}, ${db.json(r.payouts)},
                                  ${r.winningOutcome}, ${r.resolvedAt}, ${r.source})`;
    return rows.map((row) =>
      SettledPositionSchema.parse({
        userId: row.user_id,
        positionId: row.position_id,
        instrumentId: row.instrument_id,
        mode: row.mode,
        realizedPnlUsd: row.realized_pnl_usd,
      }),
    );
  } catch (error) {
    if ((error as { code?: string }).code === 'PB409') throw new ResolutionConflictError(r, { cause: error });
    throw error;
  }
}

const ResolutionRowSchema = z.object({
  platform: z.string(),
  market_id: z.string(),
  status: z.string(),
  payouts: z.record(z.string(), z.coerce.number()),
  winning_outcome: z.string().nullable(),
  resolved_at: z.coerce.date(),
  source: z.string(),
});

/** The recorded resolution of a market, or null while it has none. */
export async function readResolution(db: Conn, platform: VenueId, marketId: string): Promise<MarketResolution | null> {
  const [row] = await db`
    select platform, market_id, status, payouts, winning_outcome, resolved_at, source
      from public.polybot_market_resolutions where platform = ${platform} and market_id = ${marketId}`;
  if (!row) return null;
  const r = ResolutionRowSchema.parse(row);
  return MarketResolutionSchema.parse({
    platform: r.platform,
    marketId: r.market_id,
    status: r.status,
    payouts: r.payouts,
    winningOutcome: r.winning_outcome,
    resolvedAt: r.resolved_at,
    source: r.source,
  });
}

export interface VenueSettlement {
  platform: VenueId;
  marketId: string;
  /** What the venue says it paid the user for this market, all their contracts in it together (USD). */
  venuePayoutUsd: number;
  /** The venue's reference (Kalshi: the settlement's market ticker and settled time; Polymarket: a tx hash). */
  venueReference: string;
}

/**
 * Live reconciliation (Kalshi's GET /portfolio/settlements): writes the venue's payout for one market on the user's
 * live settlement rows of that market, shared in proportion to the payout we computed (equally when we computed 0),
 * so the rows of a market add up to what the venue paid. Returns the rows updated and the venue's total less ours
 * (0 when they agree). Recording the same again changes nothing.
 */
export async function recordVenueSettlement(
  db: Conn,
  userId: string,
  v: VenueSettlement,
): Promise<{ updated: number; differenceUsd: number }> {
  const rows = await db`
    with mine as (
      select id, payout_usd,
             sum(payout_usd) over () as total,
             count(*) over () as n
        from public.polybot_settlements
       where user_id = ${userId} and platform = ${v.platform} and market_id = ${v.marketId} and mode = 'live'
    )
    update public.polybot_settlements s set
      venue_payout_usd = case when mine.total > 0 then ${v.venuePayoutUsd} * mine.payout_usd / mine.total
                              else ${v.venuePayoutUsd}::numeric / mine.n end,
      venue_reference = ${v.venueReference.slice(0, 200)},
      reconciled_at = coalesce(s.reconciled_at, now())
      from mine where s.id = mine.id
    returning mine.total::float8 as total`;
  const total = rows[0] ? Number(rows[0].total) : 0;
  return { updated: rows.length, differenceUsd: rows.length > 0 ? v.venuePayoutUsd - total : v.venuePayoutUsd };
}

/** Marks the user's live winnings in a market as redeemable on chain (settle_market does this for Polymarket). */
export async function markRedeemable(db: Conn, userId: string, platform: VenueId, marketId: string): Promise<number> {
  const rows = await db`
    update public.polybot_settlements set redeem_status = 'redeemable'
     where user_id = ${userId} and platform = ${platform} and market_id = ${marketId} and mode = 'live'
       and payout_usd > 0 and redeem_status = 'not_applicable'
    returning id`;
  return rows.length;
}

/** Records a redemption of the user's winnings in one market (Polymarket redeems a whole condition at once). */
export async function markRedeemed(
  db: Conn,
  userId: string,
  v: VenueSettlement,
): Promise<{ updated: number; differenceUsd: number }> {
  const result = await recordVenueSettlement(db, userId, v);
  await db`
    update public.polybot_settlements set redeem_status = 'redeemed'
     where user_id = ${userId} and platform = ${v.platform} and market_id = ${v.marketId} and mode = 'live'
       and redeem_status = 'redeemable'`;
  return result;
}

const RedeemableSchema = z.object({
  user_id: z.uuid(),
  platform: VenueIdSchema,
  market_id: z.string(),
  payout_usd: z.coerce.number(),
});

/** Live winnings not redeemed yet, one row per user and market (what a redeemer or the positions page lists). */
export async function listRedeemable(
  db: Conn,
  userId?: string,
): Promise<{ userId: string; platform: VenueId; marketId: string; payoutUsd: number }[]> {
  const rows = await db`
    select user_id, platform, market_id, sum(payout_usd) as payout_usd from public.polybot_settlements
     where redeem_status = 'redeemable' and (${userId ?? null}::uuid is null or user_id = ${userId ?? null}::uuid)
     group by user_id, platform, market_id order by user_id, platform, market_id`;
  return rows.map((row) => {
    const r = RedeemableSchema.parse(row);
    return { userId: r.user_id, platform: r.platform, marketId: r.market_id, payoutUsd: r.payout_usd };
  });
}
