// The Stripe emulator driven by the real `stripe` SDK (unmodified), over real HTTP.
import { createServer, type Server } from 'node:http';
import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseForm } from './form.ts';
import { startStripeEmulator, type StripeEmulator } from './server.ts';

let emu: StripeEmulator;
let stripe: Stripe;

beforeEach(async () => {
  emu = await startStripeEmulator({ webhookRetryBaseMs: 20 });
  stripe = new Stripe(emu.secretKey, { host: emu.host, port: emu.port, protocol: 'http', maxNetworkRetries: 0 });
});
afterEach(async () => {
  await emu.close();
});

async function monthlyPrice(name: string, cents: number): Promise<Stripe.Price> {
  const product = await stripe.products.create({ name });
  return stripe.prices.create({
    product: product.id,
    unit_amount: cents,
    currency: 'usd',
    recurring: { interval: 'month' },
  });
}

async function post(url: string, form: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
}

async function paidSubscription(card = '4242 4242 4242 4242') {
  const price = await monthlyPrice('Pro', 9900);
  const customer = await stripe.customers.create({ email: 'a@example.test', metadata: { user_id: 'u1' } });
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    customer: customer.id,
    client_reference_id: 'u1',
    line_items: [{ price: price.id, quantity: 1 }],
    subscription_data: { metadata: { user_id: 'u1' } },
    success_url: 'http://app.test/billing?session_id={CHECKOUT_SESSION_ID}',
    cancel_url: 'http://app.test/billing?canceled=1',
  });
  if (!session.url) throw new Error('session without url');
  const res = await post(session.url, { card });
  return { price, customer, session, res };
}

describe('form encoding', () => {
  test('bracketed keys decode to nested objects and arrays', () => {
    expect(
      parseForm(
        'line_items[0][price]=price_1&line_items[0][quantity]=1&line_items[1][price]=price_2&metadata[user_id]=u&mode=subscription',
      ),
    ).toEqual({
      line_items: [{ price: 'price_1', quantity: '1' }, { price: 'price_2' }],
      metadata: { user_id: 'u' },
      mode: 'subscription',
    });
  });
});

describe('API through the SDK', () => {
  test('wrong API key → StripeAuthenticationError', async () => {
    const bad = new Stripe('sk_test_wrong', { host: emu.host, port: emu.port, protocol: 'http', maxNetworkRetries: 0 });
    await expect(bad.customers.create({})).rejects.toMatchObject({
      type: 'StripeAuthenticationError',
      statusCode: 401,
    });
  });

  test('unknown ids and missing params come back as Stripe errors', async () => {
    await expect(stripe.customers.retrieve('cus_nope')).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 404,
      code: 'resource_missing',
      message: "No such customer: 'cus_nope'",
    });
    const price = await monthlyPrice('Basic', 2900);
    await expect(
      stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: price.id, quantity: 1 }] }),
    ).rejects.toMatchObject({ type: 'StripeInvalidRequestError', param: 'success_url', code: 'parameter_missing' });
    await expect(
      stripe.checkout.sessions.create({
        mode: 'subscription',
        customer: 'cus_nope',
        success_url: 'http://x',
        line_items: [{ price: price.id }],
      }),
    ).rejects.toMatchObject({ param: 'customer', code: 'resource_missing' });
  });

  test('a checkout session carries price, customer and reference; line items list the price', async () => {
    const price = await monthlyPrice('Pro', 9900);
    const customer = await stripe.customers.create({ email: 'b@example.test' });
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      client_reference_id: 'user-1',
      metadata: { user_id: 'user-1' },
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'http://app.test/ok',
      cancel_url: 'http://app.test/no',
    });
    expect(session).toMatchObject({
      object: 'checkout.session',
      mode: 'subscription',
      status: 'open',
      customer: customer.id,
      client_reference_id: 'user-1',
    });
    expect(session.url).toMatch(new RegExp(`^${emu.url}/c/pay/cs_test_`));
    const items = await stripe.checkout.sessions.listLineItems(session.id);
    expect(items.data.map((i) => [i.price?.id, i.quantity])).toEqual([[price.id, 1]]);
    expect((await stripe.checkout.sessions.retrieve(session.id)).id).toBe(session.id);
  });

  test('lists are newest first and page with starting_after (the SDK auto-paginates through them)', async () => {
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await stripe.customers.create({ email: `page${i}@example.test` })).id);
    const first = await stripe.customers.list({ limit: 2 });
    expect(first.data.map((c) => c.id)).toEqual([made[4], made[3]]);
    expect(first.has_more).toBe(true);
    const all: string[] = [];
    for await (const c of stripe.customers.list({ limit: 2 })) all.push(c.id);
    expect(all).toEqual([...made].reverse());
    await expect(stripe.customers.list({ starting_after: 'cus_nope' })).rejects.toMatchObject({
      statusCode: 400,
      param: 'starting_after',
    });
  });

  test('idempotency keys replay the first response', async () => {
    const a = await stripe.customers.create({ email: 'x@example.test' }, { idempotencyKey: 'same-key' });
    const b = await stripe.customers.create({ email: 'x@example.test' }, { idempotencyKey: 'same-key' });
    expect(b.id).toBe(a.id);
    expect((await stripe.customers.list({ email: 'x@example.test' })).data).toHaveLength(1);
  });
});

