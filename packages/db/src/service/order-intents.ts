// Durable order intents (polybot_order_intents): written before an order leaves, resolved by its booking or by the
// runner's reconciliation with the venue (docs/ARCHITECTURE.md §8a.4). The manager runs these on a runner's behalf,
// always for that runner's own user.
import {
  OrderIntentRowSchema,
  UNRESOLVED_INTENT_STATUSES,
  type IntentResolution,
  type OrderIntent,
  type OrderIntentRow,
} from '@polybot/schemas';
import type { Sql, TransactionSql } from 'postgres';
import { z } from 'zod';
import { applyManagerFence } from './as-manager.ts';

type Conn = Sql | TransactionSql;

/**
 * Writes the intents of one execution step in one transaction. An intent whose client order id this user already has
 * is not written again and comes back in `existing`: that order was sent (or about to be) before — a restarted runner
 * meeting the same opportunity — and must not be sent again. With `newGroup` (the first order of an execution), a leg
 * group with any intent already is refused whole.
 */
export async function recordIntents(
  sql: Sql,
  userId: string,
  intents: readonly OrderIntent[],
  opts: { newGroup?: boolean } = {},
): Promise<{ recorded: string[]; existing: string[] }> {
  const recorded: string[] = [];
  const existing: string[] = [];
  await sql.begin(async (tx) => {
    // The manager's lease token (its fence) goes with the inserts, which the database checks per user.
    await applyManagerFence(sql, tx);
    if (opts.newGroup) {
      // The first order of an execution: a leg group that already has an intent was executed before (by a runner
      // that may have died mid-way) and is not executed again — nothing of it is written, everything is "existing".
      const groups = [...new Set(intents.map((i) => i.legGroupId))];
      // Orders the venue refused outright (`not_sent`: paused, or unknown to it) do not count: they never traded.
      const seen = await tx`
        select 1 from public.polybot_order_intents
         where user_id = ${userId} and leg_group_id in ${tx(groups)} and status <> 'not_sent' limit 1`;
      if (seen.length > 0) {
        existing.push(...intents.map((i) => i.clientOrderId));
        return;
      }
    }
    for (const i of intents) {
      const rows = await tx`
        insert into public.polybot_order_intents
          (user_id, client_order_id, venue, venue_order_id, instrument_id, market_id, outcome, side, size, limit_price,
           order_type, leg_group_id, strategy, mode)
        values
          (${userId}, ${i.clientOrderId}, ${i.venue}, ${i.venueOrderId}, ${i.instrumentId}, ${i.marketId}, ${i.outcome},
           ${i.side}, ${i.size}, ${i.limitPrice}, ${i.orderType}, ${i.legGroupId}, ${i.strategy}, ${i.mode})
        -- An order that never reached the venue (not_sent) may be written again and sent: the venue never had it.
        on conflict (user_id, client_order_id) do update
          set status = 'pending', venue_order_id = excluded.venue_order_id, size = excluded.size,
              limit_price = excluded.limit_price, error = null, trade_id = null, updated_at = now()
          where polybot_order_intents.status = 'not_sent'
        returning client_order_id`;
      (rows.length > 0 ? recorded : existing).push(i.clientOrderId);
    }
  });
  return { recorded, existing };
}

/** The venue acknowledged these orders (they are no longer merely pending). */
export async function markIntentsSent(db: Conn, userId: string, clientOrderIds: readonly string[]): Promise<number> {
  if (clientOrderIds.length === 0) return 0;
  const rows = await db`
    update public.polybot_order_intents set status = 'sent', updated_at = now()
     where user_id = ${userId} and client_order_id in ${db(clientOrderIds as string[])} and status = 'pending'
    returning 1`;
  return rows.length;
}

/**
 * The order's trade is booked (call inside the booking's transaction, so a booking and its intent's resolution are one
 * commit). An order without an intent (none was needed before this table existed) changes nothing.
 */
export async function bookIntent(db: Conn, userId: string, clientOrderId: string, tradeId: number): Promise<boolean> {
  const rows = await db`
    update public.polybot_order_intents set status = 'booked', trade_id = ${tradeId}, error = null, updated_at = now()
     where user_id = ${userId} and client_order_id = ${clientOrderId} and status <> 'booked'
    returning 1`;
  return rows.length > 0;
}

/**
 * Resolves an unresolved intent without a booking (or records that its fate is still `unknown`). A resolved intent is
 * never changed back: false when it was not unresolved.
 */
export async function resolveIntent(
  db: Conn,
  userId: string,
  clientOrderId: string,
  status: IntentResolution,
  error: string | null,
): Promise<boolean> {
  const rows = await db`
    update public.polybot_order_intents
       set status = ${status}, error = ${error === null ? null : error.slice(0, 1000)}, updated_at = now()
     where user_id = ${userId} and client_order_id = ${clientOrderId}
       and status in ${db([...UNRESOLVED_INTENT_STATUSES])}
    returning 1`;
  return rows.length > 0;
}

const IntentDbRowSchema = z.object({
  client_order_id: z.string(),
  venue: z.string(),
  venue_order_id: z.string().nullable(),
  instrument_id: z.string(),
  market_id: z.string(),
  outcome: z.string().nullable(),
  side: z.string(),
  size: z.coerce.number(),
  limit_price: z.coerce.number(),
  order_type: z.string(),
  leg_group_id: z.string(),
  strategy: z.string(),
  mode: z.string(),
  status: z.string(),
  error: z.string().nullable(),
  created_at: z.date(),
});

function fromRow(raw: unknown): OrderIntentRow {
  const r = IntentDbRowSchema.parse(raw);
  return OrderIntentRowSchema.parse({
    clientOrderId: r.client_order_id,
    venue: r.venue,
    venueOrderId: r.venue_order_id,
    instrumentId: r.instrument_id,
    marketId: r.market_id,
    outcome: r.outcome,
    side: r.side,
    size: r.size,
    limitPrice: r.limit_price,
    orderType: r.order_type,
    legGroupId: r.leg_group_id,
    strategy: r.strategy,
    mode: r.mode,
    status: r.status,
    error: r.error,
    createdAt: r.created_at,
  });
}

/** This user's unresolved intents (pending, sent, unknown), oldest first, at most `limit`. */
export async function listUnresolvedIntents(db: Conn, userId: string, limit = 500): Promise<OrderIntentRow[]> {
  const rows = await db`
    select client_order_id, venue, venue_order_id, instrument_id, market_id, outcome, side, size, limit_price,
           order_type, leg_group_id, strategy, mode, status, error, created_at
      from public.polybot_order_intents
     where user_id = ${userId} and status in ${db([...UNRESOLVED_INTENT_STATUSES])}
     order by created_at, id limit ${limit}`;
  return rows.map(fromRow);
}

/**
 * Paper intents a dead runner left unresolved: paper fills lived only in that process's memory (PaperTrading), so
 * there is nothing any venue can tell about them — they are marked abandoned, and never booked or sent again.
 */
export async function abandonPaperIntents(db: Conn, userId: string): Promise<number> {
  const rows = await db`
    update public.polybot_order_intents
       set status = 'abandoned', error = 'paper order of a runner that stopped before booking it', updated_at = now()
     where user_id = ${userId} and mode = 'paper' and status in ${db([...UNRESOLVED_INTENT_STATUSES])}
    returning 1`;
  return rows.length;
}
