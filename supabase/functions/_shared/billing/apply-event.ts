// The one function that turns a verified Stripe event into PolyBot state. Used by the stripe-webhook edge function
// (Deno) and by @polybot/billing (Node); it imports only `postgres` types, zod, @polybot/schemas and sibling files so
// both runtimes resolve it (Deno through the function's deno.json import map, Node through node_modules).
//
// Guarantees:
//  * Idempotent: the event id is inserted into polybot_stripe_events in the SAME transaction as the profile change.
//    A redelivery finds the id and changes nothing; a failure rolls both back, so Stripe's retry starts clean.
//  * Order-independent: each profile remembers the Stripe `created` time of the newest event applied to its
//    subscription state (stripe_event_at). An older event is recorded and ignored. A deleted subscription stays
//    deleted: later-delivered events about it are ignored.
//  * Converges on Stripe: with `retrieveSubscription` (the webhook always passes it), subscription and invoice
//    events apply the subscription as Stripe returns it now, not the payload's snapshot — so two events in the same
//    second (Stripe's `created` has one-second resolution) end on Stripe's latest state in either delivery order.
//    The read happens after the profile row is locked: reads for one user are serialized with their writes, so the
//    last write is the latest read. A failed read throws (the webhook answers 500; Stripe retries).
//  * Decides on what it writes: the payload is only parsed for ids up front; the tier (the price mapped through
//    STRIPE_PRICE_*) is derived from the state actually written, so a stale snapshot's retired price never fails
//    an event whose current subscription is on a configured price.
//  * Runs as the service connection (postgres / service_role). The profile guard refuses these columns to users.
import { isLiveSubscription } from '@polybot/schemas';
import type { Sql, TransactionSql } from 'postgres';
import { deriveNotice, isHandledEventType, subscriptionState, type Change, type Notice } from './derive.ts';
import type { PriceMap } from './prices.ts';
import { EventSchema, SubscriptionSchema } from './stripe-objects.ts';

export type ApplyOutcome =
  | { outcome: 'applied'; eventId: string; userId: string }
  | { outcome: 'duplicate'; eventId: string }
  | { outcome: 'ignored'; eventId: string; reason: string; userId?: string };

interface ProfileRow {
  id: string;
  stripe_customer_id: string | null;
  stripe_subscription_id: string | null;
  subscription_status: string;
  stripe_event_at: Date | null;
}

/** Stripe's current subscription object (stripe.subscriptions.retrieve), or null when Stripe has no such subscription. */
export type RetrieveSubscription = (id: string) => Promise<unknown>;

