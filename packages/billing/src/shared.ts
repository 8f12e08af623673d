// The event-application logic lives in supabase/functions/_shared/billing so the Deno edge function can deploy it
// (the Supabase CLI bundles what is under supabase/functions). It imports only `postgres` types, zod, @polybot/schemas
// and sibling files, which Node resolves from node_modules and Deno from the function's deno.json — one copy, both
// runtimes.
export { applyStripeEvent, type ApplyOutcome } from '../../../supabase/functions/_shared/billing/apply-event.ts';
export { HANDLED_EVENT_TYPES, UnknownPriceError } from '../../../supabase/functions/_shared/billing/derive.ts';
export {
  PAID_TIERS,
  PriceMapSchema,
  priceForTier,
  priceMapFromEnv,
  tierForPrice,
  type PaidTier,
  type PriceMap,
} from '../../../supabase/functions/_shared/billing/prices.ts';
