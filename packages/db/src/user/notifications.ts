// A signed-in user's notification channels, settings and history (withUser: RLS and the definer functions of
// 20261209000130 decide), and the two calls the web server makes for the Telegram bot as polybot_web
// (20261209000140). Every row is parsed with packages/schemas' notification contracts.
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  DeliveryStatusSchema,
  NotificationChannelInputSchema,
  NotificationChannelRowSchema,
  NotificationEventKindSchema,
  NotificationSettingsSchema,
  WEBHOOK_SECRET_PATTERN,
  ChannelKindSchema,
  type NotificationChannelInput,
  type NotificationChannelRow,
  type NotificationSettings,
} from '@polybot/schemas';
import type { Sql, TransactionSql } from 'postgres';
import { z } from 'zod';
import type { UserTx } from '../with-user.ts';

const CHANNEL_COLUMNS = 'id, kind, target, label, enabled, verified_at, confirm_expires_at, created_at';

/** The user's channels, oldest first. */
export async function listOwnNotificationChannels(tx: UserTx): Promise<NotificationChannelRow[]> {
  const rows = await tx.unsafe(
    `select ${CHANNEL_COLUMNS} from public.polybot_notification_channels order by created_at`,
  );
  return rows.map((r) => NotificationChannelRowSchema.parse(r));
}

const AddedChannelSchema = z.strictObject({
  id: z.uuid(),
  /** Email: the token to mail to the address (confirmNotificationChannel); shown nowhere else, stored hashed. */
  confirm_token: z.string().optional(),
  /** Webhook: the signing secret, returned this once. */
  webhook_secret: z.string().regex(WEBHOOK_SECRET_PATTERN).optional(),
});
export type AddedChannel = z.infer<typeof AddedChannelSchema>;

export async function addNotificationChannel(tx: UserTx, input: NotificationChannelInput): Promise<AddedChannel> {
  const c = NotificationChannelInputSchema.parse(input);
  const [row] = await tx`select public.add_notification_channel(${c.kind}, ${c.target}, ${c.label}) as r`;
  return AddedChannelSchema.parse(row?.r);
}

/** Verifies the user's email channel the token was mailed for; returns its id (throws on an unknown/expired token). */
export async function confirmNotificationChannel(tx: UserTx, token: string): Promise<string> {
  const [row] = await tx`select public.confirm_notification_channel(${token}) as id`;
  return z.uuid().parse(row?.id);
}

/**
 * A fresh confirmation token for the user's own unverified email channel, to mail again (the old link stops working;
 * 20261211000200). Throws (22023) for a channel that is not theirs, not an email, or already verified.
 */
export async function renewEmailConfirmation(tx: UserTx, channelId: string): Promise<string> {
  const [row] = await tx`select public.renew_email_confirmation(${channelId}) as token`;
  return z.string().min(1).parse(row?.token);
}

export async function removeNotificationChannel(tx: UserTx, channelId: string): Promise<boolean> {
  const [row] = await tx`select public.remove_notification_channel(${channelId}) as ok`;
  return z.boolean().parse(row?.ok);
}

export async function setNotificationChannelEnabled(tx: UserTx, channelId: string, enabled: boolean): Promise<boolean> {
  const [row] = await tx`select public.set_notification_channel_enabled(${channelId}, ${enabled}) as ok`;
  return z.boolean().parse(row?.ok);
}

/** A new signing secret for the user's webhook channel, returned once (the old one stops working). */
export async function rotateWebhookSecret(tx: UserTx, channelId: string): Promise<string> {
  const [row] = await tx`select public.rotate_webhook_secret(${channelId}) as secret`;
  return z.string().regex(WEBHOOK_SECRET_PATTERN).parse(row?.secret);
}

/** A one-time token (15 minutes) the user sends the Telegram bot as `/start <token>`. */
export async function createTelegramLinkToken(tx: UserTx): Promise<string> {
  const [row] = await tx`select public.create_telegram_link_token() as token`;
  return z.string().min(32).parse(row?.token);
}

/** The user's settings, or the defaults while none are saved. */
export async function getOwnNotificationSettings(tx: UserTx): Promise<NotificationSettings> {
  const [row] = await tx`
    select time_zone, summary_hour, quiet_start, quiet_end, routes from public.polybot_notification_settings`;
  return row ? NotificationSettingsSchema.parse(row) : DEFAULT_NOTIFICATION_SETTINGS;
}

/** Saves the whole settings row; the database refuses unknown time zones, others' channels and silenced alerts. */
export async function updateNotificationSettings(
  tx: UserTx,
  settings: NotificationSettings,
): Promise<NotificationSettings> {
  const s = NotificationSettingsSchema.parse(settings);
  const [row] = await tx`
    select time_zone, summary_hour, quiet_start, quiet_end, routes
      from public.update_notification_settings(${s.time_zone}, ${s.summary_hour}, ${s.quiet_start}, ${s.quiet_end},
                                               ${tx.json(s.routes as never)})`;
  return NotificationSettingsSchema.parse(row);
}

const NotificationHistoryRowSchema = z.object({
  id: z.coerce.number().int(),
  kind: NotificationEventKindSchema,
  payload: z.record(z.string(), z.unknown()),
  created_at: z.date(),
  deliver_after: z.date().nullable(),
  suppressed: z.enum(['rate_limited', 'no_channel']).nullable(),
  deliveries: z.array(
    z.object({
      channel_id: z.uuid().nullable(),
      channel_kind: ChannelKindSchema,
      status: DeliveryStatusSchema,
      attempts: z.number().int(),
      last_error: z.string().nullable(),
      sent_at: z.string().nullable(),
    }),
  ),
});
export type NotificationHistoryRow = z.infer<typeof NotificationHistoryRowSchema>;

/** The user's latest notifications, newest first, each with how each delivery went. */
export async function listOwnNotifications(tx: UserTx, limit = 50): Promise<NotificationHistoryRow[]> {
  const rows = await tx`
    select n.id, n.kind, n.payload, n.created_at, n.deliver_after, n.suppressed,
           coalesce((select jsonb_agg(jsonb_build_object('channel_id', d.channel_id, 'channel_kind', d.channel_kind,
                                                         'status', d.status, 'attempts', d.attempts,
                                                         'last_error', d.last_error, 'sent_at', d.sent_at) order by d.id)
                       from public.polybot_notification_deliveries d where d.notification_id = n.id), '[]') as deliveries
      from public.polybot_notifications n
     order by n.id desc
     limit ${Math.min(Math.max(1, Math.trunc(limit)), 200)}`;
  return rows.map((r) => NotificationHistoryRowSchema.parse(r));
}

// ---------------------------------------------------------------------------------------------------------------------
// The web server for the Telegram bot, as polybot_web itself (not a signed-in user).
// ---------------------------------------------------------------------------------------------------------------------

/** Consumes a link token sent from a chat; the user now linked, or null for an unknown, used or expired token. */
export async function linkTelegramChat(
  sql: Sql | TransactionSql,
  link: { token: string; chatId: string; username: string | null },
): Promise<string | null> {
  const [row] =
    await sql`select private.link_telegram_chat(${link.token}, ${link.chatId}, ${link.username}) as user_id`;
  return z
    .uuid()
    .nullable()
    .parse(row?.user_id ?? null);
}

/** The user a Telegram chat is linked to, or null. */
export async function telegramUserForChat(sql: Sql | TransactionSql, chatId: string): Promise<string | null> {
  const [row] = await sql`select private.telegram_user_for_chat(${chatId}) as user_id`;
  return z
    .uuid()
    .nullable()
    .parse(row?.user_id ?? null);
}
