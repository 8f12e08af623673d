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
>;

/**
 * Applies one booked fill to the user's position in that instrument and mode: a buy opens or grows it (fee into the
 * cost basis, average price re-weighted); a sale shrinks it and adds its realized P&L, as defined once by
 * public.sale_realized_pnl_usd (migration 20261204000310); a sale that leaves no more than POSITION_DUST closes it (the
 * one definition of an open position, @polybot/schemas positions.ts). Unfilled orders change nothing.
 */
export async function applyFillToPosition(db: Conn, userId: string, t: PositionFill): Promise<void> {
  if (t.filledSize <= 0 || t.price === null) return;
  const cost = t.filledSize * t.price + t.fee;
  if (t.side === 'buy') {
    await db`
      insert into public.polybot_positions (user_id, platform, market_id, market_title, instrument_id, outcome, mode, status, size, avg_price, cost_basis_usd)
      values (${userId}, ${t.platform}, ${t.marketId}, ${t.marketTitle ?? null}, ${t.instrumentId}, ${t.outcome}, ${t.mode}, 'open', ${t.filledSize}, ${t.price}, ${cost})
      on conflict (user_id, platform, instrument_id, mode) do update set
        size = polybot_positions.size + excluded.size,
        cost_basis_usd = polybot_positions.cost_basis_usd + excluded.cost_basis_usd,
        avg_price = least(0.999999, (polybot_positions.avg_price * polybot_positions.size + excluded.avg_price * excluded.size)
                                    / (polybot_positions.size + excluded.size)),
        status = 'open', closed_at = null`;
  } else {
    await db`
      update public.polybot_positions set
        realized_pnl_usd = realized_pnl_usd
          + public.sale_realized_pnl_usd(${t.filledSize}, ${t.price}, ${t.fee}, avg_price, size),
        cost_basis_usd = greatest(0, cost_basis_usd - avg_price * least(size, ${t.filledSize})),
        size = greatest(0, size - ${t.filledSize}),
        status = case when size - ${t.filledSize} <= ${POSITION_DUST} then 'closed' else status end,
        closed_at = case when size - ${t.filledSize} <= ${POSITION_DUST} then now() else closed_at end
      where user_id = ${userId} and platform = ${t.platform} and instrument_id = ${t.instrumentId} and mode = ${t.mode}`;
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
