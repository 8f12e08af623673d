// The only place that reads process.env. Parsed once; a missing or malformed variable fails loudly at start-up
// with the variable's name instead of surfacing later as a confusing runtime error.
import { z } from 'zod';

const ServerEnvSchema = z.object({
  DATABASE_URL: z.string().url({ error: 'DATABASE_URL must be a postgres:// URL' }),
  NEXT_PUBLIC_SUPABASE_URL: z.string().url(),
  NEXT_PUBLIC_SUPABASE_ANON_KEY: z.string().min(20),
  /** Kalshi trade-api base, e.g. https://external-api.kalshi.com/trade-api/v2 or the simulator's /trade-api/v2. */
  KALSHI_API_BASE: z.string().url().default('https://external-api.kalshi.com/trade-api/v2'),
  KALSHI_DEMO_API_BASE: z.string().url().optional(),
  /** Polymarket CLOB host (the simulator's origin locally). */
  POLYMARKET_CLOB_URL: z.string().url().default('https://clob.polymarket.com'),
  /** Polymarket chain: 137 Polygon mainnet, 80002 Amoy. */
  POLYMARKET_CHAIN_ID: z.coerce
    .number()
    .pipe(z.union([z.literal(137), z.literal(80002)]))
    .default(137),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(50).default(5),
  /** Billing is optional: without STRIPE_SECRET_KEY paid plans show "checkout unavailable" and Free still works. */
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_API_BASE: z.string().url().optional(),
  STRIPE_PRICE_BASIC: z.string().optional(),
  STRIPE_PRICE_PRO: z.string().optional(),
  STRIPE_PRICE_ENTERPRISE: z.string().optional(),
  /** Public origin of this app for Stripe's return URLs; defaults to the request's own origin. */
  APP_URL: z.string().url().optional(),
});
export type ServerEnv = z.infer<typeof ServerEnvSchema>;

let cached: ServerEnv | undefined;

/** Server-side environment. Lazy so that `next build` does not need a database. */
export function serverEnv(): ServerEnv {
  cached ??= ServerEnvSchema.parse(process.env);
  return cached;
}

/**
 * Values the browser bundle needs. Next inlines `process.env.NEXT_PUBLIC_*` only when written out literally,
 * so they are read here by name and validated the same way.
 */
export function publicEnv(): { supabaseUrl: string; supabaseAnonKey: string } {
  const parsed = z.object({ supabaseUrl: z.string().url(), supabaseAnonKey: z.string().min(20) }).parse({
    supabaseUrl: process.env.NEXT_PUBLIC_SUPABASE_URL,
    supabaseAnonKey: process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY,
  });
  return parsed;
}
