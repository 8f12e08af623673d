// @polybot/billing: plans, Stripe Checkout and Portal, payment history, and the one function that applies a
// verified Stripe event to a user's subscription state (shared with the stripe-webhook edge function).
export { readBillingConfig, createStripeClient, type BillingConfig } from './config.ts';
export { listPlans, type CatalogPlan } from './plans.ts';
export { ensureStripeCustomer, type BillingDeps } from './customers.ts';
export { createCheckoutSession, createPortalSession, type CheckoutInput } from './checkout.ts';
export { listPayments, type Payment } from './payments.ts';
export { BillingError, type BillingErrorCode } from './errors.ts';
export {
  applyStripeEvent,
  HANDLED_EVENT_TYPES,
  UnknownPriceError,
  PAID_TIERS,
  PriceMapSchema,
  priceForTier,
  priceMapFromEnv,
  tierForPrice,
  type ApplyOutcome,
  type PaidTier,
  type PriceMap,
} from './shared.ts';
