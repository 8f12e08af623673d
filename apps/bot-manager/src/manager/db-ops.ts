// Runner database requests, executed by the manager on the runner's behalf and always for the runner's own user id
// (taken from the manager's bookkeeping, never from the message). Writes go through asManager: each transaction carries
// the manager's lease token, and the database refuses them unless that token owns the user's shard (issue 15).
import {
  asManager,
  applyFillToPosition,
  bookIntent,
  isLegGroupBooked,
  recordIntents,
  recordTrade,
  listLivePositions,
  recordVenueSettlement,
  releaseUserTrades,
  reserveUserTrades,
  resolveIntent,
} from '@polybot/db/service';
import type { Sql } from 'postgres';
import type { DbOp } from '../shared/ipc.ts';

/**
 * Reservations a runner holds and has not yet booked, per user and leg group. A release hands back at most what the
 * group reserved: a runner is untrusted input, and an unbounded release would lift its user's monthly limit.
 * Entries go when the group is booked or released; the cap bounds what a crashed runner can leave behind.
 */
const held = new Map<string, Map<string, number>>();
const MAX_HELD_GROUPS = 1000;

function holdings(userId: string): Map<string, number> {
  let m = held.get(userId);
  if (!m) held.set(userId, (m = new Map()));
  return m;
}

export async function runDbOp(
  sql: Sql,
  userId: string,
  op: DbOp,
  onBooked: (mode: 'paper' | 'live', n: number) => void,
): Promise<unknown> {
  switch (op.op) {
    case 'reserveTrades': {
      // A restarted runner re-meeting an opportunity it already booked must not spend a second reservation.
      if (await isLegGroupBooked(sql, userId, op.legGroupId)) return op.firstOnly ? 'booked' : true;
      const ok = await asManager(sql, (tx) => reserveUserTrades(tx, userId, op.count));
      if (ok) {
        const m = holdings(userId);
        m.set(op.legGroupId, (m.get(op.legGroupId) ?? 0) + op.count);
        if (m.size > MAX_HELD_GROUPS) m.delete(m.keys().next().value ?? '');
      }
      return ok;
    }
    case 'releaseTrades': {
      const m = holdings(userId);
      const n = Math.min(op.count, m.get(op.legGroupId) ?? 0);
      m.delete(op.legGroupId);
      return n > 0 ? asManager(sql, (tx) => releaseUserTrades(tx, userId, n)) : 0;
    }
    case 'recordExecution': {
      // One transaction for every leg: a stop or crash never leaves half of an execution booked.
      let inserted = 0;
      const duplicates = new Map<string, number>();
      await asManager(sql, async (tx) => {
        for (const t of op.trades) {
          const r = await recordTrade(tx, { userId, ...t });
          // The order's intent is resolved by this same commit (a duplicate booking resolves a leftover intent too).
          await bookIntent(tx, userId, t.clientOrderId, r.id);
          if (r.inserted) {
            inserted++;
            await applyFillToPosition(tx, userId, { ...t, tradeId: r.id });
          } else if (t.strategy !== 'unwind') {
            // Booked before (the same client order id): its reservation was already spent by the first booking.
            duplicates.set(t.legGroupId ?? '', (duplicates.get(t.legGroupId ?? '') ?? 0) + 1);
          }
        }
      });
      const m = holdings(userId);
      for (const [group, n] of duplicates) {
        const back = Math.min(n, m.get(group) ?? 0);
        if (back > 0) await asManager(sql, (tx) => releaseUserTrades(tx, userId, back));
      }
      for (const t of op.trades) m.delete(t.legGroupId ?? '');
      const mode = op.trades[0]?.mode ?? 'paper';
      if (inserted > 0) onBooked(mode, inserted);
      return inserted;
    }
    case 'recordVenueSettlement': {
      const { op: _op, ...venue } = op;
      return asManager(sql, (tx) => recordVenueSettlement(tx, userId, venue));
    }
    case 'livePositions':
      return listLivePositions(sql, userId);
    case 'recordIntents':
      return recordIntents(sql, userId, op.intents, op.newGroup ? { newGroup: true } : {});
    case 'resolveIntent': {
      const changed = await asManager(sql, (tx) => resolveIntent(tx, userId, op.clientOrderId, op.status, op.error));
      // An order that never reached the venue hands back its reservation (at most what its group still holds here).
      if (changed && op.status === 'not_sent') {
        const m = holdings(userId);
        const held = m.get(op.legGroupId) ?? 0;
        if (held > 0) {
          if (held > 1) m.set(op.legGroupId, held - 1);
          else m.delete(op.legGroupId);
          await asManager(sql, (tx) => releaseUserTrades(tx, userId, 1));
        }
      }
      return changed;
    }
  }
}
