// The emulator's state and the billing behaviour behind it: customers, prices, Checkout, subscriptions, invoices,
// a test clock, and the events Stripe would send. No HTTP here (server.ts); every state change emits its event.
import {
  API_VERSION,
  addInterval,
  newId,
  type CheckoutSession,
  type Customer,
  type Invoice,
  type PaymentMethod,
  type Price,
  type Product,
  type StripeEvent,
  type Subscription,
} from './objects.ts';
import { StripeApiError } from './form.ts';

/** Test cards, as in Stripe's docs. Anything else is an invalid number. */
export const TEST_CARDS = {
  succeeds: '4242424242424242',
  declines: '4000000000000002',
  /** Attaches to a customer, but every charge on it fails (Stripe's pm_card_chargeCustomerFail). */
  chargeFails: '4000000000000341',
} as const;

/** Stripe's test PaymentMethod tokens the emulator knows, and the card behind each. */
export const TEST_PAYMENT_METHODS: Readonly<Record<string, string>> = {
  pm_card_visa: TEST_CARDS.succeeds,
  pm_card_visa_chargeDeclined: TEST_CARDS.declines,
  pm_card_chargeCustomerFail: TEST_CARDS.chargeFails,
};

export interface StoreSnapshot {
  customers: Customer[];
  products: Product[];
  prices: Price[];
  sessions: CheckoutSession[];
  subscriptions: Subscription[];
  invoices: Invoice[];
  events: StripeEvent[];
  cards: [string, string][];
  clockOffsetMs: number;
  invoiceSeq: number;
  /** Absent in state persisted before payment methods were modelled. */
  paymentMethods?: { method: PaymentMethod; card: string }[];
}

export class StripeStore {
  readonly customers = new Map<string, Customer>();
  readonly products = new Map<string, Product>();
  readonly prices = new Map<string, Price>();
  readonly sessions = new Map<string, CheckoutSession>();
  readonly subscriptions = new Map<string, Subscription>();
  readonly invoices = new Map<string, Invoice>();
  readonly events: StripeEvent[] = [];
  readonly paymentMethods = new Map<string, PaymentMethod>();
  /** The card each customer paid with last, or their default payment method's (renewals charge it). */
  private readonly cards = new Map<string, string>();
  /** The card number behind each attached payment method. */
  private readonly methodCards = new Map<string, string>();
  private clockOffsetMs = 0;
  private invoiceSeq = 0;

  constructor(
    private readonly baseUrl: () => string,
    private readonly onEvent: (event: StripeEvent) => void,
  ) {}

  /** Everything, for persisting local runs across restarts (profiles keep cus_/sub_ ids that must still exist). */
  snapshot(): StoreSnapshot {
    return {
      customers: [...this.customers.values()],
      products: [...this.products.values()],
      prices: [...this.prices.values()],
      sessions: [...this.sessions.values()],
      subscriptions: [...this.subscriptions.values()],
      invoices: [...this.invoices.values()],
      events: this.events,
      cards: [...this.cards.entries()],
      clockOffsetMs: this.clockOffsetMs,
      invoiceSeq: this.invoiceSeq,
      paymentMethods: [...this.paymentMethods.values()].map((method) => ({
        method,
        card: this.methodCards.get(method.id) ?? '',
      })),
    };
  }

  restore(snapshot: StoreSnapshot): void {
    const fill = <T extends { id: string }>(map: Map<string, T>, items: T[]): void => {
      for (const item of items) map.set(item.id, item);
    };
    fill(this.customers, snapshot.customers);
    fill(this.products, snapshot.products);
    fill(this.prices, snapshot.prices);
    fill(this.sessions, snapshot.sessions);
    fill(this.subscriptions, snapshot.subscriptions);
    fill(this.invoices, snapshot.invoices);
    this.events.push(...snapshot.events);
    for (const [customer, card] of snapshot.cards) this.cards.set(customer, card);
    for (const { method, card } of snapshot.paymentMethods ?? []) {
      this.paymentMethods.set(method.id, method);
      this.methodCards.set(method.id, card);
    }
    this.clockOffsetMs = snapshot.clockOffsetMs;
    this.invoiceSeq = snapshot.invoiceSeq;
  }

  /** Stripe time in seconds: the wall clock plus however far the test clock was advanced. */
  now(): number {
    return Math.floor((Date.now() + this.clockOffsetMs) / 1000);
  }

  get<T>(map: Map<string, T>, id: string, noun: string, param = 'id'): T {
    const found = map.get(id);
    if (!found)
      throw new StripeApiError(404, 'invalid_request_error', `No such ${noun}: '${id}'`, param, 'resource_missing');
    return found;
  }

