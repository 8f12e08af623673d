// The emulator's HTTP front: /v1/* (Stripe's API, bearer secret key, idempotency keys), the hosted Checkout and
// Portal pages, hosted invoices (/i/<id>), and /_emulator/clock for the test clock.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { StripeApi } from './api.ts';
import { parseForm, StripeApiError } from './form.ts';
import { checkoutPage, invoicePage, messagePage, portalPage } from './pages.ts';
import { StripeStore, type StoreSnapshot } from './store.ts';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { WebhookSender } from './webhooks.ts';

export interface StripeEmulatorOptions {
  port?: number;
  host?: string;
  webhookUrl?: string;
  webhookSecret?: string;
  secretKey?: string;
  /** First webhook retry delay in ms (doubles per attempt). */
  webhookRetryBaseMs?: number;
  webhookMaxAttempts?: number;
  /** JSON file to keep state in across restarts (local runs); tests leave it unset. */
  statePath?: string;
}

export interface StripeEmulator {
  url: string;
  host: string;
  port: number;
  secretKey: string;
  webhookSecret: string;
  store: StripeStore;
  webhooks: WebhookSender;
  /** Point webhook delivery somewhere else (e.g. once the edge function is up). */
  setWebhookUrl(url: string | undefined): void;
  advanceClock(ms: number): Promise<void>;
  /** Resolves when every webhook was delivered or gave up. */
  webhooksIdle(): Promise<void>;
  close(): Promise<void>;
}

