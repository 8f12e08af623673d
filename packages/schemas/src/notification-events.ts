// The notifications contract (issue 16): which events a user can be told about, the payload each message is rendered
// from, the channels it can go to and the states of one delivery. The SQL producers (supabase/migrations
// 202612090001xx) write these payloads into polybot_notifications; packages/notify renders them; the CHECK lists in
// SQL equal these enums (supabase/tests/enums.test.ts).
import { z } from 'zod';
import { OrderSideSchema, VenueIdSchema } from './market.ts';

export const NotificationEventKindSchema = z.enum([
  'trade_executed',
  'opportunity_found',
  'daily_summary',
  'bot_stopped',
  'bot_error',
  'key_invalid',
  'loss_limit_reached',
  'monthly_limit_reached',
  'payment_failed',
  'plan_ended',
  'suspended',
  'resumed',
]);
export type NotificationEventKind = z.infer<typeof NotificationEventKindSchema>;

/** The kinds a user may turn off (routes to no channel); every other kind is an alert that always goes somewhere. */
export const OPTIONAL_EVENT_KINDS = [
  'trade_executed',
  'opportunity_found',
  'daily_summary',
] as const satisfies readonly NotificationEventKind[];

/** Alerts: a user cannot turn them off, rate limits and quiet hours never hold them back. */
export const ALWAYS_ON_EVENT_KINDS = NotificationEventKindSchema.exclude([...OPTIONAL_EVENT_KINDS]).options;
export type AlwaysOnEventKind = (typeof ALWAYS_ON_EVENT_KINDS)[number];

export function isAlwaysOnEventKind(kind: NotificationEventKind): kind is AlwaysOnEventKind {
  return (ALWAYS_ON_EVENT_KINDS as readonly string[]).includes(kind);
}

export const ChannelKindSchema = z.enum(['email', 'webhook', 'slack', 'discord', 'telegram']);
export type ChannelKind = z.infer<typeof ChannelKindSchema>;

/**
 * One delivery (a notification to one channel): pending (queued), sent, retrying (failed, another attempt queued),
 * dead (gave up: the dead letters admins see), skipped (the channel went away or was disabled before it was sent).
 */
export const DeliveryStatusSchema = z.enum(['pending', 'sent', 'retrying', 'dead', 'skipped']);
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

/** Most trades listed in one trade_executed message; `count` says how many there were in all. */
export const NOTIFICATION_MAX_TRADES = 20;
/** Limits shared with the SQL CHECKs (polybot_notifications.payload is bounded in bytes by the same number). */
export const NOTIFICATION_REASON_MAX = 500;
export const NOTIFICATION_CODE_MAX = 64;
export const NOTIFICATION_PAYLOAD_MAX_BYTES = 16_000;

const isoTimestamp = z.iso.datetime({ offset: true });

/** One trade as a message lists it. */
export const NotifiedTradeSchema = z.strictObject({
  venue: VenueIdSchema,
  /** The market's question; the market id when the venue gave no title. */
  market_title: z.string().min(1).max(300),
  side: OrderSideSchema,
  /** Contracts filled. */
  size: z.number().nonnegative(),
  /** Average fill price, dollars per contract (the limit price when nothing filled yet). */
  price: z.number().positive().lt(1),
  mode: z.enum(['paper', 'live']),
  at: isoTimestamp,
});
export type NotifiedTrade = z.infer<typeof NotifiedTradeSchema>;

/** What every alert carries: the reason in words for the user and the machine code behind it. */
const alertFields = {
  reason: z.string().min(1).max(NOTIFICATION_REASON_MAX),
  code: z.string().min(1).max(NOTIFICATION_CODE_MAX),
};

export const TradeExecutedPayloadSchema = z.strictObject({
  kind: z.literal('trade_executed'),
  /** All the trades of the burst; `trades` lists at most NOTIFICATION_MAX_TRADES of them, newest first. */
  count: z.number().int().positive(),
  trades: z.array(NotifiedTradeSchema).min(1).max(NOTIFICATION_MAX_TRADES),
});
export type TradeExecutedPayload = z.infer<typeof TradeExecutedPayloadSchema>;

export const OpportunityFoundPayloadSchema = z.strictObject({
  kind: z.literal('opportunity_found'),
  strategy: z.string().min(1).max(40),
  description: z.string().min(1).max(500),
  expected_profit_usd: z.number(),
});

export const DailySummaryPayloadSchema = z.strictObject({
  kind: z.literal('daily_summary'),
  /** The user's local day summarized, YYYY-MM-DD. */
  date: z.iso.date(),
  /** IANA time zone the day is in (the user's setting). */
  time_zone: z.string().min(1).max(64),
  /** Realized P&L of the trades of that day, USD. */
  pnl_usd: z.number(),
  trades: z.number().int().nonnegative(),
  open_positions: z.number().int().nonnegative(),
  /** Monthly trade limit usage at the time of the summary. */
  trades_this_month: z.number().int().nonnegative(),
  monthly_trade_limit: z.number().int().nonnegative(),
});
export type DailySummaryPayload = z.infer<typeof DailySummaryPayloadSchema>;

const alert = <K extends NotificationEventKind>(kind: K) => z.strictObject({ kind: z.literal(kind), ...alertFields });

export const NotificationPayloadSchema = z.discriminatedUnion('kind', [
  TradeExecutedPayloadSchema,
  OpportunityFoundPayloadSchema,
  DailySummaryPayloadSchema,
  alert('bot_stopped'),
  alert('bot_error'),
  z.strictObject({
    kind: z.literal('key_invalid'),
    ...alertFields,
    venue: VenueIdSchema,
    mode: z.enum(['paper', 'live']),
  }),
  alert('loss_limit_reached'),
  alert('monthly_limit_reached'),
  alert('payment_failed'),
  alert('plan_ended'),
  alert('suspended'),
  alert('resumed'),
]);
export type NotificationPayload = z.infer<typeof NotificationPayloadSchema>;
/** The payload of one kind. */
export type NotificationPayloadOf<K extends NotificationEventKind> = Extract<NotificationPayload, { kind: K }>;
