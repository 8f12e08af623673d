// The only place that reads process.env. Parsed once; a missing or malformed variable fails loudly at start-up
// with the variable's name instead of surfacing later as a confusing runtime error.
import { WEBHOOK_POLICY_ENV } from '@polybot/notify/env';
import { z } from 'zod';

// An origin only (scheme, host, port): a path here would silently end up in every return URL.
function isHttpOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.pathname === '/' && !url.search && !url.hash && !url.username;
  } catch {
    return false;
  }
}
const AppUrlSchema = z
  .string()
  .refine(isHttpOrigin, { error: 'APP_URL must be an http(s) origin without a path, e.g. https://app.example.com' })
  .transform((v) => new URL(v).origin);

/** An http(s) URL without a trailing slash (an API root or a link base that paths are appended to). */
const HttpBaseSchema = z
  .string()
  .url()
  .refine((v) => /^https?:\/\//.test(v), { error: 'must be an http(s) URL' })
  .transform((v) => v.replace(/\/+$/, ''));

/** An empty variable (`FOO=` in a .env file) is an unset one, not a malformed value. */
function blankIsUnset<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === '' ? undefined : v), schema);
}

const ServerEnvShape = z.object({
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
  /**
   * Public origin of this app (https://app.example.com): Stripe's return URLs and whether auth cookies are `Secure`.
   * Required in production — never taken from the request's Host / X-Forwarded-* headers, which a client can forge.
   */
  APP_URL: AppUrlSchema.optional(),
  // Notifications (docs/NOTIFICATIONS.md "Settings page"); the bot-manager reads the same names.
  /** SMTP for the email channel's confirmation and test mails (smtps://user:pass@host:465). Unset: no email channel. */
  NOTIFY_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, { error: 'NOTIFY_SMTP_URL must be an smtp:// or smtps:// URL' })
    .optional(),
  /** The sender of notification mail, e.g. `PolyBot <notifications@example.com>`; required with NOTIFY_SMTP_URL. */
  NOTIFY_MAIL_FROM: z.string().trim().min(3).optional(),
  /** Signs unsubscribe links (the manager signs, this app verifies); required with NOTIFY_SMTP_URL. */
  NOTIFY_UNSUBSCRIBE_SECRET: z
    .string()
    .min(32, { error: 'NOTIFY_UNSUBSCRIBE_SECRET must be at least 32 characters' })
    .optional(),
  ...WEBHOOK_POLICY_ENV,
  NODE_ENV: z.string().optional(),
  // --- Telegram bot (optional: all of token, username and webhook secret, or none — then Telegram is off) ---
  /** The platform bot's token from BotFather, `<bot id>:<secret>`. */
  TELEGRAM_BOT_TOKEN: blankIsUnset(
    z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'TELEGRAM_BOT_TOKEN must be <bot id>:<secret>')
      .optional(),
  ),
  /** Bot API root: Telegram's in production, the local stand-in's `url` locally. */
  TELEGRAM_API_ROOT: blankIsUnset(HttpBaseSchema.default('https://api.telegram.org')),
  /** The bot's @username without the @ (deep links `${TELEGRAM_LINK_BASE}/<username>?start=<token>`). */
  TELEGRAM_BOT_USERNAME: blankIsUnset(
    z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{4,31}$/, 'TELEGRAM_BOT_USERNAME must be the bot username without @')
      .optional(),
  ),
  /** What setWebhook was given as secret_token; every webhook call must carry it (X-Telegram-Bot-Api-Secret-Token). */
  TELEGRAM_WEBHOOK_SECRET: blankIsUnset(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{32,256}$/, 'TELEGRAM_WEBHOOK_SECRET must be 32–256 characters of A–Z, a–z, 0–9, _ and -')
      .optional(),
  ),
  /** Where deep links open: https://t.me in production, the stand-in's chat page (`${url}/chat`) locally. */
  TELEGRAM_LINK_BASE: blankIsUnset(HttpBaseSchema.default('https://t.me')),
});

/** Where `next dev` listens by default; used only outside production when APP_URL is unset. */
export const DEV_APP_URL = 'http://localhost:3000';

