// Billing end to end with real parts: the real `stripe` SDK against the Stripe emulator, the hosted Checkout and
// Portal pages over HTTP, webhooks signed by the emulator and verified by the real edge function (Deno), and the
// state checked in a real migrated Postgres — including the limits the DB trigger copies from the plan.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createCheckoutSession, createPortalSession } from './checkout.ts';
import { BillingError } from './errors.ts';
import { listPayments } from './payments.ts';
import { listPlans } from './plans.ts';
import { startBillingStack, type BillingStack, type ProfileBillingColumns } from '../testing/stack.ts';

let stack: BillingStack;
const DAY = 86_400_000;

beforeAll(async () => {
  stack = await startBillingStack();
});
afterAll(async () => {
  await stack?.stop();
});

interface Billing extends ProfileBillingColumns {
  live_trading_allowed: boolean;
}

async function billingOf(userId: string): Promise<Billing> {
  const [row] = await stack.db.sql<Billing[]>`
    select subscription_tier, subscription_status, subscription_expires_at, subscription_cancel_at_period_end,
           stripe_customer_id, stripe_subscription_id, monthly_trade_limit, live_trading_allowed
      from public.polybot_user_profiles where id = ${userId}`;
  if (!row) throw new Error('no profile');
  return row;
}

async function pay(url: string, card: string): Promise<Response> {
  return fetch(url, { method: 'POST', body: new URLSearchParams({ card }), redirect: 'manual' });
}

function checkout(userId: string, tier: 'basic' | 'pro' = 'pro') {
  return createCheckoutSession(stack.deps, {
    userId,
    tier,
    successUrl: 'http://app.test/billing?session={CHECKOUT_SESSION_ID}',
    cancelUrl: 'http://app.test/billing?canceled=1',
  });
}

test('plans come from polybot_plans with the configured Stripe prices', async () => {
  const plans = await listPlans(stack.db.sql, stack.prices);
  expect(plans.map((p) => [p.tier, p.stripe_price_id, p.purchasable])).toEqual([
    ['free', null, false],
    ['basic', stack.prices.basic, true],
    ['pro', stack.prices.pro, true],
    ['enterprise', stack.prices.enterprise, true],
  ]);
  expect(plans.find((p) => p.tier === 'pro')?.monthly_trade_limit).toBe(10000);
});

test('checkout session: right price, one reused customer stored on the profile, user id as reference', async () => {
  const userId = await stack.createUser();
  const first = await checkout(userId);
  const second = await checkout(userId, 'basic');
  expect(second.customerId).toBe(first.customerId);
  expect((await billingOf(userId)).stripe_customer_id).toBe(first.customerId);

  const session = await stack.stripe.checkout.sessions.retrieve(first.id);
  expect(session).toMatchObject({
    mode: 'subscription',
    status: 'open',
    customer: first.customerId,
    client_reference_id: userId,
    success_url: 'http://app.test/billing?session={CHECKOUT_SESSION_ID}',
    cancel_url: 'http://app.test/billing?canceled=1',
  });
  // Exactly our metadata: the user (the webhook's fallback when the customer is unknown) and the tier bought.
  expect(session.metadata).toEqual({ user_id: userId, tier: 'pro' });
  expect((await stack.stripe.checkout.sessions.retrieve(second.id)).metadata).toEqual({
    user_id: userId,
    tier: 'basic',
  });
  const items = await stack.stripe.checkout.sessions.listLineItems(first.id);
  expect(items.data.map((i) => i.price?.id)).toEqual([stack.prices.pro]);
  expect(await stack.stripe.customers.retrieve(first.customerId)).toMatchObject({ metadata: { user_id: userId } });
  await expect(
    createCheckoutSession(stack.deps, { userId, tier: 'free', successUrl: 'http://x', cancelUrl: 'http://x' }),
  ).rejects.toBeInstanceOf(BillingError);
});

