// deno test: the delivery disorders through the function's PRODUCTION configuration — the handler built by
// config.ts from an environment, exactly as index.ts builds it, so every subscription and invoice event is applied by
// re-reading the subscription from "Stripe" (the emulator, started by supabase/tests/billing-webhook.test.ts).
// The events are the ones the emulator emitted for real lifecycles (Checkout on the hosted page, plan switch,
// cancel at period end, renewals on its test clock, a failing card, an invoice paid), signed and delivered here in
// the order each test chooses. After every sequence the profile must be what stripe.subscriptions.retrieve() says.
import type Stripe from 'stripe';
import { isHandledEventType } from '../_shared/billing/derive.ts';
import { tierForPrice, type PriceMap } from '../_shared/billing/prices.ts';
import { assertEquals } from './assert.ts';
import { apiBase, monthlyPrice, secretKey, stripe } from './emulator_support.ts';
import { webhookFromEnv, type Webhook } from './config.ts';
import {
  billingOf,
  createUser,
  dbUrl,
  eventCount,
  idOf,
  SECRET,
  signedRequest,
  testConnections,
} from './test_support.ts';

const { sql, superuser } = testConnections();
const DAY_MS = 86_400_000;

const prices: PriceMap = {
  basic: await monthlyPrice('Basic', 2900),
  pro: await monthlyPrice('Pro', 9900),
  enterprise: await monthlyPrice('Enterprise', 49900),
};
/** A price Stripe has but no STRIPE_PRICE_* names (e.g. a retired plan's). */
const legacyPrice = await monthlyPrice('Legacy', 1900);

/** The function's secrets as `supabase secrets set` would give them, plus STRIPE_API_BASE for the emulator. */
function functionEnv(over: Record<string, string> = {}): Record<string, string> {
  return {
    SUPABASE_DB_URL: dbUrl(),
    STRIPE_WEBHOOK_SECRET: SECRET,
    STRIPE_SECRET_KEY: secretKey,
    STRIPE_API_BASE: apiBase,
    STRIPE_PRICE_BASIC: prices.basic,
    STRIPE_PRICE_PRO: prices.pro,
    STRIPE_PRICE_ENTERPRISE: prices.enterprise ?? '',
    ...over,
  };
}
const webhook = webhookFromEnv(functionEnv());

async function deliver(event: Stripe.Event, to: Webhook = webhook): Promise<{ status: number; outcome?: string }> {
  const res = await to.handle(await signedRequest(event));
  const body = (await res.json()) as { outcome?: string };
  return { status: res.status, ...(body.outcome ? { outcome: body.outcome } : {}) };
}

/** A user whose Stripe customer is stored on the profile, as the app stores it before any Checkout. */
async function userWithCustomer(): Promise<{ userId: string; customer: Stripe.Customer }> {
  const userId = await createUser(superuser);
  const customer = await stripe.customers.create({ metadata: { user_id: userId } });
  await sql`update public.polybot_user_profiles set stripe_customer_id = ${customer.id} where id = ${userId}`;
  return { userId, customer };
}

/** A subscription created straight on `legacyPrice`, a retired price no STRIPE_PRICE_* maps. */
async function subscribeOnLegacyPrice(): Promise<{ userId: string; sub: Stripe.Subscription }> {
  const { userId, customer } = await userWithCustomer();
  const sub = await stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: legacyPrice }],
    metadata: { user_id: userId },
  });
  return { userId, sub };
}

/** A user who subscribed through Checkout the way the app does it: customer stored first, hosted page, test card. */
async function subscribe(tier: 'basic' | 'pro'): Promise<{ userId: string; customerId: string; subId: string }> {
  const { userId, customer } = await userWithCustomer();
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    customer: customer.id,
    client_reference_id: userId,
    metadata: { user_id: userId },
    line_items: [{ price: prices[tier], quantity: 1 }],
    subscription_data: { metadata: { user_id: userId } },
    success_url: 'http://app.test/billing?checkout=success',
    cancel_url: 'http://app.test/billing?checkout=cancelled',
  });
  const paid = await fetch(session.url ?? '', {
    method: 'POST',
    body: new URLSearchParams({ card: '4242424242424242' }),
    redirect: 'manual',
  });
  await paid.body?.cancel();
  assertEquals(paid.status, 303);
  const subId = String((await stripe.checkout.sessions.retrieve(session.id)).subscription);
  return { userId, customerId: customer.id, subId };
}

