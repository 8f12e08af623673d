// How the billing page words Stripe's facts for a person: dates in words (UTC, as Stripe bills), money in the
// invoice's currency, subscription and invoice statuses in plain language.
import type { PlanFeature, SubscriptionStatus } from '@polybot/schemas';

const LONG = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });
const SHORT = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

export function longDate(d: Date): string {
  return LONG.format(d);
}

/** For table cells: "Nov 25, 2026". */
export function shortDate(d: Date): string {
  return SHORT.format(d);
}

export function money(minorUnits: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(
    minorUnits / 100,
  );
}

export function usd(amount: number): string {
  return `$${amount.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
}

/** Keyed by the shared enum: a status added to @polybot/schemas does not compile until it has words here. */
const SUBSCRIPTION_STATUS: Record<SubscriptionStatus, string> = {
  active: 'Active',
  trialing: 'Trial',
  past_due: 'Payment failed — Stripe is retrying your card; your plan stays active meanwhile',
  unpaid: 'Unpaid — your bot is stopped until the open invoice is paid',
  canceled: 'Cancelled',
  incomplete: 'Waiting for the first payment',
  incomplete_expired: 'First payment never completed',
  paused: 'Paused',
};

export function subscriptionStatus(status: SubscriptionStatus, tier: string): string {
  // A free user has never had (or no longer has) a subscription: "canceled" would read like a problem.
  if (tier === 'free') return 'No subscription — free forever';
  return SUBSCRIPTION_STATUS[status] ?? status;
}

const INVOICE_STATUS: Record<string, string> = {
  paid: 'Paid',
  open: 'Due',
  void: 'Void',
  uncollectible: 'Uncollectible',
  draft: 'Draft',
};

export function invoiceStatus(status: string): string {
  return INVOICE_STATUS[status] ?? status;
}

export const FEATURE_LABELS: Record<PlanFeature, string> = {
  single_platform: 'Single-platform arbitrage',
  news_arbitrage: 'News signals',
  cross_platform: 'Cross-platform arbitrage',
  overlapping_arb: 'Overlapping-market arbitrage',
  copy_trading: 'Copy trading',
};
