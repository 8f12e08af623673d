// The notification worker's queries (graphile-worker tasks in the bot-manager, run asManager): claim a delivery and
// record how it went, read a webhook's signing secret, flush a burst of trades into one notification, and the daily
// summaries (20261209000160). Granted to polybot_manager only. Every result is parsed with packages/schemas.
import {
  ChannelKindSchema,
  DailySummaryPayloadSchema,
  NotificationEventKindSchema,
  NotificationPayloadSchema,
  WEBHOOK_SECRET_PATTERN,
  type DailySummaryPayload,
} from '@polybot/schemas';
import type { TransactionSql } from 'postgres';
import { z } from 'zod';

/** graphile-worker task names and payloads (docs/NOTIFICATIONS.md "Queue"). */
export const NOTIFICATION_TASKS = {
  deliver: 'deliver_notification',
  flushTrades: 'flush_trade_notifications',
  dailySummaries: 'daily_summaries',
} as const;
export const DeliverNotificationJobSchema = z.object({ deliveryId: z.number().int().positive() });
export const FlushTradeNotificationsJobSchema = z.object({ userId: z.uuid() });

const ClaimedDeliverySchema = z.object({
  delivery_id: z.number().int(),
  /** Sent as webhook-id / Idempotency-Key: the same on every attempt. */
  idempotency_key: z.string(),
  /** This attempt's number (1 = first). */
  attempt: z.number().int().positive(),
  notification_id: z.number().int(),
  user_id: z.uuid(),
  kind: NotificationEventKindSchema,
  payload: NotificationPayloadSchema,
  created_at: z.string(),
  channel: z.object({ id: z.uuid(), kind: ChannelKindSchema, target: z.string(), label: z.string().nullable() }),
});
export type ClaimedDelivery = z.infer<typeof ClaimedDeliverySchema>;

/**
 * What to send for a delivery, counting this attempt; null when there is nothing to send (already sent or dead, or
 * its channel was removed or disabled: then it is marked skipped).
 */
export async function claimNotificationDelivery(
  tx: TransactionSql,
  deliveryId: number,
): Promise<ClaimedDelivery | null> {
  const [row] = await tx`select private.claim_notification_delivery(${deliveryId}) as d`;
  return row?.d == null ? null : ClaimedDeliverySchema.parse(row.d);
}

/** The delivery went out. False when it was no longer in flight (a duplicate run). */
export async function markNotificationSent(tx: TransactionSql, deliveryId: number): Promise<boolean> {
  const [row] = await tx`select private.mark_notification_sent(${deliveryId}) as ok`;
  return z.boolean().parse(row?.ok);
}

/** This attempt failed and another is queued. */
export async function markNotificationRetrying(
  tx: TransactionSql,
  deliveryId: number,
  error: string,
): Promise<boolean> {
  const [row] = await tx`select private.mark_notification_retrying(${deliveryId}, ${error}) as ok`;
  return z.boolean().parse(row?.ok);
}

/** Gave up: a dead letter (admin_notification_dead_letters). */
export async function markNotificationDead(tx: TransactionSql, deliveryId: number, error: string): Promise<boolean> {
  const [row] = await tx`select private.mark_notification_dead(${deliveryId}, ${error}) as ok`;
  return z.boolean().parse(row?.ok);
}

/** A webhook channel's Standard Webhooks signing secret (whsec_…), decrypted from Vault; null when it has none. */
export async function readWebhookSecret(tx: TransactionSql, channelId: string): Promise<string | null> {
  const [row] = await tx`select private.notification_webhook_secret(${channelId}) as secret`;
  return z
    .string()
    .regex(WEBHOOK_SECRET_PATTERN)
    .nullable()
    .parse(row?.secret ?? null);
}

/** The user's trades since the last flush as one trade_executed notification; its id, or null when none was due. */
export async function flushTradeNotifications(tx: TransactionSql, userId: string): Promise<number | null> {
  const [row] = await tx`select private.flush_trade_notifications(${userId}) as id`;
  return row?.id == null ? null : z.coerce.number().int().parse(row.id);
}

const DueSummarySchema = z.object({ user_id: z.uuid(), time_zone: z.string(), summary_date: z.string() });
export type DueSummary = z.infer<typeof DueSummarySchema>;

/** Whose daily summary is due in the hour containing `now` (their own time zone and hour), not yet sent. */
export async function listUsersDueDailySummary(tx: TransactionSql, now: Date): Promise<DueSummary[]> {
  const rows = await tx`
    select user_id, time_zone, summary_date::text as summary_date from private.users_due_daily_summary(${now})`;
  return rows.map((r) => DueSummarySchema.parse(r));
}

/** The summary of one local day of a user. */
export async function dailySummaryData(
  tx: TransactionSql,
  userId: string,
  date: string,
  timeZone: string,
): Promise<DailySummaryPayload> {
  const [row] = await tx`select private.daily_summary_data(${userId}, ${date}::date, ${timeZone}) as s`;
  return DailySummaryPayloadSchema.parse(row?.s);
}

/** The hourly daily_summaries task: emits every due summary once; how many. */
export async function sendDailySummaries(tx: TransactionSql, now: Date): Promise<number> {
  const [row] = await tx`select private.send_daily_summaries(${now}) as n`;
  return z.number().int().parse(row?.n);
}
