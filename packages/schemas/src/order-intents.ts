// Durable order intents (issue 13): every order is written down BEFORE it leaves the runner, so an order whose answer
// was lost (a crash between send and book, a timeout) is found again, asked about at the venue and booked once, and
// never sent a second time blindly. The table is polybot_order_intents (migration 20261206000200_order_intents.sql);
// its CHECK lists are the enums here (supabase/tests/enums.test.ts).
import { z } from 'zod';
import { OrderSideSchema, OrderTypeSchema, TradeStrategySchema, TradingModeSchema, VenueIdSchema } from './market.ts';

/**
 * pending    written, about to be sent; whether it reached the venue is not known yet.
 * sent       the venue acknowledged it; its booking has not happened yet.
 * booked     its trade row is written (polybot_trades, same client order id): resolved.
 * not_sent   it never reached the venue (the venue does not know it): resolved, nothing to book.
 * unknown    the venue could not be asked (unreachable, failing): still unresolved, its instrument stays blocked.
 * cancelled  it was resting at the venue, was cancelled by reconciliation, and nothing of it filled: resolved.
 * abandoned  a paper intent left by a runner that died: paper fills lived only in that process, nothing to book.
 */
export const OrderIntentStatusSchema = z.enum([
  'pending',
  'sent',
  'booked',
  'not_sent',
  'unknown',
  'cancelled',
  'abandoned',
]);
export type OrderIntentStatus = z.infer<typeof OrderIntentStatusSchema>;

/** The statuses whose order may still be at the venue: reconciled on runner start and periodically, never re-sent. */
export const UNRESOLVED_INTENT_STATUSES = [
  'pending',
  'sent',
  'unknown',
] as const satisfies readonly OrderIntentStatus[];

/** How an unresolved intent may be resolved without a booking (a booking resolves it as `booked`). */
export const IntentResolutionSchema = z.enum(['not_sent', 'unknown', 'cancelled', 'abandoned']);
export type IntentResolution = z.infer<typeof IntentResolutionSchema>;

/** One order as written down before it leaves (what a booking needs to be made from it later, by a new runner). */
export const OrderIntentSchema = z.object({
  clientOrderId: z.string().min(8).max(64),
  venue: VenueIdSchema,
  /** Polymarket: the signed order's hash (known before sending); Kalshi: null (its key is the client order id). */
  venueOrderId: z.string().max(200).nullable(),
  instrumentId: z.string().min(1).max(200),
  marketId: z.string().min(1).max(200),
  outcome: z.string().max(200).nullable(),
  side: OrderSideSchema,
  size: z.number().positive(),
  limitPrice: z.number().gt(0).lt(1),
  orderType: OrderTypeSchema,
  /** The opportunity id, which is also the leg group id of its trades. */
  legGroupId: z.string().min(1).max(200),
  strategy: TradeStrategySchema,
  mode: TradingModeSchema,
});
export type OrderIntent = z.infer<typeof OrderIntentSchema>;

/** A stored intent, as the service reads it back. */
export const OrderIntentRowSchema = OrderIntentSchema.extend({
  status: OrderIntentStatusSchema,
  error: z.string().nullable(),
  createdAt: z.date(),
});
export type OrderIntentRow = z.infer<typeof OrderIntentRowSchema>;
