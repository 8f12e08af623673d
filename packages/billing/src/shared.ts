// The event-application logic lives in supabase/functions/_shared/billing so the Deno edge function can deploy it
// (the Supabase CLI bundles what is under supabase/functions). It imports only `postgres` types, zod, @polybot/schemas
// and sibling files, which Node resolves from node_modules and Deno from the function's deno.json — one copy, both
// runtimes. Imported through @polybot/supabase's `exports` (./billing/*), the only files of that workspace billing may use.
export { applyStripeEvent, type ApplyOutcome } from '@polybot/supabase/billing/apply-event.ts';
export { HANDLED_EVENT_TYPES, UnknownPriceError } from '@polybot/supabase/billing/derive.ts';
export {
  PAID_TIERS,
  PriceMapSchema,
  priceForTier,
  priceMapFromEnv,
  tierForPrice,
  type PaidTier,
  type PriceMap,
} from '@polybot/supabase/billing/prices.ts';
