// Positions as the BotManager books them from a runner's fills, and what a restarted runner resumes from.
import { POSITION_DUST } from '@polybot/schemas';
import type { Sql, TransactionSql } from 'postgres';
import { z } from 'zod';
import type { TradeRecord } from './queries.ts';

type Conn = Sql | TransactionSql;

export type PositionFill = Pick<
  TradeRecord,
  | 'platform'
  | 'marketId'
  | 'instrumentId'
  | 'outcome'
  | 'mode'
  | 'side'
  | 'filledSize'
  | 'price'
  | 'fee'
  | 'marketTitle'
> &
  Partial<Pick<TradeRecord, 'strategy' | 'legGroupId'>> & {
    /** The booked trade (polybot_trades.id): a sale's realized P&L is written on it too. */
    tradeId?: number;
  };

/**
 * Applies one booked fill to the user's position in that instrument and mode: a buy opens or grows it (fee into the
 * cost basis, average price re-weighted; the opening buy names the position's strategy and basket); a sale shrinks it
 * and realizes, as defined once by public.sale_realized_pnl_usd, against the average COST per contract
 * (cost_basis_usd / size, buy fees included, so every fee is counted exactly once), writing that realized P&L on the
 * position and on the sale's trade row; a sale that leaves no more than POSITION_DUST closes it as 'sold' (the one
 * definition of an open position, @polybot/schemas positions.ts). A settled position is never reopened or sold from:
 * its market is over. Unfilled orders change nothing. replayFills (@polybot/schemas pnl.ts) mirrors this exactly.
 */
export async function applyFillToPosition(db: Conn, userId: string, t: PositionFill): Promise<void> {
  if (t.filledSize <= 0 || t.price === null) return;
  const cost = t.filledSize * t.price + t.fee;
  if (t.side === 'buy') {
    await db`
      insert into public.polybot_positions as p (user_id, platform, market_id, market_title, instrument_id, outcome, mode,
                                                status, size, avg_price, cost_basis_usd, strategy, leg_group_id)
      values (${userId}, ${t.platform}, ${t.marketId}, ${t.marketTitle ?? null}, ${t.instrumentId}, ${t.outcome}, ${t.mode},
              'open', ${t.filledSize}, ${t.price}, ${cost}, ${t.strategy ?? null}, ${t.legGroupId ?? null})
      on conflict (user_id, platform, instrument_id, mode) do update set
        size = p.size + excluded.size,
        cost_basis_usd = p.cost_basis_usd + excluded.cost_basis_usd,
        avg_price = least(0.999999, (p.avg_price * p.size + excluded.avg_price * excluded.size) / (p.size + excluded.size)),
        -- A buy into a closed (sold) position opens it anew: the new opener names strategy and basket.
        strategy = case when p.status = 'open' then p.strategy else excluded.strategy end,
        leg_group_id = case when p.status = 'open' then p.leg_group_id else excluded.leg_group_id end,
        status = 'open', closed_at = null, close_reason = null
      where p.status <> 'settled'`;
  } else {
    // Lock the row first so the realized P&L is computed from the row as it is now, then write it on the trade too.
    await db`
      with held as (
        select id, size, cost_basis_usd from public.polybot_positions
         where user_id = ${userId} and platform = ${t.platform} and instrument_id = ${t.instrumentId}
           and mode = ${t.mode} and status <> 'settled'
           for update
      ),
      sale as (
        select h.id, h.size,
               public.sale_realized_pnl_usd(${t.filledSize}, ${t.price}, ${t.fee},
                                            coalesce(h.cost_basis_usd / nullif(h.size, 0), 0), h.size) as realized,
               case when h.size <= 0 then 0
                    when ${t.filledSize} >= h.size then h.cost_basis_usd
                    else h.cost_basis_usd * ${t.filledSize} / h.size end as released
          from held h
      ),
      booked as (
        update public.polybot_positions p set
          realized_pnl_usd = p.realized_pnl_usd + sale.realized,
          cost_basis_usd = greatest(0, p.cost_basis_usd - sale.released),
          size = greatest(0, p.size - ${t.filledSize}),
          status = case when p.size - ${t.filledSize} <= ${POSITION_DUST} then 'closed' else p.status end,
          close_reason = case when p.size - ${t.filledSize} <= ${POSITION_DUST} then 'sold' else p.close_reason end,
          closed_at = case when p.size - ${t.filledSize} <= ${POSITION_DUST} then now() else p.closed_at end
          from sale where p.id = sale.id
        returning sale.realized
      )
      update public.polybot_trades set realized_pnl_usd = coalesce(
          (select realized from booked),
          -- Nothing held: the sale realizes its proceeds less its fee.
          public.sale_realized_pnl_usd(${t.filledSize}, ${t.price}, ${t.fee}, 0, 0))
       where id = ${t.tradeId ?? null} and user_id = ${userId}`;
  }
}

const RiskStartSchema = z.object({ open: z.array(z.string()), pnl: z.coerce.number() });

export interface RiskStart {
  /** Instruments the user holds an open position in (status 'open' with a size, POSITION_DUST in @polybot/schemas). */
  openInstrumentIds: string[];
  pnlTodayUsd: number;
}

/**
 * What a runner needs to resume today's risk picture after a restart: the instruments of its open positions (one per
 * instrument: the runner counts positions by instrument, whatever the mode) and today's P&L as the last heartbeat of
 * today recorded it (0 when the status row was not written today).
 */
export async function readRiskStart(db: Conn, userId: string): Promise<RiskStart> {
  const [row] = await db`
    select coalesce((select array_agg(distinct instrument_id) from public.polybot_positions
                      where user_id = ${userId} and status = 'open' and size > ${POSITION_DUST}), '{}') as open,
           coalesce((select stats ->> 'pnl_today_usd' from public.polybot_bot_status
                      where user_id = ${userId} and updated_at >= date_trunc('day', now(), 'UTC')), '0') as pnl`;
  const r = RiskStartSchema.parse(row ?? { open: [], pnl: 0 });
  return { openInstrumentIds: r.open, pnlTodayUsd: r.pnl };
}

const LivePositionRowSchema = z.object({
  venue: z.enum(['polymarket', 'kalshi']),
  instrument_id: z.string(),
  size: z.coerce.number(),
});

/** What the database holds live for a user, per venue and instrument (open, above the dust): what the venue should hold. */
export async function listLivePositions(
  db: Conn,
  userId: string,
): Promise<Array<{ venue: 'polymarket' | 'kalshi'; instrumentId: string; size: number }>> {
  const rows = await db`
    select platform as venue, instrument_id, size::text as size from public.polybot_positions
     where user_id = ${userId} and mode = 'live' and status = 'open' and size > ${POSITION_DUST}`;
  return rows.map((r) => {
    const p = LivePositionRowSchema.parse(r);
    return { venue: p.venue, instrumentId: p.instrument_id, size: p.size };
  });
}
