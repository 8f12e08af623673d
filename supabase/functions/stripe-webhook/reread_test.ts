// deno test: the webhook applies Stripe's *current* subscription (re-read through the API), so events in the same
// second converge whatever their delivery order, and a Stripe it cannot reach is a retryable failure. "Stripe" is
// the local emulator (real HTTP, the real SDK), started by supabase/tests/billing-webhook.test.ts.
import type Stripe from 'stripe';
import { stripeReader } from '../_shared/billing/stripe-read.ts';
import type { PriceMap } from '../_shared/billing/prices.ts';
import { assertEquals } from './assert.ts';
import { apiBase, monthlyPrice, secretKey, stripe } from './emulator_support.ts';
import { createWebhookHandler } from './handler.ts';
import { billingOf, createUser, eventCount, idOf, SECRET, signedRequest, testConnections } from './test_support.ts';

const { sql, superuser } = testConnections();

const prices: PriceMap = {
  basic: await monthlyPrice('Basic', 2900),
  pro: await monthlyPrice('Pro', 9900),
  enterprise: await monthlyPrice('Enterprise', 49900),
};

function handler(readFrom: { secretKey: string; apiBase: string } | null): (req: Request) => Promise<Response> {
  return createWebhookHandler({
    sql,
    webhookSecret: SECRET,
    prices,
    log: () => {},
    ...(readFrom ? { retrieveSubscription: stripeReader(readFrom) } : {}),
  });
}
const rereading = handler({ secretKey, apiBase });

async function deliver(
  h: (req: Request) => Promise<Response>,
  event: object,
): Promise<{ status: number; outcome?: string }> {
  const res = await h(await signedRequest(event));
  const body = (await res.json()) as { outcome?: string };
  return { status: res.status, ...(body.outcome ? { outcome: body.outcome } : {}) };
}

/** A user with a Basic subscription in Stripe; returns the user, the subscription and the events Stripe emitted. */
async function subscriber(): Promise<{
  userId: string;
  sub: Stripe.Subscription;
  events: () => Promise<Stripe.Event[]>;
}> {
  const userId = await createUser(superuser);
  const customer = await stripe.customers.create({ metadata: { user_id: userId } });
  await sql`update public.polybot_user_profiles set stripe_customer_id = ${customer.id} where id = ${userId}`;
  const sub = await stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: prices.basic }],
    metadata: { user_id: userId },
  });
  const events = async () => {
    const all = await stripe.events.list({ limit: 100 });
    // Oldest first, only this subscription's.
    return all.data.filter((e) => (e.data.object as { id?: string }).id === sub.id).reverse();
  };
  return { userId, sub, events };
}

/** Both events stamped with the same second, as Stripe does when they happen within one. */
function sameSecond(a: Stripe.Event, b: Stripe.Event): [Stripe.Event, Stripe.Event] {
  const t = Math.max(a.created, b.created);
  return [
    { ...a, created: t },
    { ...b, created: t },
  ];
}

Deno.test(
  'two subscription events in the same second, delivered in reverse order → Stripe’s current state',
  async () => {
    for (const mode of ['re-read', 'payload only'] as const) {
      const { userId, sub, events } = await subscriber();
      // Basic → Pro, then cancel at period end: two customer.subscription.updated events.
      await stripe.subscriptions.update(sub.id, { items: [{ id: sub.items.data[0]?.id ?? '', price: prices.pro }] });
      await stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
      const [created, switched, cancelled] = await events();
      if (!created || !switched || !cancelled) throw new Error('expected created + two updated events');
      assertEquals(
        [created.type, switched.type, cancelled.type],
        ['customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.updated'],
      );
      const [first, second] = sameSecond(switched, cancelled);

      const h = mode === 're-read' ? rereading : handler(null);
      assertEquals((await deliver(h, created)).outcome, 'applied');
      // Reverse order: the cancellation arrives first, the plan switch (whose snapshot predates it) second.
      assertEquals((await deliver(h, second)).outcome, 'applied');
      assertEquals((await deliver(h, first)).outcome, 'applied');
      const state = await billingOf(sql, userId);
      const current = await stripe.subscriptions.retrieve(sub.id);
      assertEquals(current.cancel_at_period_end, true);
      if (mode === 're-read') {
        assertEquals(
          [
            state.subscription_tier,
            state.subscription_status,
            state.subscription_cancel_at_period_end,
            state.monthly_trade_limit,
          ],
          ['pro', 'active', true, 10000],
        );
        assertEquals(state.subscription_expires_at?.getTime(), (current.items.data[0]?.current_period_end ?? 0) * 1000);
      } else {
        // Without the re-read the last delivery's stale snapshot wins: the cancellation is lost. This is the
        // scenario's teeth — the assertions above would fail for the payload-only handler.
        assertEquals(state.subscription_cancel_at_period_end, false);
      }
    }
  },
);

Deno.test('an invoice event applies the subscription as Stripe has it now', async () => {
  const { userId, sub, events } = await subscriber();
  const [created] = await events();
  if (!created) throw new Error('no created event');
  assertEquals((await deliver(rereading, created)).outcome, 'applied');
  // The user switched to Pro in the same second the (Basic) invoice was paid; the invoice event arrives last.
  await stripe.subscriptions.update(sub.id, { items: [{ id: sub.items.data[0]?.id ?? '', price: prices.pro }] });
  const invoices = await stripe.invoices.list({
    customer: typeof sub.customer === 'string' ? sub.customer : sub.customer.id,
  });
  const invoice = invoices.data[0];
  if (!invoice) throw new Error('no invoice');
  const paid = {
    id: `evt_reread_paid_${crypto.randomUUID().slice(0, 8)}`,
    object: 'event',
    type: 'invoice.paid',
    created: created.created,
    livemode: false,
    data: { object: invoice },
  };
  assertEquals((await deliver(rereading, paid)).outcome, 'applied');
  assertEquals((await billingOf(sql, userId)).subscription_tier, 'pro');
});

Deno.test('Stripe unreachable → 500 and nothing written; the retry succeeds', async () => {
  const { userId, events } = await subscriber();
  const [created] = await events();
  if (!created) throw new Error('no created event');
  // A port nothing listens on: the re-read fails, the transaction rolls back (event id included).
  const res = await handler({ secretKey, apiBase: 'http://127.0.0.1:1' })(await signedRequest(created));
  assertEquals(res.status, 500);
  await res.body?.cancel();
  assertEquals(await eventCount(sql, [idOf(created)]), 0);
  const before = await billingOf(sql, userId);
  assertEquals([before.subscription_tier, before.stripe_subscription_id], ['free', null]);
  assertEquals(await deliver(rereading, created), { status: 200, outcome: 'applied' });
  const after = await billingOf(sql, userId);
  assertEquals(
    [after.subscription_tier, after.subscription_status, after.monthly_trade_limit],
    ['basic', 'active', 1000],
  );
});

Deno.test({
  name: 'close re-read test connections',
  fn: async () => {
    await Promise.all([sql.end({ timeout: 5 }), superuser.end({ timeout: 5 })]);
  },
});