describe('hosted checkout', () => {
  test('the page offers the test cards and a way back', async () => {
    const price = await monthlyPrice('Basic', 2900);
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'http://app.test/ok',
      cancel_url: 'http://app.test/no',
    });
    const html = await (await fetch(session.url ?? '')).text();
    expect(html).toContain('4242 4242 4242 4242');
    expect(html).toContain('href="http://app.test/no"');
  });

  test('4242 pays: redirect to success, subscription active with a paid invoice', async () => {
    const { res, session, customer, price } = await paidSubscription();
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`http://app.test/billing?session_id=${session.id}`);
    const done = await stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid', customer: customer.id });
    const sub = await stripe.subscriptions.retrieve(String(done.subscription));
    expect(sub).toMatchObject({
      status: 'active',
      customer: customer.id,
      metadata: { user_id: 'u1' },
      cancel_at_period_end: false,
    });
    expect(sub.items.data[0]?.price.id).toBe(price.id);
    const invoices = await stripe.invoices.list({ customer: customer.id });
    expect(invoices.data.map((i) => [i.status, i.amount_paid, i.parent?.subscription_details?.subscription])).toEqual([
      ['paid', 9900, sub.id],
    ]);
  });

  test('4000 0000 0000 0002 is declined: session stays open, nothing is created', async () => {
    const { res, session, customer } = await paidSubscription('4000 0000 0000 0002');
    expect(res.status).toBe(402);
    expect(await res.text()).toContain('Your card was declined.');
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
    expect((await stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data).toHaveLength(0);
    expect((await stripe.invoices.list({ customer: customer.id })).data).toHaveLength(0);
  });
});

