// A user's notification channels and settings as the settings page edits them and the database stores them
// (supabase/migrations 20261209000120–130 check the same formats and limits; supabase/tests/notification-channels
// .test.ts holds them equal).
import { z } from 'zod';
import { ChannelKindSchema, NotificationEventKindSchema } from './notification-events.ts';

/** Channels per user (add_notification_channel and link_telegram_chat refuse the 11th). */
export const NOTIFICATION_CHANNELS_MAX = 10;
export const NOTIFICATION_LABEL_MAX = 60;
export const NOTIFICATION_EMAIL_MAX = 254;
export const NOTIFICATION_URL_MAX = 2000;
/** trade_executed + opportunity_found notifications sent per user per hour; beyond: kept, not sent (rate_limited). */
export const NOTIFICATION_HOURLY_LIMIT = 30;
/**
 * Messages the web sends for a user outside the queue, per user: confirmation emails of new addresses and "Send test"
 * messages (private.limit_user_sends, 20261211000100, refuses one more within the window).
 */
export const NOTIFICATION_SEND_LIMITS = {
  confirmation: { max: 5, windowMinutes: 60 },
  test: { max: 10, windowMinutes: 10 },
} as const;
export type NotificationSendKind = keyof typeof NOTIFICATION_SEND_LIMITS;

/** A Standard Webhooks signing secret as rotate_webhook_secret returns it: whsec_ + base64 of 24 random bytes. */
export const WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{32}$/;

export const NotificationEmailTargetSchema = z
  .string()
  .max(NOTIFICATION_EMAIL_MAX)
  .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/);
export const NotificationUrlTargetSchema = z
  .string()
  .max(NOTIFICATION_URL_MAX)
  .regex(/^https:\/\/[^\s/?#]+\S*$/);
export const TelegramChatIdSchema = z.string().regex(/^-?[0-9]{1,20}$/);

/** The target each kind takes. */
export function channelTargetSchema(kind: z.infer<typeof ChannelKindSchema>): z.ZodString {
  switch (kind) {
    case 'email':
      return NotificationEmailTargetSchema;
    case 'telegram':
      return TelegramChatIdSchema;
    default:
      return NotificationUrlTargetSchema;
  }
}

/** What a user types to add a channel (telegram is linked from the bot instead). */
export const NotificationChannelInputSchema = z
  .strictObject({
    kind: ChannelKindSchema.exclude(['telegram']),
    target: z.string().trim(),
    label: z.string().trim().min(1).max(NOTIFICATION_LABEL_MAX).nullable().default(null),
  })
  .superRefine((v, ctx) => {
    const target = v.kind === 'email' ? v.target.toLowerCase() : v.target;
    if (!channelTargetSchema(v.kind).safeParse(target).success) {
      ctx.addIssue({ code: 'custom', path: ['target'], message: `not a valid ${v.kind} target` });
    }
  });
export type NotificationChannelInput = z.input<typeof NotificationChannelInputSchema>;

/** A channel as its owner reads it (never the token hash or the Vault id). */
export const NotificationChannelRowSchema = z.object({
  id: z.uuid(),
  kind: ChannelKindSchema,
  target: z.string(),
  label: z.string().nullable(),
  enabled: z.boolean(),
  verified_at: z.date().nullable(),
  confirm_expires_at: z.date().nullable(),
  created_at: z.date(),
});
export type NotificationChannelRow = z.infer<typeof NotificationChannelRowSchema>;

const hour = z.number().int().min(0).max(23);

export const NotificationSettingsSchema = z
  .strictObject({
    /** IANA time zone (the database checks it against pg_timezone_names). */
    time_zone: z.string().min(1).max(64),
    summary_hour: hour,
    quiet_start: hour.nullable(),
    quiet_end: hour.nullable(),
    /** Event kind → channel ids; a kind absent goes to every verified enabled channel; [] turns an optional kind off. */
    routes: z.partialRecord(NotificationEventKindSchema, z.array(z.uuid()).max(NOTIFICATION_CHANNELS_MAX)),
  })
  .refine((s) => (s.quiet_start === null) === (s.quiet_end === null), 'quiet hours need a start and an end')
  .refine((s) => s.quiet_start === null || s.quiet_start !== s.quiet_end, 'quiet hours cannot start and end together');
export type NotificationSettings = z.infer<typeof NotificationSettingsSchema>;

/** What applies while a user has saved no settings. */
export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  time_zone: 'UTC',
  summary_hour: 8,
  quiet_start: null,
  quiet_end: null,
  routes: {},
};