export async function startStripeEmulator(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const host = options.host ?? '127.0.0.1';
  const secretKey = options.secretKey ?? `sk_test_emulator_${randomBytes(12).toString('hex')}`;
  const webhookSecret = options.webhookSecret ?? `whsec_${randomBytes(24).toString('base64url')}`;
  let baseUrl = '';
  const webhooks = new WebhookSender({
    url: options.webhookUrl,
    secret: webhookSecret,
    ...(options.webhookRetryBaseMs !== undefined ? { retryBaseMs: options.webhookRetryBaseMs } : {}),
    ...(options.webhookMaxAttempts !== undefined ? { maxAttempts: options.webhookMaxAttempts } : {}),
  });
  const store = new StripeStore(
    () => baseUrl,
    (event) => webhooks.enqueue(event),
  );
  const api = new StripeApi(store, () => baseUrl);
  const persist = options.statePath ? statePersister(options.statePath, store) : () => {};
  const idempotent = new Map<string, { status: number; body: string }>();

  const server = createServer((req, res) => {
    void route(req, res).catch((error: unknown) => {
      const e =
        error instanceof StripeApiError
          ? error
          : new StripeApiError(500, 'api_error', error instanceof Error ? error.message : String(error));
      send(res, e.status, JSON.stringify(e.toJSON()), 'application/json');
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const body = await readBody(req);
    const method = req.method ?? 'GET';

    if (parts[0] === 'v1' || parts[0] === '_emulator') {
      const auth = req.headers.authorization ?? '';
      if (auth !== `Bearer ${secretKey}`) {
        throw new StripeApiError(
          401,
          'invalid_request_error',
          auth
            ? 'Invalid API Key provided: ' + auth.replace(/^Bearer\s+/, '').slice(0, 12) + '****'
            : 'You did not provide an API key.',
        );
      }
    }
    if (parts[0] === 'v1') {
      const key = method === 'POST' ? req.headers['idempotency-key'] : undefined;
      const cacheKey = typeof key === 'string' ? `${url.pathname}:${key}` : undefined;
      const cached = cacheKey ? idempotent.get(cacheKey) : undefined;
      if (cached) return send(res, cached.status, cached.body, 'application/json');
      const form = method === 'GET' ? {} : parseForm(body);
      const json = JSON.stringify(api.handle({ method, path: parts.slice(1), query: url.searchParams, form }));
      if (cacheKey) idempotent.set(cacheKey, { status: 200, body: json });
      if (method !== 'GET') persist();
      return send(res, 200, json, 'application/json');
    }
    if (parts[0] === '_emulator' && parts[1] === 'clock') {
      if (method === 'POST' && parts[2] === 'advance') {
        const ms = Number(new URLSearchParams(body).get('ms') ?? url.searchParams.get('ms'));
        store.advanceClock(ms);
        persist();
      }
      return send(res, 200, JSON.stringify({ now: store.now() }), 'application/json');
    }
    if (parts[0] === 'c' && parts[1] === 'pay' && parts[2]) return checkout(parts[2], method, body, res);
    if (parts[0] === 'p' && parts[1] === 'session' && parts[2])
      return portal(parts[2], method, body, url.searchParams.get('done'), res);
    if (parts[0] === 'i' && parts[1]) {
      // The hosted invoice page (hosted_invoice_url): anyone with the unguessable link may read it, and pay it while
      // it is open, as on Stripe.
      const invoice = store.invoices.get(parts[1]);
      if (!invoice) return send(res, 404, messagePage('Not found', 'This invoice does not exist.'), 'text/html');
      if (method === 'POST') {
        if (invoice.status !== 'open')
          return send(res, 409, invoicePage(invoice, 'This invoice is not open.'), 'text/html');
        const result = store.payInvoice(invoice.id, { card: new URLSearchParams(body).get('card') ?? '' });
        persist();
        if (!result.ok) return send(res, 402, invoicePage(invoice, result.message), 'text/html');
        res.writeHead(303, { location: `/i/${invoice.id}` }).end();
        return;
      }
      return send(res, 200, invoicePage(invoice), 'text/html');
    }
    send(res, 404, messagePage('Not found', 'Nothing here.'), 'text/html');
  }

  function checkout(id: string, method: string, body: string, res: ServerResponse): void {
    const session = store.sessions.get(id);
    if (!session) return send(res, 404, messagePage('Not found', 'This Checkout session does not exist.'), 'text/html');
    const lines = session._lineItems.map((li) => {
      const price = store.get(store.prices, li.price, 'price');
      return { price, product: store.products.get(price.product) };
    });
    if (session.status !== 'open')
      return send(res, 410, messagePage('Checkout closed', 'This Checkout session is no longer open.'), 'text/html');
    if (method !== 'POST') return send(res, 200, checkoutPage(session, lines), 'text/html');
    const result = store.payCheckout(id, new URLSearchParams(body).get('card') ?? '');
    persist();
    if (!result.ok) return send(res, 402, checkoutPage(session, lines, result.message), 'text/html');
    res.writeHead(303, { location: result.redirect }).end();
  }

  function portal(id: string, method: string, body: string, done: string | null, res: ServerResponse): void {
    const session = api.portalSessions.get(id);
    if (!session) return send(res, 404, messagePage('Not found', 'This portal session does not exist.'), 'text/html');
    if (method === 'POST') {
      const form = new URLSearchParams(body);
      const sub = store.subscriptions.get(form.get('subscription') ?? '');
      if (!sub || sub.customer !== session.customer)
        return send(res, 404, messagePage('Not found', 'No such subscription.'), 'text/html');
      const action = form.get('action');
      if (action === 'cancel') store.updateSubscription(sub.id, { cancelAtPeriodEnd: true });
      else if (action === 'renew') store.updateSubscription(sub.id, { cancelAtPeriodEnd: false });
      else if (action === 'switch') store.updateSubscription(sub.id, { price: form.get('price') ?? '' });
      else return send(res, 400, messagePage('Bad request', 'Unknown action.'), 'text/html');
      persist();
      // Post/redirect/get, as the real portal keeps you on its page after a change.
      res.writeHead(303, { location: `/p/session/${id}?done=${action}` }).end();
      return;
    }
    const notices: Record<string, string> = {
      cancel: 'Your plan will be canceled at the end of the period.',
      renew: 'Your plan will renew.',
      switch: 'Your plan was changed.',
    };
    const notice = done ? notices[done] : undefined;
    const subs = [...store.subscriptions.values()].filter((s) => s.customer === session.customer);
    const prices = [...store.prices.values()].map((price) => ({ price, product: store.products.get(price.product) }));
    send(res, 200, portalPage(subs, prices, session.return_url, notice), 'text/html');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('stripe emulator: no TCP address');
  baseUrl = `http://${host}:${address.port}`;

  return {
    url: baseUrl,
    host,
    port: address.port,
    secretKey,
    webhookSecret,
    store,
    webhooks,
    setWebhookUrl: (url) => {
      webhooks.url = url;
    },
    advanceClock: async (ms) => {
      store.advanceClock(ms);
      persist();
    },
    webhooksIdle: () => webhooks.idle(),
    close: async () => {
      webhooks.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function statePersister(path: string, store: StripeStore): () => void {
  // The file is written only by snapshot() below, so its shape is ours; a hand-edited file is the user's problem.
  if (existsSync(path)) store.restore(JSON.parse(readFileSync(path, 'utf8')) as StoreSnapshot);
  mkdirSync(dirname(path), { recursive: true });
  // Write-then-rename so a crash mid-write never leaves a truncated file behind.
  return () => {
    writeFileSync(`${path}.tmp`, JSON.stringify(store.snapshot()));
    renameSync(`${path}.tmp`, path);
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, type: string): void {
  res.writeHead(status, {
    'content-type': `${type}; charset=utf-8`,
    'request-id': `req_${randomBytes(8).toString('hex')}`,
  });
  res.end(body);
}