  emit(type: string, object: unknown, previous?: Record<string, unknown>): void {
    const event: StripeEvent = {
      id: newId('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: this.now(),
      livemode: false,
      pending_webhooks: 1,
      type,
      request: { id: null, idempotency_key: null },
      // Events carry a snapshot, not a live reference: later changes must not rewrite history.
      data: { object: structuredClone(object), ...(previous ? { previous_attributes: previous } : {}) },
    };
    this.events.push(event);
    this.onEvent(event);
  }

  createCustomer(fields: { email?: string; name?: string; metadata: Record<string, string> }): Customer {
    const customer: Customer = {
      id: newId('cus'),
      object: 'customer',
      created: this.now(),
      livemode: false,
      email: fields.email ?? null,
      name: fields.name ?? null,
      metadata: fields.metadata,
      invoice_settings: { default_payment_method: null },
    };
    this.customers.set(customer.id, customer);
    this.emit('customer.created', customer);
    return customer;
  }

  /** Pay on the hosted Checkout page. A declined card leaves the session open and creates nothing. */
  payCheckout(sessionId: string, cardNumber: string): { ok: true; redirect: string } | { ok: false; message: string } {
    const session = this.get(this.sessions, sessionId, 'checkout.session');
    if (session.status !== 'open') return { ok: false, message: 'This Checkout session is no longer open.' };
    const card = cardNumber.replace(/\D/g, '');
    if (card === TEST_CARDS.declines || card === TEST_CARDS.chargeFails)
      return { ok: false, message: 'Your card was declined.' };
    if (card !== TEST_CARDS.succeeds) return { ok: false, message: 'Your card number is invalid.' };

    const customerId =
      session.customer ?? this.createCustomer({ email: session.customer_email ?? undefined, metadata: {} }).id;
    this.cards.set(customerId, card);
    const subscription = this.createSubscription(customerId, session._lineItems, session._subscriptionMetadata);
    session.status = 'complete';
    session.payment_status = 'paid';
    session.customer = customerId;
    session.subscription = subscription.id;
    session.url = null;
    this.emit('checkout.session.completed', this.publicSession(session));
    return { ok: true, redirect: session.success_url.replaceAll('{CHECKOUT_SESSION_ID}', session.id) };
  }

  publicSession(session: CheckoutSession): Omit<CheckoutSession, '_lineItems' | '_subscriptionMetadata'> {
    const { _lineItems: _l, _subscriptionMetadata: _m, ...rest } = session;
    return rest;
  }

  createSubscription(
    customerId: string,
    items: { price: string; quantity: number }[],
    metadata: Record<string, string>,
  ): Subscription {
    const now = this.now();
    const id = newId('sub');
    const subscription: Subscription = {
      id,
      object: 'subscription',
      created: now,
      livemode: false,
      customer: customerId,
      status: 'active',
      start_date: now,
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: null,
      ended_at: null,
      latest_invoice: null,
      metadata,
      test_clock: null,
      items: {
        object: 'list',
        has_more: false,
        url: `/v1/subscription_items?subscription=${id}`,
        data: items.map((item) => {
          const price = this.get(this.prices, item.price, 'price', 'items');
          return {
            id: newId('si'),
            object: 'subscription_item' as const,
            created: now,
            price,
            quantity: item.quantity,
            current_period_start: now,
            current_period_end: addInterval(now, price.recurring),
            subscription: id,
            metadata: {},
          };
        }),
      },
    };
    this.subscriptions.set(id, subscription);
    const invoice = this.invoiceFor(subscription, 'subscription_create');
    invoice.status = 'paid';
    invoice.amount_paid = invoice.amount_due;
    invoice.amount_remaining = 0;
    invoice.attempted = true;
    invoice.attempt_count = 1;
    invoice.status_transitions.paid_at = now;
    subscription.latest_invoice = invoice.id;
    this.emit('customer.subscription.created', subscription);
    this.emit('invoice.created', invoice);
    this.emit('invoice.paid', invoice);
    return subscription;
  }

  updateSubscription(
    id: string,
    change: { cancelAtPeriodEnd?: boolean; price?: string; metadata?: Record<string, string> },
  ): Subscription {
    const sub = this.get(this.subscriptions, id, 'subscription');
    if (sub.status === 'canceled') {
      throw new StripeApiError(
        400,
        'invalid_request_error',
        'A canceled subscription can only update its cancellation_details and metadata.',
      );
    }
    const previous: Record<string, unknown> = {};
    if (change.cancelAtPeriodEnd !== undefined && change.cancelAtPeriodEnd !== sub.cancel_at_period_end) {
      previous.cancel_at_period_end = sub.cancel_at_period_end;
      previous.cancel_at = sub.cancel_at;
      sub.cancel_at_period_end = change.cancelAtPeriodEnd;
      const end = Math.max(...sub.items.data.map((i) => i.current_period_end));
      sub.cancel_at = change.cancelAtPeriodEnd ? end : null;
      sub.canceled_at = change.cancelAtPeriodEnd ? this.now() : null;
    }
    const item = sub.items.data[0];
    if (change.price && item && change.price !== item.price.id) {
      previous.items = structuredClone(sub.items);
      // Switching plans takes effect now (proration is not modelled; the next renewal bills the new price).
      item.price = this.get(this.prices, change.price, 'price', 'items');
    }
    if (change.metadata) {
      previous.metadata = sub.metadata;
      sub.metadata = { ...sub.metadata, ...change.metadata };
    }
    if (Object.keys(previous).length > 0) this.emit('customer.subscription.updated', sub, previous);
    return sub;
  }

  cancelSubscription(id: string): Subscription {
    const sub = this.get(this.subscriptions, id, 'subscription');
    if (sub.status === 'canceled') return sub;
    const now = this.now();
    sub.status = 'canceled';
    sub.ended_at = now;
    sub.canceled_at = sub.canceled_at ?? now;
    this.emit('customer.subscription.deleted', sub);
    return sub;
  }

  /** Move the test clock forward and run what would have happened: renewals, failed payments, period ends. */
  advanceClock(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new StripeApiError(400, 'invalid_request_error', 'The clock only moves forward.', 'ms');
    this.clockOffsetMs += ms;
    const now = this.now();
    for (const sub of this.subscriptions.values()) {
      // Each elapsed period is billed in turn, so a two-month jump renews twice.
      for (;;) {
        if (sub.status === 'canceled' || sub.status === 'unpaid') break;
        const end = Math.max(...sub.items.data.map((i) => i.current_period_end));
        if (end > now) break;
        if (sub.cancel_at_period_end) {
          this.cancelSubscription(sub.id);
          break;
        }
        this.renew(sub, end);
      }
    }
  }

  /** Make the customer's next renewal charge a card that declines (Stripe: update the default payment method). */
  setCard(customerId: string, cardNumber: string): void {
    this.get(this.customers, customerId, 'customer');
    this.cards.set(customerId, cardNumber.replace(/\D/g, ''));
  }

  /** POST /v1/payment_methods/<test token>/attach: a new card payment method on the customer. */
  attachPaymentMethod(token: string, customerId: string): PaymentMethod {
    const card = TEST_PAYMENT_METHODS[token];
    if (!card)
      throw new StripeApiError(
        404,
        'invalid_request_error',
        `No such PaymentMethod: '${token}'`,
        'payment_method',
        'resource_missing',
      );
    this.get(this.customers, customerId, 'customer', 'customer');
    const method: PaymentMethod = {
      id: newId('pm'),
      object: 'payment_method',
      created: this.now(),
      livemode: false,
      type: 'card',
      customer: customerId,
      card: {
        brand: 'visa',
        last4: card.slice(-4),
        exp_month: 12,
        exp_year: new Date(this.now() * 1000).getUTCFullYear() + 3,
      },
      metadata: {},
    };
    this.paymentMethods.set(method.id, method);
    this.methodCards.set(method.id, card);
    this.emit('payment_method.attached', method);
    return method;
  }

  /** A payment method of this customer's, by id; the card number behind it. */
  private customerCard(customerId: string, methodId: string, param: string): string {
    const method = this.paymentMethods.get(methodId);
    const card = this.methodCards.get(methodId);
    if (!method || !card)
      throw new StripeApiError(
        404,
        'invalid_request_error',
        `No such PaymentMethod: '${methodId}'`,
        param,
        'resource_missing',
      );
    if (method.customer !== customerId) {
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `The customer does not have a payment method with the ID ${methodId}.`,
        param,
      );
    }
    return card;
  }