export interface ApplyOptions {
  prices: PriceMap;
  retrieveSubscription?: RetrieveSubscription;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function applyStripeEvent(sql: Sql, rawEvent: unknown, options: ApplyOptions): Promise<ApplyOutcome> {
  const event = EventSchema.parse(rawEvent);
  const { type } = event;
  if (!isHandledEventType(type)) return { outcome: 'ignored', eventId: event.id, reason: `unhandled type ${type}` };
  // Parse before opening a transaction: a payload we cannot read changes nothing.
  const notice = deriveNotice({ ...event, type });
  const eventAt = new Date(event.created * 1000);

  return sql.begin(async (tx): Promise<ApplyOutcome> => {
    const inserted = await tx`
      insert into public.polybot_stripe_events (id, type, stripe_created_at, livemode)
      values (${event.id}, ${type}, ${eventAt}, ${event.livemode})
      on conflict (id) do nothing
      returning id`;
    if (inserted.length === 0) return { outcome: 'duplicate', eventId: event.id };

    const profile = await lockProfile(tx, notice.customerId, notice.userHint);
    if (!profile) return { outcome: 'ignored', eventId: event.id, reason: 'no PolyBot user for this customer' };
    await tx`update public.polybot_stripe_events set user_id = ${profile.id} where id = ${event.id}`;
    if (notice.customerId && profile.stripe_customer_id && profile.stripe_customer_id !== notice.customerId) {
      return {
        outcome: 'ignored',
        eventId: event.id,
        userId: profile.id,
        reason: 'event names a different customer than the profile',
      };
    }

    const stale = staleReason(profile, notice, eventAt);
    if (stale) return { outcome: 'ignored', eventId: event.id, userId: profile.id, reason: stale };
    const change = await changeToWrite(notice, options);
    const elsewhere = endsAnotherSubscription(profile, change);
    if (elsewhere) return { outcome: 'ignored', eventId: event.id, userId: profile.id, reason: elsewhere };
    await writeChange(tx, profile, change, eventAt);
    return { outcome: 'applied', eventId: event.id, userId: profile.id };
  });
}

/** The profile the event is about, locked so concurrent events for one user apply one after the other. */
async function lockProfile(
  tx: TransactionSql,
  customerId: string | undefined,
  userHint: string | undefined,
): Promise<ProfileRow | undefined> {
  const columns = tx`id, stripe_customer_id, stripe_subscription_id, subscription_status, stripe_event_at`;
  if (customerId) {
    const [row] = await tx<
      ProfileRow[]
    >`select ${columns} from public.polybot_user_profiles where stripe_customer_id = ${customerId} for update`;
    if (row) return row;
  }
  // The customer is stored before checkout starts, but metadata (set by us when creating the session) covers
  // a customer created elsewhere, e.g. by an admin in the Stripe dashboard.
  if (userHint && UUID.test(userHint)) {
    const [row] = await tx<
      ProfileRow[]
    >`select ${columns} from public.polybot_user_profiles where id = ${userHint} for update`;
    if (row) return row;
  }
  return undefined;
}

function staleReason(profile: ProfileRow, notice: Notice, eventAt: Date): string | undefined {
  if (notice.kind === 'checkout') return undefined; // links the customer only; carries no subscription state
  const sameSubscription =
    notice.subscriptionId !== undefined && notice.subscriptionId === profile.stripe_subscription_id;
  if (sameSubscription && profile.subscription_status === 'canceled') return 'subscription already deleted';
  if (profile.stripe_event_at && eventAt < profile.stripe_event_at) return 'older than the state already applied';
  if (notice.kind === 'invoice' && !sameSubscription) return 'invoice for a subscription that is not the current one';
  return undefined;
}

/**
 * What to write: Stripe's subscription as it is now when we can ask, else what the event carried. The tier is
 * mapped here, from that state only — never from a snapshot that is not going to be written.
 */
async function changeToWrite(notice: Notice, options: ApplyOptions): Promise<Change> {
  if (notice.kind === 'checkout') return { kind: 'checkout', customerId: notice.customerId };
  const raw =
    options.retrieveSubscription && notice.subscriptionId
      ? await options.retrieveSubscription(notice.subscriptionId)
      : null;
  // Without a re-read, or when Stripe no longer knows the subscription (e.g. test data deleted), the event's own
  // state is all there is.
  if (raw !== null) return subscriptionState(SubscriptionSchema.parse(raw), options.prices);
  if (notice.kind === 'subscription') return subscriptionState(notice.snapshot, options.prices, notice.deleted);
  return { kind: 'invoice', paid: notice.paid };
}

/** An old subscription ending must not end the one the user has now. */
function endsAnotherSubscription(profile: ProfileRow, change: Change): string | undefined {
  if (change.kind !== 'subscription' || change.subscriptionId === profile.stripe_subscription_id) return undefined;
  if (
    profile.stripe_subscription_id &&
    isLiveSubscription(profile.subscription_status) &&
    !isLiveSubscription(change.status)
  ) {
    return 'ended subscription is not the current one';
  }
  return undefined;
}

async function writeChange(tx: TransactionSql, profile: ProfileRow, change: Change, eventAt: Date): Promise<void> {
  switch (change.kind) {
    case 'checkout':
      await tx`
        update public.polybot_user_profiles
           set stripe_customer_id = coalesce(stripe_customer_id, ${change.customerId ?? null})
         where id = ${profile.id}`;
      return;
    case 'subscription':
      // Tier last: the _100_apply_plan_limits trigger copies the tier's limits when it changes.
      await tx`
        update public.polybot_user_profiles
           set stripe_customer_id = ${change.customerId},
               stripe_subscription_id = ${change.subscriptionId},
               subscription_status = ${change.status},
               subscription_expires_at = ${change.expiresAt},
               subscription_cancel_at_period_end = ${change.cancelAtPeriodEnd},
               stripe_event_at = ${eventAt},
               subscription_tier = ${change.tier}
         where id = ${profile.id}`;
      return;
    case 'invoice': {
      // A failed renewal starts the grace period (past_due); a paid invoice ends it. Only these transitions:
      // an invoice never resurrects a canceled subscription or changes the tier.
      const from = change.paid ? ['past_due', 'unpaid'] : ['active', 'trialing'];
      const to = change.paid ? 'active' : 'past_due';
      await tx`
        update public.polybot_user_profiles
           set subscription_status = case when subscription_status = any(${from}) then ${to} else subscription_status end,
               stripe_event_at = ${eventAt}
         where id = ${profile.id}`;
      return;
    }
  }
}
