// What the Deno tests that talk to "Stripe" share: the local emulator (started by supabase/tests/billing-webhook.test.ts
// and named in the environment) behind the real SDK, and monthly prices created on it.
import Stripe from 'stripe';

function env(name: string): string {
  const value = Deno.env.get(name);
  if (!value)
    throw new Error(`${name} must be set (supabase/tests/billing-webhook.test.ts starts the Stripe emulator)`);
  return value;
}

export const apiBase = env('STRIPE_TEST_API_BASE');
export const secretKey = env('STRIPE_TEST_SECRET_KEY');
const base = new URL(apiBase);
export const stripe = new Stripe(secretKey, {
  host: base.hostname,
  port: Number(base.port),
  protocol: 'http',
  httpClient: Stripe.createFetchHttpClient(),
});

/** A monthly USD price of `cents` on a new product named `name`. */
export async function monthlyPrice(name: string, cents: number): Promise<string> {
  const product = await stripe.products.create({ name });
  return (
    await stripe.prices.create({
      product: product.id,
      unit_amount: cents,
      currency: 'usd',
      recurring: { interval: 'month' },
    })
  ).id;
}
