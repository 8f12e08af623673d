// deno test for the stripe-webhook handler against a real Postgres (SUPABASE_DB_URL), driven by
// supabase/tests/billing-webhook.test.ts, which starts a throwaway migrated database and runs this file.
// These run the handler WITHOUT the subscription re-read, on hand-written payloads: they isolate what must hold
// before any Stripe call — signature checks, idempotency, the order guards by event time, rollback on database
// failure. The same disorders through the production configuration (re-reading from Stripe, with the events Stripe
// emitted for real lifecycles) are in lifecycle_test.ts.
import { assertEquals, assertNotEquals } from './assert.ts';
import {
  billingOf,
  connect,
  createUser,
  eventCount,
  handlerFor,
  idOf,
  invoiceEvent,
  signedRequest,
  subscriptionEvent,
  type SubState,
  T0,
  testConnections,
} from './test_support.ts';

const { sql, superuser } = testConnections();
const handler = handlerFor(sql);

function sub(userId: string, over: Partial<SubState> = {}): SubState {
  const tag = userId.slice(0, 8);
  return {
    id: `sub_${tag}`,
    customer: `cus_${tag}`,
    userId,
    status: 'active',
    price: 'price_test_pro',
    periodEnd: T0 + 30 * 86400,
    ...over,
  };
}

async function deliver(event: object): Promise<{ status: number; outcome?: string }> {
  const res = await handler(await signedRequest(event));
  const body: unknown = await res.json();
  const outcome = (body as { outcome?: unknown }).outcome;
  return { status: res.status, ...(typeof outcome === 'string' ? { outcome } : {}) };
}

Deno.test('missing or bad signature → 400 and nothing written', async () => {
  const userId = await createUser(superuser);
  const event = subscriptionEvent('created', T0, sub(userId));
  const before = await billingOf(sql, userId);

  const unsigned = new Request('http://localhost/', { method: 'POST', body: JSON.stringify(event) });
  assertEquals((await handler(unsigned)).status, 400);
  const wrongSecret = await signedRequest(event, 'whsec_somebody_else');
  assertEquals((await handler(wrongSecret)).status, 400);
  // A valid signature over different bytes: the body was tampered with after signing.
  const good = await signedRequest(event);
  const tampered = new Request(good.url, {
    method: 'POST',
    headers: good.headers,
    body: JSON.stringify({ ...event, created: T0 + 1 }),
  });
  assertEquals((await handler(tampered)).status, 400);

  assertEquals(await eventCount(sql, [idOf(event)]), 0);
  assertEquals(await billingOf(sql, userId), before);
});

Deno.test('the same event delivered three times is applied once', async () => {
  const userId = await createUser(superuser);
  const event = subscriptionEvent('created', T0, sub(userId));
  const outcomes = [await deliver(event), await deliver(event), await deliver(event)];
  assertEquals(outcomes, [
    { status: 200, outcome: 'applied' },
    { status: 200, outcome: 'duplicate' },
    { status: 200, outcome: 'duplicate' },
  ]);
  assertEquals(await eventCount(sql, [idOf(event)]), 1);
  const state = await billingOf(sql, userId);
  assertEquals(
    [state.subscription_tier, state.subscription_status, state.monthly_trade_limit],
    ['pro', 'active', 10000],
  );
});

Deno.test('concurrent redeliveries of one event: exactly one applies', async () => {
  const userId = await createUser(superuser);
  const event = subscriptionEvent('created', T0, sub(userId, { price: 'price_test_basic' }));
  const results = await Promise.all([deliver(event), deliver(event), deliver(event)]);
  assertEquals(
    results.map((r) => r.status),
    [200, 200, 200],
  );
  assertEquals(results.filter((r) => r.outcome === 'applied').length, 1);
  assertEquals(await eventCount(sql, [idOf(event)]), 1);
  assertEquals((await billingOf(sql, userId)).subscription_tier, 'basic');
});

Deno.test('updated before created → the state of the newer update', async () => {
  const userId = await createUser(superuser);
  const s = sub(userId);
  const created = subscriptionEvent('created', T0, { ...s, price: 'price_test_basic' });
  const updated = subscriptionEvent('updated', T0 + 60, { ...s, cancelAtPeriodEnd: true });
  assertEquals((await deliver(updated)).outcome, 'applied');
  assertEquals((await deliver(created)).outcome, 'ignored');
  const state = await billingOf(sql, userId);
  assertEquals(state.subscription_tier, 'pro');
  assertEquals(state.subscription_cancel_at_period_end, true);
  assertEquals(state.subscription_expires_at?.getTime(), s.periodEnd * 1000);
  assertEquals(state.stripe_subscription_id, s.id);
  assertEquals(state.stripe_customer_id, s.customer);
});

Deno.test('deleted before updated → free, and the subscription stays deleted', async () => {
  const userId = await createUser(superuser);
  const s = sub(userId);
  await deliver(subscriptionEvent('created', T0, s));
  assertEquals((await billingOf(sql, userId)).subscription_tier, 'pro');
  const updated = subscriptionEvent('updated', T0 + 60, { ...s, cancelAtPeriodEnd: true });
  const deleted = subscriptionEvent('deleted', T0 + 120, { ...s, status: 'canceled' });
  assertEquals((await deliver(deleted)).outcome, 'applied');
  assertEquals((await deliver(updated)).outcome, 'ignored');
  const state = await billingOf(sql, userId);
  assertEquals(
    [state.subscription_tier, state.subscription_status, state.monthly_trade_limit],
    ['free', 'canceled', 100],
  );
  assertEquals(state.subscription_expires_at, null);
});

