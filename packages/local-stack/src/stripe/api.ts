// Stripe's REST API (the subset the `stripe` SDK calls for PolyBot's billing), on top of StripeStore.
// Requests are form-encoded exactly as the SDK sends them; errors use Stripe's `{ error: { type, message, param,
// code } }` shape and status codes, so the SDK raises its own StripeInvalidRequestError etc.
import { bool, list, metadata, obj, required, str, StripeApiError, type FormObject } from './form.ts';
import { listOf, newId, type CheckoutSession, type Price, type PortalSession, type Product } from './objects.ts';
import type { StripeStore } from './store.ts';

export interface ApiRequest {
  method: string;
  path: string[];
  query: URLSearchParams;
  form: FormObject;
}

export class StripeApi {
  readonly portalSessions = new Map<string, PortalSession>();

  constructor(
    private readonly store: StripeStore,
    private readonly baseUrl: () => string,
  ) {}

  handle(req: ApiRequest): unknown {
    const { method, path, form, query } = req;
    const s = this.store;
    // Namespaced resources (checkout/sessions, billing_portal/sessions) are one resource name.
    const parts =
      path[0] === 'checkout' || path[0] === 'billing_portal' ? [`${path[0]}/${path[1] ?? ''}`, ...path.slice(2)] : path;
    const [resource, id, sub] = parts;
    const route = `${method} ${resource ?? ''}${id ? '/:id' : ''}${sub ? `/${sub}` : ''}`;
    switch (route) {
      case 'POST customers':
        return s.createCustomer({ email: str(form, 'email'), name: str(form, 'name'), metadata: metadata(form) });
      case 'GET customers/:id':
        return s.get(s.customers, id ?? '', 'customer');
      case 'POST customers/:id': {
        const c = s.get(s.customers, id ?? '', 'customer');
        c.email = str(form, 'email') ?? c.email;
        c.name = str(form, 'name') ?? c.name;
        c.metadata = { ...c.metadata, ...metadata(form) };
        const defaultMethod = str(obj(form, 'invoice_settings'), 'default_payment_method');
        if (defaultMethod) s.setDefaultPaymentMethod(c, defaultMethod);
        s.emit('customer.updated', c);
        return c;
      }
      case 'POST payment_methods/:id/attach':
        return s.attachPaymentMethod(id ?? '', required(form, 'customer'));
      case 'GET payment_methods/:id':
        return s.get(s.paymentMethods, id ?? '', 'PaymentMethod');
      case 'GET customers':
        return this.page(
          '/v1/customers',
          [...s.customers.values()].filter((c) => !query.get('email') || c.email === query.get('email')),
          query,
        );
      case 'POST products': {
        const product: Product = {
          id: str(form, 'id') ?? newId('prod'),
          object: 'product',
          created: s.now(),
          livemode: false,
          active: bool(form, 'active') ?? true,
          name: required(form, 'name'),
          metadata: metadata(form),
        };
        s.products.set(product.id, product);
        return product;
      }
      case 'GET products/:id':
        return s.get(s.products, id ?? '', 'product');
      case 'POST prices':
        return this.createPrice(form);
      case 'GET prices/:id':
        return s.get(s.prices, id ?? '', 'price');
      case 'GET prices': {
        // The SDK sends arrays in a query string as lookup_keys[0]=a&lookup_keys[1]=b.
        const keys = [...query.entries()]
          .filter(([k]) => k === 'lookup_keys' || k.startsWith('lookup_keys['))
          .map(([, v]) => v);
        return this.page(
          '/v1/prices',
          [...s.prices.values()].filter(
            (p) => keys.length === 0 || (p.lookup_key !== null && keys.includes(p.lookup_key)),
          ),
          query,
        );
      }
      case 'POST checkout/sessions':
        return s.publicSession(this.createCheckoutSession(form));
      case 'GET checkout/sessions/:id':
        return s.publicSession(s.get(s.sessions, id ?? '', 'checkout.session'));
      case 'GET checkout/sessions/:id/line_items': {
        const session = s.get(s.sessions, id ?? '', 'checkout.session');
        return listOf(
          `/v1/checkout/sessions/${session.id}/line_items`,
          session._lineItems.map((li) => {
            const price = s.get(s.prices, li.price, 'price');
            return {
              id: newId('li'),
              object: 'item',
              price,
              quantity: li.quantity,
              currency: price.currency,
              amount_subtotal: price.unit_amount * li.quantity,
              amount_total: price.unit_amount * li.quantity,
              description: s.products.get(price.product)?.name ?? price.product,
            };
          }),
        );
      }
      case 'POST billing_portal/sessions': {
        const customer = s.get(s.customers, required(form, 'customer'), 'customer', 'customer');
        const sessionId = newId('bps');
        const session: PortalSession = {
          id: sessionId,
          object: 'billing_portal.session',
          created: s.now(),
          livemode: false,
          customer: customer.id,
          return_url: str(form, 'return_url') ?? null,
          url: `${this.baseUrl()}/p/session/${sessionId}`,
        };
        this.portalSessions.set(sessionId, session);
        return session;
      }
      case 'POST subscriptions': {
        const customer = s.get(s.customers, required(form, 'customer'), 'customer', 'customer');
        const items = list(form, 'items').map((i) => ({
          price: required(i, 'price'),
          quantity: Number(str(i, 'quantity') ?? '1'),
        }));
        if (items.length === 0)
          throw new StripeApiError(
            400,
            'invalid_request_error',
            'Missing required param: items.',
            'items',
            'parameter_missing',
          );
        return s.createSubscription(customer.id, items, metadata(form));
      }
      case 'GET subscriptions/:id':
        return s.get(s.subscriptions, id ?? '', 'subscription');
      case 'GET subscriptions': {
        const status = query.get('status') ?? undefined;
        const subs = [...s.subscriptions.values()].filter(
          (x) =>
            (!query.get('customer') || x.customer === query.get('customer')) &&
            (status === 'all' || (status ? x.status === status : x.status !== 'canceled')),
        );
        return this.page('/v1/subscriptions', subs, query);
      }
      case 'POST subscriptions/:id': {
        const items = list(form, 'items');
        const price = items[0] ? str(items[0], 'price') : undefined;
        const meta = form.metadata === undefined ? undefined : metadata(form);
        return s.updateSubscription(id ?? '', {
          ...(bool(form, 'cancel_at_period_end') !== undefined
            ? { cancelAtPeriodEnd: bool(form, 'cancel_at_period_end') }
            : {}),
          ...(price ? { price } : {}),
          ...(meta ? { metadata: meta } : {}),
        });
      }
      case 'DELETE subscriptions/:id':
        return s.cancelSubscription(id ?? '');
      case 'GET invoices': {
        const invoices = [...s.invoices.values()].filter(
          (i) =>
            (!query.get('customer') || i.customer === query.get('customer')) &&
            (!query.get('subscription') || i.parent.subscription_details.subscription === query.get('subscription')) &&
            (!query.get('status') || i.status === query.get('status')),
        );
        return this.page('/v1/invoices', invoices, query);
      }
      case 'GET invoices/:id':
        return s.get(s.invoices, id ?? '', 'invoice');
      case 'POST invoices/:id/pay': {
        const paymentMethod = str(form, 'payment_method');
        const result = s.payInvoice(id ?? '', {
          ...(paymentMethod ? { paymentMethod } : {}),
          outOfBand: bool(form, 'paid_out_of_band') === true,
        });
        if (!result.ok) throw new StripeApiError(402, 'card_error', result.message, undefined, 'card_declined');
        return result.invoice;
      }
      case 'GET events':
        return this.page(
          '/v1/events',
          s.events.filter((e) => !query.get('type') || e.type === query.get('type')),
          query,
        );
      case 'GET events/:id':
        return s.get(new Map(s.events.map((e) => [e.id, e])), id ?? '', 'event');
      default:
        throw new StripeApiError(
          404,
          'invalid_request_error',
          `Unrecognized request URL (${method}: /v1/${path.join('/')}).`,
        );
    }
  }

