// The dashboard's own reads of the user's trades (the trade list itself is listOwnTrades).
import { z } from 'zod';
import type { UserTx } from '../with-user.ts';

const PnlDaySchema = z.object({ day: z.coerce.date(), pnl: z.coerce.number(), trades: z.coerce.number().int() });
export type PnlDay = z.infer<typeof PnlDaySchema>;

/**
 * Realized P&L per UTC day of the current month (days without trades are filled in by the chart): the sum of the
 * trades' realized_pnl_usd, whose definition is the SQL function public.sale_realized_pnl_usd (migration
 * 20261204000310), the same one the BotManager books positions with. `(select auth.uid())` is evaluated once, not
 * per row; the predicate matches polybot_trades_user_booked_at_idx.
 */
export async function realizedPnlByDayThisMonth(tx: UserTx): Promise<PnlDay[]> {
  const rows = await tx`
    select date_trunc('day', coalesce(executed_at, created_at), 'UTC') as day,
           coalesce(sum(realized_pnl_usd), 0)::float8 as pnl, count(*)::int as trades
      from public.polybot_trades
     where user_id = (select auth.uid()) and coalesce(executed_at, created_at) >= date_trunc('month', now(), 'UTC')
     group by 1 order by 1`;
  return rows.map((r) => PnlDaySchema.parse(r));
}

/** The newest of the user's trades (its id), or null: the dashboard refreshes its lists when this changes. */
export async function latestOwnTradeId(tx: UserTx): Promise<number | null> {
  // Matches polybot_trades_user_id_desc_idx: one index probe.
  const rows = await tx<{ id: string | number }[]>`
    select id from public.polybot_trades where user_id = (select auth.uid()) order by id desc limit 1`;
  return rows[0] ? Number(rows[0].id) : null;
}