/** The handled events Stripe emitted about one subscription (its own, its invoices', its Checkout's), oldest first. */
async function eventsOf(subId: string): Promise<Stripe.Event[]> {
  const found: Stripe.Event[] = [];
  for await (const e of stripe.events.list({ limit: 100 })) {
    if (!isHandledEventType(e.type)) continue;
    const o = e.data.object as {
      id?: string;
      subscription?: string | null;
      parent?: { subscription_details?: { subscription?: string } | null } | null;
    };
    if (o.id === subId || o.subscription === subId || o.parent?.subscription_details?.subscription === subId)
      found.push(e);
  }
  return found.reverse();
}

function pick(events: Stripe.Event[], type: string, nth = 0): Stripe.Event {
  const found = events.filter((e) => e.type === type)[nth];
  if (!found) throw new Error(`no ${type} #${nth} among ${events.map((e) => e.type).join(', ')}`);
  return found;
}

async function advanceClock(ms: number): Promise<void> {
  const res = await fetch(`${apiBase}/_emulator/clock/advance`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secretKey}` },
    body: new URLSearchParams({ ms: String(ms) }),
  });
  await res.body?.cancel();
  assertEquals(res.status, 200);
}

/** Past the subscription's current period end on the emulator's clock (other tests may have moved it already). */
async function passPeriodEnd(subId: string): Promise<void> {
  const sub = await stripe.subscriptions.retrieve(subId);
  const end = Math.max(...sub.items.data.map((i) => i.current_period_end));
  const clock = (await (
    await fetch(`${apiBase}/_emulator/clock`, { headers: { authorization: `Bearer ${secretKey}` } })
  ).json()) as { now: number };
  await advanceClock((end - clock.now) * 1000 + DAY_MS);
}

const LIVE = new Set(['active', 'trialing', 'past_due', 'unpaid']);

/** The profile must say what Stripe says about the subscription now: status, tier by price, period end, customer. */
async function assertProfileIsStripe(userId: string, subId: string, message?: string): Promise<Stripe.Subscription> {
  const sub = await stripe.subscriptions.retrieve(subId);
  const live = LIVE.has(sub.status);
  const priceId = sub.items.data[0]?.price.id ?? '';
  const expected = {
    subscription_status: sub.status,
    subscription_tier: live ? (tierForPrice(prices, priceId) ?? `unmapped ${priceId}`) : 'free',
    subscription_expires_at: live
      ? new Date(Math.max(...sub.items.data.map((i) => i.current_period_end)) * 1000)
      : null,
    subscription_cancel_at_period_end: live && sub.cancel_at_period_end,
    stripe_customer_id: typeof sub.customer === 'string' ? sub.customer : sub.customer.id,
    stripe_subscription_id: sub.id,
  };
  const state = await billingOf(sql, userId);
  const actual = {
    subscription_status: state.subscription_status,
    subscription_tier: state.subscription_tier,
    subscription_expires_at: state.subscription_expires_at,
    subscription_cancel_at_period_end: state.subscription_cancel_at_period_end,
    stripe_customer_id: state.stripe_customer_id,
    stripe_subscription_id: state.stripe_subscription_id,
  };
  assertEquals(actual, expected, message);
  // And the limits the bot runs with are that tier's (copied by the profile trigger).
  const [plan] = await sql<
    { monthly_trade_limit: number }[]
  >`select monthly_trade_limit from public.polybot_plans where tier = ${expected.subscription_tier}`;
  assertEquals(state.monthly_trade_limit, plan?.monthly_trade_limit, message);
  return sub;
}

Deno.test('updated before created (Basic → Pro in the portal): Stripe’s current subscription', async () => {
  const { userId, subId } = await subscribe('basic');
  const sub = await stripe.subscriptions.retrieve(subId);
  await stripe.subscriptions.update(subId, { items: [{ id: sub.items.data[0]?.id ?? '', price: prices.pro }] });
  const events = await eventsOf(subId);
  const updated = pick(events, 'customer.subscription.updated');
  assertEquals((updated.data.object as Stripe.Subscription).items.data[0]?.price.id, prices.pro);

  // The update lands before anything else: the profile is Pro at once.
  assertEquals(await deliver(updated), { status: 200, outcome: 'applied' });
  await assertProfileIsStripe(userId, subId, 'after the update alone');
  // Then the older events — whose snapshots say Basic — arrive. None of them may take the plan back.
  for (const late of [
    pick(events, 'customer.subscription.created'),
    pick(events, 'invoice.paid'),
    pick(events, 'checkout.session.completed'),
  ]) {
    assertEquals((await deliver(late)).status, 200, late.type);
  }
  const final = await assertProfileIsStripe(userId, subId, 'after every event');
  assertEquals([final.status, final.items.data[0]?.price.id], ['active', prices.pro]);
});

Deno.test(
  'deleted before updated (cancel at period end, the clock passes it): canceled, free, and it stays so',
  async () => {
    const { userId, subId } = await subscribe('pro');
    assertEquals(await deliver(pick(await eventsOf(subId), 'customer.subscription.created')), {
      status: 200,
      outcome: 'applied',
    });
    await assertProfileIsStripe(userId, subId, 'subscribed');
    // Cancelled in the portal (at period end), then the period ends: an update and a deletion, delivered swapped.
    await stripe.subscriptions.update(subId, { cancel_at_period_end: true });
    await passPeriodEnd(subId);
    const events = await eventsOf(subId);
    assertEquals(
      events.map((e) => e.type).filter((t) => t.startsWith('customer.subscription.')),
      ['customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted'],
    );

    assertEquals(await deliver(pick(events, 'customer.subscription.deleted')), { status: 200, outcome: 'applied' });
    await assertProfileIsStripe(userId, subId, 'after the deletion');
    // The update (cancel_at_period_end, status active in its snapshot) arrives after the deletion.
    assertEquals(await deliver(pick(events, 'customer.subscription.updated')), { status: 200, outcome: 'ignored' });
    const final = await assertProfileIsStripe(userId, subId, 'after the late update');
    assertEquals(final.status, 'canceled');
  },
);

Deno.test(
  'payment_failed then paid, delivered as it happens: past_due keeps the plan (grace), then active',
  async () => {
    const { userId, customerId, subId } = await subscribe('basic');
    const failing = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customerId });
    await stripe.customers.update(customerId, { invoice_settings: { default_payment_method: failing.id } });
    assertEquals((await deliver(pick(await eventsOf(subId), 'customer.subscription.created'))).outcome, 'applied');

    await passPeriodEnd(subId);
    const pastDue = await stripe.subscriptions.retrieve(subId);
    assertEquals(pastDue.status, 'past_due');
    assertEquals(await deliver(pick(await eventsOf(subId), 'invoice.payment_failed')), {
      status: 200,
      outcome: 'applied',
    });
    await assertProfileIsStripe(userId, subId, 'in the grace period');
    assertEquals((await billingOf(sql, userId)).subscription_tier, 'basic');

    const visa = await stripe.paymentMethods.attach('pm_card_visa', { customer: customerId });
    await stripe.invoices.pay(String(pastDue.latest_invoice), { payment_method: visa.id });
    const events = await eventsOf(subId);
    // The renewal's invoice.paid is the second one (the first paid the Checkout).
    assertEquals(await deliver(pick(events, 'invoice.paid', 1)), { status: 200, outcome: 'applied' });
    const final = await assertProfileIsStripe(userId, subId, 'after the payment');
    assertEquals(final.status, 'active');
  },
);

Deno.test('payment_failed then paid, delivered in reverse: active, not past_due', async () => {
  const { userId, customerId, subId } = await subscribe('pro');
  const failing = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customerId });
  await stripe.customers.update(customerId, { invoice_settings: { default_payment_method: failing.id } });
  await passPeriodEnd(subId);
  const open = String((await stripe.subscriptions.retrieve(subId)).latest_invoice);
  const visa = await stripe.paymentMethods.attach('pm_card_visa', { customer: customerId });
  await stripe.invoices.pay(open, { payment_method: visa.id });
  const events = await eventsOf(subId);

  assertEquals((await deliver(pick(events, 'customer.subscription.created'))).status, 200);
  assertEquals((await deliver(pick(events, 'invoice.paid', 1))).status, 200);
  assertEquals((await deliver(pick(events, 'invoice.payment_failed'))).status, 200);
  // The subscription updates (past_due, then active) last, in reverse too.
  assertEquals((await deliver(pick(events, 'customer.subscription.updated', 1))).status, 200);
  assertEquals((await deliver(pick(events, 'customer.subscription.updated', 0))).status, 200);
  const final = await assertProfileIsStripe(userId, subId);
  assertEquals([final.status, final.items.data[0]?.price.id], ['active', prices.pro]);
});

Deno.test('one event three times, then another three times at once: each applied once', async () => {
  const { userId, subId } = await subscribe('pro');
  const events = await eventsOf(subId);
  const created = pick(events, 'customer.subscription.created');
  const outcomes = [await deliver(created), await deliver(created), await deliver(created)];
  assertEquals(outcomes, [
    { status: 200, outcome: 'applied' },
    { status: 200, outcome: 'duplicate' },
    { status: 200, outcome: 'duplicate' },
  ]);
  const paid = pick(events, 'invoice.paid');
  const concurrent = await Promise.all([deliver(paid), deliver(paid), deliver(paid)]);
  assertEquals(
    concurrent.map((r) => r.status),
    [200, 200, 200],
  );
  assertEquals(concurrent.filter((r) => r.outcome === 'applied').length, 1);
  assertEquals(await eventCount(sql, [idOf(created), idOf(paid)]), 2);
  await assertProfileIsStripe(userId, subId);
});

Deno.test(
  'a stale snapshot on a price no STRIPE_PRICE_* maps does not fail the event: the current (mapped) price decides',
  async () => {
    // A subscriber on a retired price who has since moved to Pro: the created event still carries the retired price.
    const { userId, sub } = await subscribeOnLegacyPrice();
    await stripe.subscriptions.update(sub.id, { items: [{ id: sub.items.data[0]?.id ?? '', price: prices.pro }] });
    const created = pick(await eventsOf(sub.id), 'customer.subscription.created');
    assertEquals((created.data.object as Stripe.Subscription).items.data[0]?.price.id, legacyPrice);

    assertEquals(await deliver(created), { status: 200, outcome: 'applied' });
    await assertProfileIsStripe(userId, sub.id);
    assertEquals((await billingOf(sql, userId)).subscription_tier, 'pro');
  },
);

Deno.test(
  'Stripe’s CURRENT price unmapped → 500 and nothing written on every retry; once configured, the retry applies',
  async () => {
    const { userId, sub } = await subscribeOnLegacyPrice();
    const created = pick(await eventsOf(sub.id), 'customer.subscription.created');
    for (let attempt = 0; attempt < 2; attempt++) {
      assertEquals((await deliver(created)).status, 500);
      assertEquals(await eventCount(sql, [idOf(created)]), 0);
      assertEquals((await billingOf(sql, userId)).stripe_subscription_id, null);
    }
    // The operator maps the price (here: to Enterprise) and redeploys; Stripe's next retry applies the event.
    const fixed = webhookFromEnv(functionEnv({ STRIPE_PRICE_ENTERPRISE: legacyPrice }));
    try {
      assertEquals(await deliver(created, fixed), { status: 200, outcome: 'applied' });
      const state = await billingOf(sql, userId);
      assertEquals(
        [state.subscription_tier, state.subscription_status, state.stripe_subscription_id],
        ['enterprise', 'active', sub.id],
      );
    } finally {
      await fixed.sql.end({ timeout: 5 });
    }
  },
);

Deno.test({
  name: 'close lifecycle test connections',
  fn: async () => {
    await Promise.all([webhook.sql.end({ timeout: 5 }), sql.end({ timeout: 5 }), superuser.end({ timeout: 5 })]);
  },
});
