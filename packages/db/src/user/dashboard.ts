// The dashboard's own reads of the user's trades (the trade list itself is listOwnTrades; its P&L card reads
// positions.ts, as the positions page does).
import type { UserTx } from '../with-user.ts';

/** The newest of the user's trades (its id), or null: the dashboard refreshes its lists when this changes. */
export async function latestOwnTradeId(tx: UserTx): Promise<number | null> {
  // Matches polybot_trades_user_id_desc_idx: one index probe.
  const rows = await tx<{ id: string | number }[]>`
    select id from public.polybot_trades where user_id = (select auth.uid()) order by id desc limit 1`;
  return rows[0] ? Number(rows[0].id) : null;
}
