// The manager's side of opportunity_found (20261210000100): a runner met an opportunity; the database decides whether
// the user hears of it (notify_on_opportunity, once per opportunity key per 15 minutes, the hourly limit, quiet hours).
import type { TransactionSql } from 'postgres';
import { z } from 'zod';

export interface FoundOpportunity {
  userId: string;
  /** The strategy's deterministic opportunity id (one market, event or approved link). */
  key: string;
  strategy: string;
  description: string;
  expectedProfitUsd: number;
}

/** The notification's id, or null when none was emitted (turned off, or this key notified within 15 minutes). */
export async function emitOpportunityNotification(
  tx: TransactionSql,
  o: FoundOpportunity,
  now?: Date,
): Promise<number | null> {
  const [row] = now
    ? await tx`select private.emit_opportunity_notification(${o.userId}, ${o.key}, ${o.strategy}, ${o.description},
                                                            ${o.expectedProfitUsd}, ${now}) as id`
    : await tx`select private.emit_opportunity_notification(${o.userId}, ${o.key}, ${o.strategy}, ${o.description},
                                                            ${o.expectedProfitUsd}) as id`;
  return row?.id == null ? null : z.coerce.number().int().parse(row.id);
}
