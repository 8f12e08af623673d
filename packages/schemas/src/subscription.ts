// Stripe subscription statuses as billing mirrors them onto polybot_user_profiles.subscription_status, and the two
// rules built on them. The Deno edge function (supabase/functions/_shared/billing) imports this file too, through its
// deno.json import map: keep it free of anything but zod and sibling files.
import { z } from 'zod';
import type { Tier } from './plans.ts';

/** Every status Stripe gives a subscription; supabase/tests/enums.test.ts checks it against the profile's CHECK. */
export const SUBSCRIPTION_STATUSES = [
  'active',
  'trialing',
  'past_due',
  'unpaid',
  'canceled',
  'incomplete',
  'incomplete_expired',
  'paused',
] as const;
export const SubscriptionStatusSchema = z.enum(SUBSCRIPTION_STATUSES);
export type SubscriptionStatus = z.infer<typeof SubscriptionStatusSchema>;

/**
 * Statuses under which a paid plan's bot may trade. past_due is the grace period: Stripe is retrying the card and the
 * bot keeps its plan. The SQL side is list_desired_bots (supabase/tests/enums.test.ts runs it for every status).
 */
export const TRADING_SUBSCRIPTION_STATUSES = [
  'active',
  'trialing',
  'past_due',
] as const satisfies readonly SubscriptionStatus[];

/**
 * Statuses of a live paid subscription: the ones that may trade, plus unpaid (Stripe gave up retrying, but the
 * subscription is not over: paying the open invoice resumes it). A live subscription keeps its paid tier on the
 * profile, a user who has one is sent to the portal instead of a second Checkout, and an old subscription ending does
 * not end a live one. Everything else (canceled, incomplete, incomplete_expired, paused) is the free tier.
 */
export const LIVE_SUBSCRIPTION_STATUSES = [
  ...TRADING_SUBSCRIPTION_STATUSES,
  'unpaid',
] as const satisfies readonly SubscriptionStatus[];

const trading: ReadonlySet<string> = new Set(TRADING_SUBSCRIPTION_STATUSES);
const live: ReadonlySet<string> = new Set(LIVE_SUBSCRIPTION_STATUSES);

/** The subscription is live (see LIVE_SUBSCRIPTION_STATUSES): it keeps its paid tier. */
export function isLiveSubscription(status: string): boolean {
  return live.has(status);
}

/** A paid plan in this status may trade (see TRADING_SUBSCRIPTION_STATUSES). */
export function isTradingSubscription(status: string): boolean {
  return trading.has(status);
}

/** The plan lets the bot run: the free tier always does (it has no subscription), a paid tier while it trades. */
export function planMayTrade(tier: Tier | (string & {}), status: string): boolean {
  return tier === 'free' || isTradingSubscription(status);
}
