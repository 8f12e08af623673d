// Pure part of event application: what a Stripe event says about a subscriber, before looking at the database.
// Kept free of I/O so the rules (which statuses keep a paid tier, where the period end lives) are in one place.
import { isLiveSubscription } from '@polybot/schemas';
import { tierForPrice, type PriceMap, type Tier } from './prices.ts';
import {
  CheckoutSessionSchema,
  InvoiceSchema,
  SubscriptionSchema,
  type StripeEventEnvelope,
  type StripeSubscription,
} from './stripe-objects.ts';

export const HANDLED_EVENT_TYPES = [
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_failed',
] as const;
export type HandledEventType = (typeof HANDLED_EVENT_TYPES)[number];

export function isHandledEventType(type: string): type is HandledEventType {
  return (HANDLED_EVENT_TYPES as readonly string[]).includes(type);
}

export class UnknownPriceError extends Error {
  constructor(priceId: string, subscriptionId: string) {
    super(`subscription ${subscriptionId} uses price ${priceId}, which no STRIPE_PRICE_* setting maps to a tier`);
    this.name = 'UnknownPriceError';
  }
}

/**
 * What an event is about, read from its payload before anything else happens: whose subscription, which one, and
 * (for subscription events) the payload's own snapshot. No price is mapped here: the snapshot may be stale, and the
 * tier is decided from the state that will be written (Stripe's current subscription when the webhook re-reads it).
 */
export type Notice =
  | {
      kind: 'subscription';
      customerId: string;
      userHint: string | undefined;
      subscriptionId: string;
      /** The subscription as the event carried it: written only when Stripe cannot be asked. */
      snapshot: StripeSubscription;
      deleted: boolean;
    }
  | {
      kind: 'checkout';
      customerId: string | undefined;
      userHint: string | undefined;
      subscriptionId: string | undefined;
    }
  | {
      kind: 'invoice';
      customerId: string;
      userHint: string | undefined;
      subscriptionId: string | undefined;
      paid: boolean;
    };

/** The subscriber's state to write, derived from one subscription object (its price mapped to a tier). */
export interface SubscriptionState {
  kind: 'subscription';
  customerId: string;
  subscriptionId: string;
  status: StripeSubscription['status'];
  tier: Tier;
  expiresAt: Date | null;
  cancelAtPeriodEnd: boolean;
}

/** What applying an event writes: a subscription's state, a customer link (checkout), or an invoice's transition. */
export type Change =
  SubscriptionState | { kind: 'checkout'; customerId: string | undefined } | { kind: 'invoice'; paid: boolean };

/**
 * What a subscription object (as Stripe returns it now, or an event's snapshot) means for the subscriber. Throws
 * UnknownPriceError for a paid status whose price no STRIPE_PRICE_* maps: a configuration error, retried by Stripe.
 */
export function subscriptionState(sub: StripeSubscription, prices: PriceMap, deleted = false): SubscriptionState {
  const status = deleted ? 'canceled' : sub.status;
  // A live subscription (LIVE_SUBSCRIPTION_STATUSES: unpaid included) keeps its paid tier; list_desired_bots decides
  // separately whether that tier may trade (unpaid may not).
  const paid = isLiveSubscription(status);
  let tier: Tier = 'free';
  if (paid) {
    const priceId =
      sub.items.data.map((i) => i.price.id).find((id) => tierForPrice(prices, id)) ?? sub.items.data[0]?.price.id ?? '';
    const found = tierForPrice(prices, priceId);
    if (!found) throw new UnknownPriceError(priceId, sub.id);
    tier = found;
  }
  // Since API 2025-03-31 the billing period lives on the items; the subscription's ends with the latest item.
  const periodEnd = Math.max(...sub.items.data.map((i) => i.current_period_end));
  return {
    kind: 'subscription',
    customerId: sub.customer,
    subscriptionId: sub.id,
    status,
    tier,
    expiresAt: paid ? new Date(periodEnd * 1000) : null,
    // The portal may cancel with cancel_at (a date) instead of the flag; both mean "ends, not renews".
    cancelAtPeriodEnd: paid && (sub.cancel_at_period_end || sub.cancel_at != null),
  };
}

/** Reads the event's payload (zod; a payload we cannot read throws) without deciding anything about prices. */
export function deriveNotice(event: StripeEventEnvelope & { type: HandledEventType }): Notice {
  const object = event.data.object;
  switch (event.type) {
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted': {
      const sub = SubscriptionSchema.parse(object);
      return {
        kind: 'subscription',
        customerId: sub.customer,
        userHint: sub.metadata.user_id,
        subscriptionId: sub.id,
        snapshot: sub,
        // A deletion is final whatever status the payload shows.
        deleted: event.type === 'customer.subscription.deleted',
      };
    }
    case 'checkout.session.completed': {
      const session = CheckoutSessionSchema.parse(object);
      return {
        kind: 'checkout',
        customerId: session.customer ?? undefined,
        userHint: session.client_reference_id ?? session.metadata.user_id,
        subscriptionId: session.subscription ?? undefined,
      };
    }
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const invoice = InvoiceSchema.parse(object);
      const details = invoice.parent?.subscription_details;
      return {
        kind: 'invoice',
        customerId: invoice.customer,
        userHint: details?.metadata.user_id,
        subscriptionId: details?.subscription,
        paid: event.type === 'invoice.paid',
      };
    }
  }
}
