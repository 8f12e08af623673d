// Helpers for the stripe-webhook Deno tests: users created as GoTrue creates them, signed Stripe deliveries, and
// Stripe-shaped event payloads (API 2026-10-28: period end on subscription items, invoice.parent).
import Stripe from 'stripe';
import postgres from 'postgres';
import { createWebhookHandler } from './handler.ts';
import type { PriceMap } from '../_shared/billing/prices.ts';

export const SECRET = 'whsec_deno_test_secret';
export const PRICES: PriceMap = {
  basic: 'price_test_basic',
  pro: 'price_test_pro',
  enterprise: 'price_test_enterprise',
};

function env(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} must be set (the vitest driver supabase/tests/billing-webhook.test.ts sets it)`);
  return value;
}

export const dbUrl = (): string => env('SUPABASE_DB_URL');
export const superuserUrl = (): string => env('POLYBOT_TEST_SUPERUSER_URL');

export function connect(url: string): postgres.Sql {
  return postgres(url, { max: 4, onnotice: () => {} });
}

/** What every test file opens: `sql` as postgres (the function's own connection), `superuser` to create users. */
export function testConnections(): { sql: postgres.Sql; superuser: postgres.Sql } {
  return { sql: connect(dbUrl()), superuser: connect(superuserUrl()) };
}

/** The handler with the re-read off (payload only): for tests of what holds before any Stripe call. */
export function handlerFor(sql: postgres.Sql): (req: Request) => Promise<Response> {
  return createWebhookHandler({ sql, webhookSecret: SECRET, prices: PRICES, log: () => {} });
}

export async function createUser(superuser: postgres.Sql): Promise<string> {
  const id = crypto.randomUUID();
  await superuser.begin(async (tx) => {
    await tx`set local role supabase_auth_admin`;
    await tx`
      insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, created_at, updated_at)
      values ('00000000-0000-0000-0000-000000000000', ${id}, 'authenticated', 'authenticated', ${`${id}@deno.test`},
              'x', now(), now(), now())`;
  });
  return id;
}

const stripe = new Stripe('sk_test_unused');
const crypto_ = Stripe.createSubtleCryptoProvider();

/** A delivery exactly as Stripe sends it: JSON body, Stripe-Signature over it with the endpoint secret. */
export async function signedRequest(event: object, secret = SECRET): Promise<Request> {
  const payload = JSON.stringify(event);
  const header = await stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, cryptoProvider: crypto_ });
  return new Request('http://localhost/stripe-webhook', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
    body: payload,
  });
}

let seq = 0;
export function eventId(): string {
  seq += 1;
  return `evt_test_${Date.now().toString(36)}_${seq}`;
}

export const T0 = 1_790_000_000; // a fixed Stripe `created` (seconds); tests offset from it to order events

export interface SubState {
  id: string;
  customer: string;
  userId: string;
  status: string;
  price: string;
  periodEnd: number;
  cancelAtPeriodEnd?: boolean;
}

export function subscriptionEvent(type: 'created' | 'updated' | 'deleted', created: number, s: SubState): object {
  return {
    id: eventId(),
    object: 'event',
    api_version: '2026-10-28.endive',
    type: `customer.subscription.${type}`,
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: {
      object: {
        id: s.id,
        object: 'subscription',
        customer: s.customer,
        status: s.status,
        cancel_at_period_end: s.cancelAtPeriodEnd ?? false,
        cancel_at: null,
        metadata: { user_id: s.userId },
        items: {
          object: 'list',
          data: [
            {
              id: `si_${s.id}`,
              object: 'subscription_item',
              price: { id: s.price, object: 'price' },
              current_period_end: s.periodEnd,
            },
          ],
        },
      },
    },
  };
}

export function invoiceEvent(type: 'paid' | 'payment_failed', created: number, s: SubState): object {
  return {
    id: eventId(),
    object: 'event',
    type: `invoice.${type}`,
    created,
    livemode: false,
    data: {
      object: {
        id: `in_${eventId()}`,
        object: 'invoice',
        customer: s.customer,
        status: type === 'paid' ? 'paid' : 'open',
        parent: {
          type: 'subscription_details',
          subscription_details: { subscription: s.id, metadata: { user_id: s.userId } },
        },
      },
    },
  };
}

export interface ProfileBilling {
  subscription_tier: string;
  subscription_status: string;
  subscription_expires_at: Date | null;
  subscription_cancel_at_period_end: boolean;
  stripe_customer_id: string | null;
  stripe_subscription_id: string | null;
  monthly_trade_limit: number;
}

export async function billingOf(sql: postgres.Sql, userId: string): Promise<ProfileBilling> {
  const [row] = await sql<ProfileBilling[]>`
    select subscription_tier, subscription_status, subscription_expires_at, subscription_cancel_at_period_end,
           stripe_customer_id, stripe_subscription_id, monthly_trade_limit
      from public.polybot_user_profiles where id = ${userId}`;
  if (!row) throw new Error(`no profile ${userId}`);
  return row;
}

export async function eventCount(sql: postgres.Sql, ids: string[]): Promise<number> {
  const [row] = await sql<
    { n: number }[]
  >`select count(*)::int as n from public.polybot_stripe_events where id = any(${ids})`;
  return row?.n ?? 0;
}

export function idOf(event: object): string {
  const id: unknown = (event as { id?: unknown }).id;
  if (typeof id !== 'string') throw new Error('event without id');
  return id;
}