  /** invoice_settings[default_payment_method]: renewals charge it from now on. */
  setDefaultPaymentMethod(customer: Customer, methodId: string): void {
    this.cards.set(customer.id, this.customerCard(customer.id, methodId, 'invoice_settings[default_payment_method]'));
    customer.invoice_settings = { default_payment_method: methodId };
  }

  /**
   * Pay an open invoice (POST /v1/invoices/<id>/pay, or the hosted invoice page): with the given payment method or
   * card, else the customer's current card. Paying the latest invoice of a past_due or unpaid subscription makes it
   * active again, as Stripe does. A declined card leaves the invoice open and sends invoice.payment_failed.
   */
  payInvoice(
    invoiceId: string,
    how: { paymentMethod?: string; card?: string; outOfBand?: boolean } = {},
  ): { ok: true; invoice: Invoice } | { ok: false; message: string } {
    const invoice = this.get(this.invoices, invoiceId, 'invoice');
    if (invoice.status === 'paid')
      throw new StripeApiError(
        400,
        'invalid_request_error',
        'Invoice is already paid',
        undefined,
        'invoice_already_paid',
      );
    if (invoice.status !== 'open')
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `You can only pay an open invoice (this one is ${invoice.status}).`,
      );
    const card = how.outOfBand
      ? TEST_CARDS.succeeds
      : how.paymentMethod
        ? this.customerCard(invoice.customer, how.paymentMethod, 'payment_method')
        : how.card !== undefined
          ? how.card.replace(/\D/g, '')
          : this.cards.get(invoice.customer);
    if (card === undefined) {
      throw new StripeApiError(
        400,
        'invalid_request_error',
        'This customer has no attached payment source or default payment method.',
      );
    }
    invoice.attempted = true;
    invoice.attempt_count += 1;
    if (card !== TEST_CARDS.succeeds) {
      this.emit('invoice.payment_failed', invoice);
      const known = card === TEST_CARDS.declines || card === TEST_CARDS.chargeFails;
      return { ok: false, message: known ? 'Your card was declined.' : 'Your card number is invalid.' };
    }
    // The card that paid is the one later renewals charge (Stripe saves it for future payments of the subscription).
    if (!how.outOfBand) this.cards.set(invoice.customer, card);
    invoice.status = 'paid';
    invoice.amount_paid = invoice.amount_due;
    invoice.amount_remaining = 0;
    invoice.status_transitions.paid_at = this.now();
    const sub = this.subscriptions.get(invoice.parent.subscription_details.subscription);
    if (sub && sub.latest_invoice === invoice.id && (sub.status === 'past_due' || sub.status === 'unpaid')) {
      const previous = { status: sub.status };
      sub.status = 'active';
      this.emit('customer.subscription.updated', sub, previous);
    }
    this.emit('invoice.paid', invoice);
    return { ok: true, invoice };
  }

  private renew(sub: Subscription, periodStart: number): void {
    const previous = { items: structuredClone(sub.items), status: sub.status };
    for (const item of sub.items.data) {
      item.current_period_start = periodStart;
      item.current_period_end = addInterval(periodStart, item.price.recurring);
    }
    const invoice = this.invoiceFor(sub, 'subscription_cycle');
    sub.latest_invoice = invoice.id;
    invoice.attempted = true;
    invoice.attempt_count = 1;
    this.emit('invoice.created', invoice);
    if (this.cards.get(sub.customer) === TEST_CARDS.succeeds) {
      invoice.status = 'paid';
      invoice.amount_paid = invoice.amount_due;
      invoice.amount_remaining = 0;
      invoice.status_transitions.paid_at = this.now();
      sub.status = 'active';
      this.emit('customer.subscription.updated', sub, previous);
      this.emit('invoice.paid', invoice);
    } else {
      // Smart Retries are not modelled: one failure makes the subscription past_due; the next period's failure
      // (still unpaid) makes it unpaid — Stripe's "mark the subscription as unpaid" setting.
      sub.status = previous.status === 'past_due' ? 'unpaid' : 'past_due';
      this.emit('customer.subscription.updated', sub, previous);
      this.emit('invoice.payment_failed', invoice);
    }
  }

  private invoiceFor(sub: Subscription, reason: Invoice['billing_reason']): Invoice {
    this.invoiceSeq += 1;
    const item = sub.items.data[0];
    const amount = sub.items.data.reduce((sum, i) => sum + i.price.unit_amount * i.quantity, 0);
    const id = newId('in');
    const invoice: Invoice = {
      id,
      object: 'invoice',
      created: this.now(),
      livemode: false,
      customer: sub.customer,
      number: `EMU-${String(this.invoiceSeq).padStart(4, '0')}`,
      status: 'open',
      currency: item?.price.currency ?? 'usd',
      amount_due: amount,
      amount_paid: 0,
      amount_remaining: amount,
      total: amount,
      subtotal: amount,
      attempt_count: 0,
      attempted: false,
      billing_reason: reason,
      period_start: item?.current_period_start ?? this.now(),
      period_end: item?.current_period_end ?? this.now(),
      hosted_invoice_url: `${this.baseUrl()}/i/${id}`,
      invoice_pdf: null,
      status_transitions: { finalized_at: this.now(), paid_at: null },
      parent: { type: 'subscription_details', subscription_details: { subscription: sub.id, metadata: sub.metadata } },
      lines: {
        object: 'list',
        has_more: false,
        url: `/v1/invoices/${id}/lines`,
        data: sub.items.data.map((i) => ({
          id: newId('il'),
          object: 'line_item' as const,
          amount: i.price.unit_amount * i.quantity,
          currency: i.price.currency,
          description: `${i.quantity} × ${this.products.get(i.price.product)?.name ?? i.price.product}`,
          quantity: i.quantity,
          period: { start: i.current_period_start, end: i.current_period_end },
          pricing: { type: 'price_details' as const, price_details: { price: i.price.id, product: i.price.product } },
        })),
      },
    };
    this.invoices.set(id, invoice);
    return invoice;
  }
}
