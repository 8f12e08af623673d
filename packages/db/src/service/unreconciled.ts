// Live Kalshi settlements of one user the venue's payout is not recorded for yet: a (re)started runner reconciles them
// with the venue (GET /portfolio/settlements with the user's key), so a restart never loses a reconciliation.
import type { Sql, TransactionSql } from 'postgres';
import { z } from 'zod';

type Conn = Sql | TransactionSql;

/** Market tickers, settled in the last `days` days (older ones are left for a person to look at). */
export async function listUnreconciledKalshiMarkets(db: Conn, userId: string, days = 7): Promise<string[]> {
  const rows = await db`
    select distinct market_id from public.polybot_settlements
     where user_id = ${userId} and platform = 'kalshi' and mode = 'live' and reconciled_at is null
       and settled_at > now() - make_interval(days => ${days})
     order by market_id limit 1000`;
  return rows.map((r) => z.string().parse(r.market_id));
}
