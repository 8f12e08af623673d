// Billing configuration, parsed once at start-up by the app that uses billing (it passes its env record in; this
// package never reads process.env itself). Missing or malformed values fail loudly with the variable's name.
import Stripe from 'stripe';
import { z } from 'zod';
import { priceMapFromEnv, type PriceMap } from './shared.ts';

const EnvSchema = z.object({
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, { error: 'must be a Stripe secret key (sk_test_... / sk_live_...)' }),
  /** Only for the local emulator: http://127.0.0.1:<port>. Unset means api.stripe.com. */
  STRIPE_API_BASE: z.url({ protocol: /^https?$/ }).optional(),
});

export interface BillingConfig {
  secretKey: string;
  apiBase: URL | undefined;
  prices: PriceMap;
}

export function readBillingConfig(env: Record<string, string | undefined>): BillingConfig {
  const parsed = EnvSchema.safeParse({
    STRIPE_SECRET_KEY: env.STRIPE_SECRET_KEY,
    STRIPE_API_BASE: env.STRIPE_API_BASE || undefined,
  });
  if (!parsed.success) {
    throw new Error(
      `invalid billing configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return {
    secretKey: parsed.data.STRIPE_SECRET_KEY,
    apiBase: parsed.data.STRIPE_API_BASE ? new URL(parsed.data.STRIPE_API_BASE) : undefined,
    prices: priceMapFromEnv(env),
  };
}

/** The official SDK, pointed at api.stripe.com or (locally) at the emulator through its host/port/protocol options. */
export function createStripeClient(config: Pick<BillingConfig, 'secretKey' | 'apiBase'>): Stripe {
  if (!config.apiBase) return new Stripe(config.secretKey);
  const protocol = config.apiBase.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(config.secretKey, {
    host: config.apiBase.hostname,
    port: Number(config.apiBase.port || (protocol === 'http' ? 80 : 443)),
    protocol,
  });
}