describe('portal and test clock', () => {
  test('cancel in the portal → paid until period end, then deleted when the clock passes it', async () => {
    const { session, customer } = await paidSubscription();
    const subId = String((await stripe.checkout.sessions.retrieve(session.id)).subscription);
    const portal = await stripe.billingPortal.sessions.create({
      customer: customer.id,
      return_url: 'http://app.test/billing',
    });
    expect((await fetch(portal.url)).status).toBe(200);
    const res = await post(portal.url, { subscription: subId, action: 'cancel' });
    expect(res.status).toBe(303);
    const canceling = await stripe.subscriptions.retrieve(subId);
    expect(canceling).toMatchObject({ status: 'active', cancel_at_period_end: true });

    await emu.advanceClock(20 * 86_400_000);
    expect((await stripe.subscriptions.retrieve(subId)).status).toBe('active');
    await emu.advanceClock(15 * 86_400_000);
    expect((await stripe.subscriptions.retrieve(subId)).status).toBe('canceled');
    expect(emu.store.events.map((e) => e.type)).toContain('customer.subscription.deleted');
  });

  test('renewals bill each elapsed period; a declining card makes the subscription past_due, then unpaid', async () => {
    const { session, customer } = await paidSubscription();
    const subId = String((await stripe.checkout.sessions.retrieve(session.id)).subscription);
    const end1 = (await stripe.subscriptions.retrieve(subId)).items.data[0]?.current_period_end ?? 0;
    await emu.advanceClock(62 * 86_400_000);
    const renewed = await stripe.subscriptions.retrieve(subId);
    expect(renewed.items.data[0]?.current_period_end).toBeGreaterThan(end1);
    expect(
      (await stripe.invoices.list({ customer: customer.id })).data.filter((i) => i.status === 'paid'),
    ).toHaveLength(3);

    emu.store.setCard(customer.id, '4000000000000002');
    await emu.advanceClock(31 * 86_400_000);
    expect((await stripe.subscriptions.retrieve(subId)).status).toBe('past_due');
    await emu.advanceClock(31 * 86_400_000);
    expect((await stripe.subscriptions.retrieve(subId)).status).toBe('unpaid');
  });

  test('a default payment method whose charges fail: renewal → past_due; invoices.pay with a good card → active again', async () => {
    const { session, customer } = await paidSubscription();
    const subId = String((await stripe.checkout.sessions.retrieve(session.id)).subscription);
    const failing = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customer.id });
    expect(failing).toMatchObject({
      object: 'payment_method',
      type: 'card',
      customer: customer.id,
      card: { last4: '0341' },
    });
    const updated = await stripe.customers.update(customer.id, {
      invoice_settings: { default_payment_method: failing.id },
    });
    expect(updated.invoice_settings?.default_payment_method).toBe(failing.id);

    await emu.advanceClock(32 * 86_400_000);
    const pastDue = await stripe.subscriptions.retrieve(subId);
    expect(pastDue.status).toBe('past_due');
    const open = String(pastDue.latest_invoice);
    expect((await stripe.invoices.retrieve(open)).status).toBe('open');
    // Retrying with the same failing card: declined (a card error), still open, still past_due.
    await expect(stripe.invoices.pay(open)).rejects.toMatchObject({
      type: 'StripeCardError',
      statusCode: 402,
      code: 'card_declined',
    });
    expect((await stripe.subscriptions.retrieve(subId)).status).toBe('past_due');

    const visa = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const paid = await stripe.invoices.pay(open, { payment_method: visa.id });
    expect(paid).toMatchObject({ status: 'paid', amount_remaining: 0 });
    expect((await stripe.subscriptions.retrieve(subId)).status).toBe('active');
    await expect(stripe.invoices.pay(open)).rejects.toMatchObject({ statusCode: 400, code: 'invoice_already_paid' });
    const types = emu.store.events.map((e) => e.type);
    expect(types.slice(-4)).toEqual([
      'invoice.payment_failed',
      'payment_method.attached',
      'customer.subscription.updated',
      'invoice.paid',
    ]);
    // The card that paid is charged at the next renewal.
    await emu.advanceClock(31 * 86_400_000);
    expect((await stripe.subscriptions.retrieve(subId)).status).toBe('active');

    const stranger = await stripe.customers.create({});
    const theirs = await stripe.paymentMethods.attach('pm_card_visa', { customer: stranger.id });
    await expect(
      stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: theirs.id } }),
    ).rejects.toMatchObject({ statusCode: 400 });
    await expect(stripe.paymentMethods.attach('pm_card_nonsense', { customer: customer.id })).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
  });

  test('an unpaid subscription is paid on the hosted invoice page: a declined card changes nothing, 4242 makes it active', async () => {
    const { session, customer } = await paidSubscription();
    const subId = String((await stripe.checkout.sessions.retrieve(session.id)).subscription);
    emu.store.setCard(customer.id, '4000000000000002');
    await emu.advanceClock(32 * 86_400_000);
    await emu.advanceClock(31 * 86_400_000);
    const unpaid = await stripe.subscriptions.retrieve(subId);
    expect(unpaid.status).toBe('unpaid');
    const invoice = await stripe.invoices.retrieve(String(unpaid.latest_invoice));
    const page = await (await fetch(invoice.hosted_invoice_url ?? '')).text();
    expect(page).toContain('id="pay-invoice"');

    const declined = await post(invoice.hosted_invoice_url ?? '', { card: '4000 0000 0000 0002' });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('Your card was declined.');
    expect((await stripe.subscriptions.retrieve(subId)).status).toBe('unpaid');

    const paid = await post(invoice.hosted_invoice_url ?? '', { card: '4242 4242 4242 4242' });
    expect(paid.status).toBe(303);
    expect((await stripe.invoices.retrieve(invoice.id)).status).toBe('paid');
    expect((await stripe.subscriptions.retrieve(subId)).status).toBe('active');
    expect(await (await fetch(invoice.hosted_invoice_url ?? '')).text()).not.toContain('id="pay-invoice"');
    expect((await post(invoice.hosted_invoice_url ?? '', { card: '4242 4242 4242 4242' })).status).toBe(409);
  });

  test('switch plan in the portal changes the subscription price', async () => {
    const { session, customer } = await paidSubscription();
    const basic = await monthlyPrice('Basic', 2900);
    const subId = String((await stripe.checkout.sessions.retrieve(session.id)).subscription);
    const portal = await stripe.billingPortal.sessions.create({ customer: customer.id });
    expect((await post(portal.url, { subscription: subId, action: 'switch', price: basic.id })).status).toBe(303);
    expect((await stripe.subscriptions.retrieve(subId)).items.data[0]?.price.id).toBe(basic.id);
  });
});

