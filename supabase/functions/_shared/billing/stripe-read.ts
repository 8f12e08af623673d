// The one Stripe API call the webhook makes: read a subscription as it is now (see apply-event.ts for why).
// Bounded so a slow Stripe cannot hold the profile row lock for long: the webhook then answers 500 and Stripe
// retries the event later.
import Stripe from 'stripe';
import type { RetrieveSubscription } from './apply-event.ts';

export interface StripeReadConfig {
  secretKey: string;
  /** Only for the local emulator (http://127.0.0.1:<port>); unset means api.stripe.com. */
  apiBase?: string | undefined;
}

export function stripeReader(config: StripeReadConfig): RetrieveSubscription {
  const base = config.apiBase ? new URL(config.apiBase) : undefined;
  const protocol = base?.protocol === 'http:' ? 'http' : 'https';
  const stripe = new Stripe(config.secretKey, {
    // fetch works the same under Deno (the edge runtime) and Node.
    httpClient: Stripe.createFetchHttpClient(),
    timeout: 8_000,
    maxNetworkRetries: 1,
    ...(base ? { host: base.hostname, port: Number(base.port || (protocol === 'http' ? 80 : 443)), protocol } : {}),
  });
  return async (id) => {
    try {
      return await stripe.subscriptions.retrieve(id);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) return null;
      throw error;
    }
  };
}
