// Stripe Checkout (subscription mode) for a paid tier, and the Customer Portal for everything after that
// (cancel, switch plan, update card). A user who already pays is sent to the portal instead of a second subscription.
import { isLiveSubscription, type Tier } from '@polybot/schemas';
import { ensureStripeCustomer, readProfileBilling, type BillingDeps } from './customers.ts';
import { BillingError } from './errors.ts';
import { PAID_TIERS, type PriceMap } from './shared.ts';

export interface CheckoutInput {
  userId: string;
  tier: Tier;
  /** Where Stripe sends the user after paying; `{CHECKOUT_SESSION_ID}` is replaced by Stripe. */
  successUrl: string;
  /** Where the user lands when they go back from Checkout. */
  cancelUrl: string;
}

export async function createCheckoutSession(
  deps: BillingDeps & { prices: PriceMap },
  input: CheckoutInput,
): Promise<{ id: string; url: string; customerId: string }> {
  const paid = PAID_TIERS.find((t) => t === input.tier);
  const price = paid ? deps.prices[paid] : undefined;
  if (!paid || !price) throw new BillingError('not_purchasable', `The ${input.tier} plan cannot be bought online.`);
  const profile = await readProfileBilling(deps.sql, input.userId);
  if (profile.subscription_tier !== 'free' && isLiveSubscription(profile.subscription_status)) {
    throw new BillingError(
      'already_subscribed',
      'You already have a subscription: change or cancel it in the billing portal.',
    );
  }
  const customerId = await ensureStripeCustomer(deps, input.userId);
  const session = await deps.stripe.checkout.sessions.create({
    mode: 'subscription',
    customer: customerId,
    client_reference_id: input.userId,
    line_items: [{ price, quantity: 1 }],
    // The webhook finds the user by customer id; the metadata also covers events about a customer created elsewhere.
    metadata: { user_id: input.userId, tier: paid },
    subscription_data: { metadata: { user_id: input.userId } },
    success_url: input.successUrl,
    cancel_url: input.cancelUrl,
  });
  if (!session.url) throw new Error(`Stripe returned Checkout session ${session.id} without a url`);
  return { id: session.id, url: session.url, customerId };
}

export async function createPortalSession(
  deps: BillingDeps,
  input: { userId: string; returnUrl: string },
): Promise<{ url: string }> {
  const profile = await readProfileBilling(deps.sql, input.userId);
  if (!profile.stripe_customer_id)
    throw new BillingError('no_customer', 'There is nothing to manage yet: choose a plan first.');
  const session = await deps.stripe.billingPortal.sessions.create({
    customer: profile.stripe_customer_id,
    return_url: input.returnUrl,
  });
  return { url: session.url };
}