  /**
   * Newest first, cut at `limit` (default 10, max 100), like every Stripe list; `starting_after=<id>` continues after
   * that object (what the SDK's auto-pagination sends).
   */
  private page<T extends { id: string; created: number }>(url: string, items: T[], query: URLSearchParams) {
    const limit = Math.min(Math.max(Number(query.get('limit') ?? '10') || 10, 1), 100);
    let sorted = items
      .map((item, i) => ({ item, i }))
      .sort((a, b) => b.item.created - a.item.created || b.i - a.i)
      .map((x) => x.item);
    const after = query.get('starting_after');
    if (after) {
      const at = sorted.findIndex((item) => item.id === after);
      if (at < 0)
        throw new StripeApiError(
          400,
          'invalid_request_error',
          `Invalid starting_after: no object with id ${after} in this list.`,
          'starting_after',
        );
      sorted = sorted.slice(at + 1);
    }
    return { ...listOf(url, sorted.slice(0, limit)), has_more: sorted.length > limit };
  }

  private createPrice(form: FormObject): Price {
    const s = this.store;
    const productData = obj(form, 'product_data');
    let productId = str(form, 'product');
    if (!productId) {
      const product: Product = {
        id: newId('prod'),
        object: 'product',
        created: s.now(),
        livemode: false,
        active: true,
        name: required(productData, 'name'),
        metadata: {},
      };
      s.products.set(product.id, product);
      productId = product.id;
    }
    s.get(s.products, productId, 'product', 'product');
    const recurring = obj(form, 'recurring');
    const interval = str(recurring, 'interval');
    if (interval !== undefined && !['day', 'week', 'month', 'year'].includes(interval)) {
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `Invalid recurring[interval]: must be one of day, week, month, or year`,
        'recurring[interval]',
      );
    }
    const amount = Number(required(form, 'unit_amount'));
    if (!Number.isInteger(amount) || amount < 0)
      throw new StripeApiError(400, 'invalid_request_error', 'Invalid integer: unit_amount', 'unit_amount');
    const price: Price = {
      id: str(form, 'id') ?? newId('price'),
      object: 'price',
      created: s.now(),
      livemode: false,
      active: true,
      product: productId,
      currency: required(form, 'currency').toLowerCase(),
      unit_amount: amount,
      type: interval ? 'recurring' : 'one_time',
      lookup_key: str(form, 'lookup_key') ?? null,
      recurring: interval
        ? {
            interval: interval as 'day' | 'week' | 'month' | 'year',
            interval_count: Number(str(recurring, 'interval_count') ?? '1'),
          }
        : null,
      metadata: metadata(form),
    };
    s.prices.set(price.id, price);
    return price;
  }

  private createCheckoutSession(form: FormObject): CheckoutSession {
    const s = this.store;
    const mode = required(form, 'mode');
    if (mode !== 'subscription') {
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `The emulator supports mode=subscription only (got ${mode}).`,
        'mode',
      );
    }
    const lineItems = list(form, 'line_items').map((li) => ({
      price: required(li, 'price'),
      quantity: Number(str(li, 'quantity') ?? '1'),
    }));
    if (lineItems.length === 0) {
      throw new StripeApiError(
        400,
        'invalid_request_error',
        'Missing required param: line_items.',
        'line_items',
        'parameter_missing',
      );
    }
    for (const [i, li] of lineItems.entries()) {
      const price = s.get(s.prices, li.price, 'price', `line_items[${i}][price]`);
      if (!price.recurring) {
        throw new StripeApiError(
          400,
          'invalid_request_error',
          'You must provide at least one recurring price in `subscription` mode when using prices.',
          `line_items[${i}][price]`,
        );
      }
    }
    const customer = str(form, 'customer');
    if (customer) s.get(s.customers, customer, 'customer', 'customer');
    const successUrl = required(form, 'success_url');
    const id = newId('cs_test');
    const session: CheckoutSession = {
      id,
      object: 'checkout.session',
      created: s.now(),
      livemode: false,
      expires_at: s.now() + 24 * 3600,
      mode,
      status: 'open',
      payment_status: 'unpaid',
      url: `${this.baseUrl()}/c/pay/${id}`,
      success_url: successUrl,
      cancel_url: str(form, 'cancel_url') ?? null,
      customer: customer ?? null,
      customer_email: str(form, 'customer_email') ?? null,
      client_reference_id: str(form, 'client_reference_id') ?? null,
      metadata: metadata(form),
      subscription: null,
      _lineItems: lineItems,
      _subscriptionMetadata: metadata(obj(form, 'subscription_data'), 'metadata'),
    };
    s.sessions.set(id, session);
    return session;
  }
}
