// Stripe objects as the emulator stores and returns them (API version 2026-10-28: a subscription's billing period
// lives on its items; an invoice names its subscription under parent.subscription_details). Only the fields the
// SDK's callers here read, plus the identifying ones every Stripe object has.
import { randomBytes } from 'node:crypto';

export const API_VERSION = '2026-10-28.endive';

export function newId(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return `${prefix}_${[...randomBytes(24)].map((b) => alphabet[b % alphabet.length]).join('')}`;
}

export type Metadata = Record<string, string>;

export interface Customer {
  id: string;
  object: 'customer';
  created: number;
  livemode: false;
  email: string | null;
  name: string | null;
  metadata: Metadata;
  /** Optional only for state persisted before the emulator modelled it. */
  invoice_settings?: { default_payment_method: string | null };
}

/** A card attached to a customer (from one of Stripe's test tokens, e.g. pm_card_visa). */
export interface PaymentMethod {
  id: string;
  object: 'payment_method';
  created: number;
  livemode: false;
  type: 'card';
  customer: string | null;
  card: { brand: string; last4: string; exp_month: number; exp_year: number };
  metadata: Metadata;
}

export interface Product {
  id: string;
  object: 'product';
  created: number;
  livemode: false;
  active: boolean;
  name: string;
  metadata: Metadata;
}

export interface Price {
  id: string;
  object: 'price';
  created: number;
  livemode: false;
  active: boolean;
  product: string;
  currency: string;
  unit_amount: number;
  type: 'recurring' | 'one_time';
  lookup_key: string | null;
  recurring: { interval: 'day' | 'week' | 'month' | 'year'; interval_count: number } | null;
  metadata: Metadata;
}

export interface CheckoutSession {
  id: string;
  object: 'checkout.session';
  created: number;
  livemode: false;
  expires_at: number;
  mode: 'subscription' | 'payment' | 'setup';
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid' | 'no_payment_required';
  url: string | null;
  success_url: string;
  cancel_url: string | null;
  customer: string | null;
  customer_email: string | null;
  client_reference_id: string | null;
  metadata: Metadata;
  subscription: string | null;
  /** Not part of the session object Stripe returns; served by /line_items. */
  _lineItems: { price: string; quantity: number }[];
  _subscriptionMetadata: Metadata;
}

export interface PortalSession {
  id: string;
  object: 'billing_portal.session';
  created: number;
  livemode: false;
  customer: string;
  return_url: string | null;
  url: string;
}

export interface SubscriptionItem {
  id: string;
  object: 'subscription_item';
  created: number;
  price: Price;
  quantity: number;
  current_period_start: number;
  current_period_end: number;
  subscription: string;
  metadata: Metadata;
}

export type SubscriptionStatus =
  'active' | 'trialing' | 'past_due' | 'unpaid' | 'canceled' | 'incomplete' | 'incomplete_expired' | 'paused';

export interface Subscription {
  id: string;
  object: 'subscription';
  created: number;
  livemode: false;
  customer: string;
  status: SubscriptionStatus;
  start_date: number;
  cancel_at_period_end: boolean;
  cancel_at: number | null;
  canceled_at: number | null;
  ended_at: number | null;
  latest_invoice: string | null;
  metadata: Metadata;
  test_clock: null;
  items: { object: 'list'; data: SubscriptionItem[]; has_more: false; url: string };
}

export interface Invoice {
  id: string;
  object: 'invoice';
  created: number;
  livemode: false;
  customer: string;
  number: string;
  status: 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';
  currency: string;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  total: number;
  subtotal: number;
  attempt_count: number;
  attempted: boolean;
  billing_reason: 'subscription_create' | 'subscription_cycle' | 'subscription_update';
  period_start: number;
  period_end: number;
  hosted_invoice_url: string;
  invoice_pdf: string | null;
  status_transitions: { finalized_at: number | null; paid_at: number | null };
  parent: { type: 'subscription_details'; subscription_details: { subscription: string; metadata: Metadata } };
  lines: { object: 'list'; has_more: false; url: string; data: InvoiceLine[] };
}

export interface InvoiceLine {
  id: string;
  object: 'line_item';
  amount: number;
  currency: string;
  description: string;
  quantity: number;
  period: { start: number; end: number };
  pricing: { type: 'price_details'; price_details: { price: string; product: string } };
}

export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  livemode: false;
  pending_webhooks: number;
  type: string;
  request: { id: null; idempotency_key: null };
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
}

export function listOf<T>(url: string, data: T[]): { object: 'list'; url: string; has_more: false; data: T[] } {
  return { object: 'list', url, has_more: false, data };
}

/** Calendar arithmetic as Stripe bills: monthly anniversaries, clamped to the month's last day. */
export function addInterval(fromSeconds: number, recurring: Price['recurring']): number {
  const d = new Date(fromSeconds * 1000);
  const n = recurring?.interval_count ?? 1;
  switch (recurring?.interval ?? 'month') {
    case 'day':
      return fromSeconds + n * 86_400;
    case 'week':
      return fromSeconds + n * 7 * 86_400;
    case 'year':
      d.setUTCFullYear(d.getUTCFullYear() + n);
      return Math.floor(d.getTime() / 1000);
    case 'month': {
      const day = d.getUTCDate();
      d.setUTCDate(1);
      d.setUTCMonth(d.getUTCMonth() + n);
      const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
      d.setUTCDate(Math.min(day, last));
      return Math.floor(d.getTime() / 1000);
    }
  }
}