const ServerEnvSchema = ServerEnvShape.superRefine((env, ctx) => {
  if (env.NODE_ENV === 'production' && !env.APP_URL)
    ctx.addIssue({
      code: 'custom',
      path: ['APP_URL'],
      message:
        "APP_URL is required in production: the app's public origin (e.g. https://app.example.com), used for " +
        "Stripe's return URLs instead of request headers",
    });
  // Every email carries an unsubscribe link, and it must come from somewhere: mail needs a sender and a secret.
  if (env.NOTIFY_SMTP_URL)
    for (const name of ['NOTIFY_MAIL_FROM', 'NOTIFY_UNSUBSCRIBE_SECRET'] as const)
      if (!env[name])
        ctx.addIssue({ code: 'custom', path: [name], message: `${name} is required when NOTIFY_SMTP_URL is set` });
  requireTelegramTogether(env, ctx);
}).transform(({ APP_URL, NODE_ENV, ...rest }) => ({
  ...rest,
  APP_URL: APP_URL ?? DEV_APP_URL,
  /** `next dev`: React and the dev server need eval (the CSP allows it only then). */
  isDevelopment: NODE_ENV === 'development',
  telegram: telegramConfigOf(rest),
}));
export type ServerEnv = z.infer<typeof ServerEnvSchema>;

/** The Telegram bot's configuration, parsed from the TELEGRAM_* variables; null while Telegram is off. */
export interface TelegramConfig {
  token: string;
  apiRoot: string;
  botUsername: string;
  webhookSecret: string;
  linkBase: string;
}

type TelegramVars = Pick<
  z.output<typeof ServerEnvShape>,
  | 'TELEGRAM_BOT_TOKEN'
  | 'TELEGRAM_API_ROOT'
  | 'TELEGRAM_BOT_USERNAME'
  | 'TELEGRAM_WEBHOOK_SECRET'
  | 'TELEGRAM_LINK_BASE'
>;
const TELEGRAM_REQUIRED = ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_BOT_USERNAME', 'TELEGRAM_WEBHOOK_SECRET'] as const;

// Half a configuration is a mistake, not "off": a bot that answers no webhook, or a webhook nobody can verify.
function requireTelegramTogether(env: TelegramVars, ctx: z.RefinementCtx): void {
  const set = TELEGRAM_REQUIRED.filter((name) => env[name] !== undefined);
  if (set.length === 0 || set.length === TELEGRAM_REQUIRED.length) return;
  for (const name of TELEGRAM_REQUIRED)
    if (env[name] === undefined)
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: `${name} is required when ${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set (Telegram needs the bot token, its username and the webhook secret together)`,
      });
}

function telegramConfigOf(env: TelegramVars): TelegramConfig | null {
  const { TELEGRAM_BOT_TOKEN: token, TELEGRAM_BOT_USERNAME: botUsername, TELEGRAM_WEBHOOK_SECRET: secret } = env;
  if (!token || !botUsername || !secret) return null;
  return {
    token,
    apiRoot: env.TELEGRAM_API_ROOT,
    botUsername,
    webhookSecret: secret,
    linkBase: env.TELEGRAM_LINK_BASE,
  };
}

const TelegramEnvSchema = ServerEnvShape.pick({
  TELEGRAM_BOT_TOKEN: true,
  TELEGRAM_API_ROOT: true,
  TELEGRAM_BOT_USERNAME: true,
  TELEGRAM_WEBHOOK_SECRET: true,
  TELEGRAM_LINK_BASE: true,
})
  .superRefine(requireTelegramTogether)
  .transform(telegramConfigOf);

/**
 * Only the TELEGRAM_* variables (the webhook registration script, which needs no database): the same rules as
 * parseServerEnv. Null while Telegram is off.
 */
export function parseTelegramEnv(env: Record<string, string | undefined>): TelegramConfig | null {
  return TelegramEnvSchema.parse(env);
}

/** Parses an environment (process.env at run time; tests pass their own). Throws naming each bad variable. */
export function parseServerEnv(env: Record<string, string | undefined>): ServerEnv {
  return ServerEnvSchema.parse(env);
}

let cached: ServerEnv | undefined;

/** Server-side environment. Lazy so that `next build` does not need a database. */
export function serverEnv(): ServerEnv {
  cached ??= parseServerEnv(process.env);
  return cached;
}

/**
 * Called once when the server boots (src/instrumentation.ts), so a missing or malformed variable — APP_URL in
 * production above all — stops `next start` with the variable's name instead of failing the first request. Not while
 * `next build` runs: the build needs no database and gets none.
 */
export function checkServerEnvAtBoot(): void {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  serverEnv();
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
