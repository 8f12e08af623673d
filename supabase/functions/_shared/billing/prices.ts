// Which Stripe price buys which tier. Price ids differ per Stripe account and mode (test/live), so they come from
// configuration (env), never from code; the same mapping is used to create Checkout sessions and to read a
// subscription's tier back out of a webhook event.
import { PAID_TIERS, type PaidTier, type Tier } from '@polybot/schemas';
import { z } from 'zod';

// The tiers are defined once in @polybot/schemas; re-exported for the billing code that already imports them here.
export { PAID_TIERS, type PaidTier, type Tier };

const PriceId = z.string().regex(/^price_[A-Za-z0-9_]+$/, { error: 'must be a Stripe price id (price_...)' });

export const PriceMapSchema = z
  .object({ basic: PriceId, pro: PriceId, enterprise: PriceId.optional() })
  .refine((m) => new Set(Object.values(m).filter(Boolean)).size === Object.values(m).filter(Boolean).length, {
    error: 'each tier needs its own Stripe price',
  });
export type PriceMap = z.infer<typeof PriceMapSchema>;

/** Read STRIPE_PRICE_BASIC / _PRO / _ENTERPRISE from an env-like record; throws naming every bad variable. */
export function priceMapFromEnv(env: Record<string, string | undefined>): PriceMap {
  const parsed = PriceMapSchema.safeParse({
    basic: env.STRIPE_PRICE_BASIC,
    pro: env.STRIPE_PRICE_PRO,
    enterprise: env.STRIPE_PRICE_ENTERPRISE || undefined,
  });
  if (!parsed.success) {
    const names: Record<string, string> = {
      basic: 'STRIPE_PRICE_BASIC',
      pro: 'STRIPE_PRICE_PRO',
      enterprise: 'STRIPE_PRICE_ENTERPRISE',
    };
    const lines = parsed.error.issues.map((i) => `  ${names[String(i.path[0])] ?? 'STRIPE_PRICE_*'}: ${i.message}`);
    throw new Error(`invalid Stripe price configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function priceForTier(prices: PriceMap, tier: PaidTier): string | undefined {
  return prices[tier];
}

export function tierForPrice(prices: PriceMap, priceId: string): PaidTier | undefined {
  return PAID_TIERS.find((tier) => prices[tier] === priceId);
}
