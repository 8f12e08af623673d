// The platform's reads of a user's booked trades that keep a restarted runner from acting twice on one signal.
// (Booking itself is recordTrade in queries.ts.)
import type { Sql, TransactionSql } from 'postgres';
import { z } from 'zod';

type Conn = Sql | TransactionSql;

/** Whether any trade of this leg group is booked: a restarted runner re-meeting a booked opportunity reserves nothing. */
export async function isLegGroupBooked(db: Conn, userId: string, legGroupId: string): Promise<boolean> {
  const rows =
    await db`select 1 from public.polybot_trades where user_id = ${userId} and leg_group_id = ${legGroupId} limit 1`;
  return rows.length > 0;
}

const KeyRowSchema = z.object({ k: z.string() });

/** `<ruleId>:<itemId>` of the news signals this user booked lately (the leg group id is `news:<ruleId>:<itemId>`). */
export async function listRecentNewsSignalKeys(db: Conn, userId: string): Promise<string[]> {
  // The longest rule window is 7 days: an older item can never match again.
  const rows = await db`
    select distinct substr(leg_group_id, 6) as k from public.polybot_trades
    where user_id = ${userId} and strategy = 'news' and leg_group_id like 'news:%'
      and created_at > now() - interval '8 days'
    limit 5000`;
  return rows.map((r) => KeyRowSchema.parse(r).k).filter((k) => k.length > 0 && k.length <= 200);
}

const TxRowSchema = z.object({ tx: z.string() });

/** Transaction hashes this user's copy trades mirrored lately (the opportunity id is `copy:<txHash>:<token>`). */
export async function listRecentCopiedTxHashes(db: Conn, userId: string): Promise<string[]> {
  const rows = await db`
    select distinct split_part(leg_group_id, ':', 2) as tx from public.polybot_trades
    where user_id = ${userId} and strategy = 'copy_trading' and leg_group_id like 'copy:%'
      and created_at > now() - interval '7 days'
    limit 5000`;
  return rows.map((r) => TxRowSchema.parse(r).tx).filter((t) => t.length > 0);
}
