// The stripe-webhook request handler, free of Deno globals so tests build it with their own database and secret.
// Thin on purpose: verify the signature over the raw body, then hand the event to the shared billing logic.
//   400 — missing or bad signature (nothing written)
//   200 — applied, duplicate, or an event type we do not handle
//   500 — anything else (database down, Stripe unreachable, unmapped price): the transaction rolled back and
//         Stripe retries
import Stripe from 'stripe';
import type { Sql } from 'postgres';
import { applyStripeEvent, type RetrieveSubscription } from '../_shared/billing/apply-event.ts';
import type { PriceMap } from '../_shared/billing/prices.ts';

export interface WebhookDeps {
  sql: Sql;
  webhookSecret: string;
  prices: PriceMap;
  /** Stripe's current subscription (stripe-read.ts); the function always passes it, tests may leave it out. */
  retrieveSubscription?: RetrieveSubscription;
  log?: (line: Record<string, unknown>) => void;
}

// constructEventAsync needs no API access; the key only satisfies the constructor.
const stripe = new Stripe('sk_webhook_verification_only');
const cryptoProvider = Stripe.createSubtleCryptoProvider();

export function createWebhookHandler(deps: WebhookDeps): (req: Request) => Promise<Response> {
  const log = deps.log ?? ((line) => console.log(JSON.stringify(line)));
  return async (req) => {
    if (req.method !== 'POST') return json(405, { error: 'method not allowed' });
    const signature = req.headers.get('stripe-signature');
    if (!signature) return json(400, { error: 'missing Stripe-Signature header' });
    // The signature covers the exact bytes Stripe sent: read the raw text, never a re-serialized JSON.
    const body = await req.text();
    let event: Stripe.Event;
    try {
      event = await stripe.webhooks.constructEventAsync(body, signature, deps.webhookSecret, undefined, cryptoProvider);
    } catch (error) {
      log({ msg: 'stripe webhook signature rejected', error: errorMessage(error) });
      return json(400, { error: 'invalid signature' });
    }
    try {
      const result = await applyStripeEvent(deps.sql, event, {
        prices: deps.prices,
        ...(deps.retrieveSubscription ? { retrieveSubscription: deps.retrieveSubscription } : {}),
      });
      log({ msg: 'stripe event', type: event.type, ...result });
      return json(200, { received: true, outcome: result.outcome });
    } catch (error) {
      log({
        msg: 'stripe event failed; Stripe will retry',
        eventId: event.id,
        type: event.type,
        error: errorMessage(error),
      });
      return json(500, { error: 'event not applied; retry later' });
    }
  };
}

function json(status: number, body: Record<string, unknown>): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
