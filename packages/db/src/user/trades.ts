// One of the user's trades, as the trade page and the dashboard's list show it.
import { z } from 'zod';
import type { UserTx } from '../with-user.ts';

export const TradeRowSchema = z.object({
  id: z.coerce.number().int(),
  platform: z.string(),
  market_id: z.string(),
  market_title: z.string().nullable().default(null),
  instrument_id: z.string(),
  outcome: z.string().nullable(),
  side: z.string(),
  strategy: z.string(),
  mode: z.string(),
  status: z.string(),
  price: z.number().nullable(),
  size: z.number(),
  filled_size: z.number(),
  fee: z.number(),
  notional_usd: z.number(),
  realized_pnl_usd: z.number().nullable(),
  created_at: z.coerce.date(),
});
export type TradeRow = z.infer<typeof TradeRowSchema>;

/** One trade by id — RLS makes another user's trade indistinguishable from one that does not exist. */
export async function getOwnTrade(tx: UserTx, id: number): Promise<TradeRow | null> {
  const rows = await tx`
    select id, platform, market_id, market_title, instrument_id, outcome, side, strategy, mode, status, price::float8 as price,
           size::float8 as size, filled_size::float8 as filled_size, fee::float8 as fee,
           notional_usd::float8 as notional_usd, realized_pnl_usd::float8 as realized_pnl_usd, created_at
      from public.polybot_trades where id = ${id}`;
  return rows[0] ? TradeRowSchema.parse(rows[0]) : null;
}