test('checkout → webhook → pro with its limits (NOTIFY sent) → cancel in portal → paid until period end → free', async () => {
  const userId = await stack.createUser();
  const notified: string[] = [];
  const listener = await stack.db.sql.listen('polybot_user_changed', (payload) => {
    const parsed: unknown = JSON.parse(payload);
    if (typeof parsed === 'object' && parsed !== null && 'user_id' in parsed && parsed.user_id === userId)
      notified.push(payload);
  });
  try {
    const session = await checkout(userId);
    const res = await pay(session.url, '4242 4242 4242 4242');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`http://app.test/billing?session=${session.id}`);
    await stack.emulator.webhooksIdle();

    const upgraded = await billingOf(userId);
    const sub = await stack.stripe.subscriptions.retrieve(upgraded.stripe_subscription_id ?? '');
    const periodEnd = (sub.items.data[0]?.current_period_end ?? 0) * 1000;
    expect(upgraded).toMatchObject({
      subscription_tier: 'pro',
      subscription_status: 'active',
      subscription_cancel_at_period_end: false,
      stripe_customer_id: session.customerId,
      monthly_trade_limit: 10000,
      live_trading_allowed: true,
    });
    expect(upgraded.subscription_expires_at?.getTime()).toBe(periodEnd);
    // subscription_data.metadata reached the subscription Checkout created (its events carry the user id).
    expect(sub.metadata).toEqual({ user_id: userId });
    expect(stack.emulator.webhooks.attempts.every((a) => a.status === 200)).toBe(true);
    // The bot-manager learns of the upgrade through the profile trigger's NOTIFY.
    await expect.poll(() => notified.length, { timeout: 15_000 }).toBeGreaterThan(0);

    await expect(checkout(userId)).rejects.toMatchObject({ code: 'already_subscribed' });
    const portal = await createPortalSession(stack.deps, { userId, returnUrl: 'http://app.test/billing' });
    const cancel = await fetch(portal.url, {
      method: 'POST',
      body: new URLSearchParams({ subscription: sub.id, action: 'cancel' }),
      redirect: 'manual',
    });
    expect(cancel.status).toBe(303);
    await stack.emulator.webhooksIdle();
    expect(await billingOf(userId)).toMatchObject({
      subscription_tier: 'pro',
      subscription_status: 'active',
      subscription_cancel_at_period_end: true,
    });

    // Still paid inside the period...
    // Emulator time, not the wall clock: earlier tests in this file may have advanced it.
    await stack.emulator.advanceClock(periodEnd - stack.emulator.store.now() * 1000 - DAY);
    await stack.emulator.webhooksIdle();
    expect((await billingOf(userId)).subscription_tier).toBe('pro');
    // ...and free once the test clock passes its end.
    await stack.emulator.advanceClock(2 * DAY);
    await stack.emulator.webhooksIdle();
    expect(await billingOf(userId)).toMatchObject({
      subscription_tier: 'free',
      subscription_status: 'canceled',
      subscription_expires_at: null,
      monthly_trade_limit: 100,
      live_trading_allowed: false,
    });

    const payments = await listPayments(stack.deps, userId);
    expect(payments.map((p) => [p.status, p.amountPaid, p.currency])).toEqual([['paid', 9900, 'usd']]);
  } finally {
    await listener.unlisten();
  }
});

test('a declined card leaves the user on free', async () => {
  const userId = await stack.createUser();
  const session = await checkout(userId);
  const res = await pay(session.url, '4000 0000 0000 0002');
  expect(res.status).toBe(402);
  expect(await res.text()).toContain('Your card was declined.');
  await stack.emulator.webhooksIdle();
  expect(await billingOf(userId)).toMatchObject({
    subscription_tier: 'free',
    stripe_subscription_id: null,
    monthly_trade_limit: 100,
  });
  expect(await listPayments(stack.deps, userId)).toEqual([]);
});

test('a failed renewal keeps the plan (past_due grace), a second one stops the bot (unpaid)', async () => {
  const userId = await stack.createUser();
  const session = await checkout(userId, 'basic');
  expect((await pay(session.url, '4242424242424242')).status).toBe(303);
  await stack.emulator.webhooksIdle();
  expect((await billingOf(userId)).subscription_tier).toBe('basic');

  stack.emulator.store.setCard(session.customerId, '4000000000000002');
  await stack.emulator.advanceClock(32 * DAY);
  await stack.emulator.webhooksIdle();
  expect(await billingOf(userId)).toMatchObject({ subscription_tier: 'basic', subscription_status: 'past_due' });
  await stack.emulator.advanceClock(32 * DAY);
  await stack.emulator.webhooksIdle();
  expect(await billingOf(userId)).toMatchObject({ subscription_tier: 'basic', subscription_status: 'unpaid' });
});