describe('webhook delivery', () => {
  let receiver: Server;
  let received: Stripe.Event[];
  let failFirst: number;

  beforeEach(async () => {
    received = [];
    failFirst = 0;
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          const event = stripe.webhooks.constructEvent(
            Buffer.concat(chunks).toString('utf8'),
            String(req.headers['stripe-signature']),
            emu.webhookSecret,
          );
          if (failFirst > 0) {
            failFirst -= 1;
            res.writeHead(503).end();
            return;
          }
          received.push(event);
          res.writeHead(200).end('{}');
        } catch {
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    emu.setWebhookUrl(`http://127.0.0.1:${address.port}/`);
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  test('events arrive signed (verified by the SDK) and in the order they happened', async () => {
    await paidSubscription();
    await emu.webhooksIdle();
    expect(received.map((e) => e.type)).toEqual([
      'customer.created',
      'customer.subscription.created',
      'invoice.created',
      'invoice.paid',
      'checkout.session.completed',
    ]);
    expect(emu.webhooks.attempts.every((a) => a.status === 200)).toBe(true);
  });

  test('a failing endpoint is retried with backoff until it accepts', async () => {
    failFirst = 2;
    await stripe.customers.create({ email: 'retry@example.test' });
    await emu.webhooksIdle();
    expect(received.map((e) => e.type)).toEqual(['customer.created']);
    expect(emu.webhooks.attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 503],
      [2, 503],
      [3, 200],
    ]);
  });

  test('retries are bounded', async () => {
    await emu.close();
    emu = await startStripeEmulator({
      webhookRetryBaseMs: 5,
      webhookMaxAttempts: 3,
      webhookUrl: 'http://127.0.0.1:1/',
    });
    stripe = new Stripe(emu.secretKey, { host: emu.host, port: emu.port, protocol: 'http', maxNetworkRetries: 0 });
    await stripe.customers.create({});
    await emu.webhooksIdle();
    expect(emu.webhooks.attempts.map((a) => a.status)).toEqual(['network-error', 'network-error', 'network-error']);
  });
});