Deno.test('payment_failed then paid, in either delivery order → active', async () => {
  for (const order of ['in order', 'reversed'] as const) {
    const userId = await createUser(superuser);
    const s = sub(userId);
    await deliver(subscriptionEvent('created', T0, s));
    const failed = invoiceEvent('payment_failed', T0 + 60, s);
    const paid = invoiceEvent('paid', T0 + 120, s);
    if (order === 'in order') {
      await deliver(failed);
      assertEquals((await billingOf(sql, userId)).subscription_status, 'past_due', 'grace period keeps the tier');
      assertEquals((await billingOf(sql, userId)).subscription_tier, 'pro');
      await deliver(paid);
    } else {
      await deliver(paid);
      assertEquals((await deliver(failed)).outcome, 'ignored');
    }
    const state = await billingOf(sql, userId);
    assertEquals([state.subscription_tier, state.subscription_status], ['pro', 'active'], order);
  }
});

Deno.test('database unreachable → 500, nothing written; the retry succeeds', async () => {
  const userId = await createUser(superuser);
  const event = subscriptionEvent('created', T0, sub(userId));
  // A port nothing listens on: the connection fails before any statement.
  const dead = connect('postgres://postgres:x@127.0.0.1:1/postgres');
  const res = await handlerFor(dead)(await signedRequest(event));
  assertEquals(res.status, 500);
  await res.body?.cancel();
  await dead.end({ timeout: 1 });
  assertEquals(await eventCount(sql, [idOf(event)]), 0);
  assertEquals((await billingOf(sql, userId)).subscription_tier, 'free');
  assertEquals(await deliver(event), { status: 200, outcome: 'applied' });
  assertEquals((await billingOf(sql, userId)).subscription_tier, 'pro');
});

Deno.test(
  'database fails mid-transaction → 500, event id not recorded, profile untouched; the retry succeeds',
  async () => {
    const userId = await createUser(superuser);
    const event = subscriptionEvent('created', T0, sub(userId));
    // The failure strikes after the event id was inserted, while the profile is updated: exactly the partial state
    // the single transaction must prevent. 57P01 is what Postgres raises when the server shuts down under us.
    await superuser.unsafe(`
    create or replace function public.test_fail_profile_update() returns trigger language plpgsql as $$
    begin raise exception 'simulated outage' using errcode = '57P01'; end $$;
    create trigger _000_test_fail before update on public.polybot_user_profiles
      for each row when (new.id = '${userId}') execute function public.test_fail_profile_update();`);
    try {
      const res = await handler(await signedRequest(event));
      assertEquals(res.status, 500);
      await res.body?.cancel();
      assertEquals(await eventCount(sql, [idOf(event)]), 0);
      const state = await billingOf(sql, userId);
      assertEquals([state.subscription_tier, state.stripe_subscription_id], ['free', null]);
    } finally {
      await superuser.unsafe(
        `drop trigger _000_test_fail on public.polybot_user_profiles; drop function public.test_fail_profile_update();`,
      );
    }
    assertEquals(await deliver(event), { status: 200, outcome: 'applied' });
    const state = await billingOf(sql, userId);
    assertNotEquals(state.stripe_subscription_id, null);
    assertEquals(state.subscription_tier, 'pro');
  },
);

Deno.test('an old subscription ending late does not end the one the user has now', async () => {
  const userId = await createUser(superuser);
  const old = sub(userId, { id: `sub_old_${userId.slice(0, 8)}`, price: 'price_test_basic' });
  const current = sub(userId, { id: `sub_new_${userId.slice(0, 8)}` });
  await deliver(subscriptionEvent('created', T0, old));
  await deliver(subscriptionEvent('created', T0 + 60, current));
  assertEquals(
    (await deliver(subscriptionEvent('deleted', T0 + 120, { ...old, status: 'canceled' }))).outcome,
    'ignored',
  );
  const state = await billingOf(sql, userId);
  assertEquals(
    [state.subscription_tier, state.subscription_status, state.stripe_subscription_id],
    ['pro', 'active', current.id],
  );
});

Deno.test('unhandled event types are acknowledged without touching the database', async () => {
  const event = {
    id: 'evt_unhandled_1',
    object: 'event',
    type: 'customer.created',
    created: T0,
    livemode: false,
    data: { object: { id: 'cus_x', object: 'customer' } },
  };
  assertEquals(await deliver(event), { status: 200, outcome: 'ignored' });
  assertEquals(await eventCount(sql, [idOf(event)]), 0);
});

Deno.test('a price no STRIPE_PRICE_* maps → 500 and nothing recorded, so Stripe retries after the fix', async () => {
  const userId = await createUser(superuser);
  const event = subscriptionEvent('created', T0, sub(userId, { price: 'price_not_configured' }));
  assertEquals((await deliver(event)).status, 500);
  assertEquals(await eventCount(sql, [idOf(event)]), 0);
  assertEquals((await billingOf(sql, userId)).subscription_tier, 'free');
});

Deno.test('an event about a customer no user has is recorded and ignored', async () => {
  const event = subscriptionEvent('created', T0, {
    id: 'sub_stranger',
    customer: 'cus_nobody',
    userId: 'not-a-uuid',
    status: 'active',
    price: 'price_test_pro',
    periodEnd: T0 + 86400,
  });
  assertEquals(await deliver(event), { status: 200, outcome: 'ignored' });
  assertEquals(await eventCount(sql, [idOf(event)]), 1);
});

Deno.test({
  name: 'close connections',
  fn: async () => {
    await Promise.all([sql.end({ timeout: 5 }), superuser.end({ timeout: 5 })]);
  },
});
