// The one place process.env is read (manager process only; runners get only what Node needs: runnerEnv).
import { createPrivateKey } from 'node:crypto';
import { WEBHOOK_POLICY_ENV } from '@polybot/notify/env';
import { z } from 'zod';
import { checkLeaseTiming } from './manager/coordination/types.ts';
import {
  checkNotificationEnv,
  DEFAULT_TELEGRAM_API_ROOT,
  isHttpOrigin,
  isSmtpUrl,
  UNSUBSCRIBE_SECRET_MIN,
} from './notifications/config.ts';

const optionalNonEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const EnvSchema = z
  .object({
    DATABASE_URL: z
      .string()
      .min(1, { error: 'DATABASE_URL is required (a direct/session connection: LISTEN needs one)' }),
    POLYMARKET_CLOB_URL: z.url(),
    POLYMARKET_GAMMA_URL: z.url(),
    POLYMARKET_WS_URL: z.string().regex(/^wss?:\/\//, { error: 'POLYMARKET_WS_URL must be a ws:// or wss:// URL' }),
    /** Kalshi trade-api v2 base URL; absent = Kalshi market data off. */
    KALSHI_API_URL: z.url().optional(),
    KALSHI_WS_URL: z
      .string()
      .regex(/^wss?:\/\//, { error: 'KALSHI_WS_URL must be a ws:// or wss:// URL' })
      .optional(),
    /** Platform (not user) Kalshi key for the authenticated book stream; both or neither. Without it: REST polling. */
    KALSHI_MARKET_DATA_KEY_ID: z.string().min(1).optional(),
    KALSHI_MARKET_DATA_PRIVATE_KEY_PEM: z
      .string()
      .optional()
      .refine((pem) => pem === undefined || isPrivateKeyPem(pem), {
        error: 'KALSHI_MARKET_DATA_PRIVATE_KEY_PEM must be an RSA private key in PEM (\\n escapes allowed)',
      }),
    KALSHI_POLL_INTERVAL_MS: z.coerce.number().int().min(100).default(1000),
    /** Polymarket's public data-API (followed wallets' trades for copy trading); absent = no wallet feed. */
    POLYMARKET_DATA_API_URL: z.url().optional(),
    WALLET_POLL_INTERVAL_MS: z.coerce.number().int().min(250).default(2000),
    /** Most data-API polls per wallet round; followers take turns within it (manager/wallet-poll-order.ts). */
    WALLET_POLL_BUDGET: z.coerce.number().int().min(1).default(100),
    /** News feeds for news rules, `name=url,name=url` (RSS 2.0 URLs; a rule names its feed); absent = no news feed. */
    NEWS_FEEDS: z
      .string()
      .optional()
      .transform((v, ctx) => {
        const out: Record<string, string> = {};
        for (const part of (v ?? '')
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)) {
          const eq = part.indexOf('=');
          const name = eq > 0 ? part.slice(0, eq).trim() : '';
          const url = part.slice(eq + 1).trim();
          if (
            !/^[a-z0-9][a-z0-9._-]{0,99}$/i.test(name) ||
            !z.url({ protocol: /^https?$/ }).safeParse(url).success ||
            out[name] !== undefined
          ) {
            ctx.addIssue({
              code: 'custom',
              message: `NEWS_FEEDS entry "${part}" must be name=http(s)://url with a unique name`,
            });
            return z.NEVER;
          }
          out[name] = url;
        }
        return out;
      }),
    NEWS_POLL_INTERVAL_MS: z.coerce.number().int().min(250).default(5000),
    BOT_MANAGER_HTTP_HOST: z.string().default('127.0.0.1'),
    BOT_MANAGER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
    /** This manager's name among many (in Kubernetes the pod name); unset = host:pid. */
    BOT_MANAGER_ID: z.string().min(1).max(200).optional(),
    /** Many managers (ARCHITECTURE §7.9): how long a lease lasts unrenewed, how often it is renewed, and how long
     * before it could expire the manager stops its runners. LEASE_SAFETY_MS < LEASE_TTL_MS − LEASE_RENEW_MS. */
    LEASE_TTL_MS: z.coerce.number().int().min(1000).max(600_000).default(15_000),
    LEASE_RENEW_MS: z.coerce.number().int().min(100).default(3000),
    LEASE_SAFETY_MS: z.coerce.number().int().min(100).default(5000),
    RUNNER_MEMORY_MB: z.coerce.number().int().min(64).default(256),
    /** Resident memory budget per runner (VmRSS); unset = twice RUNNER_MEMORY_MB. Over it, the runner is killed. */
    RUNNER_RSS_LIMIT_MB: z.coerce.number().int().min(64).optional(),
    MEMORY_CHECK_MS: z.coerce.number().int().min(100).default(5000),
    /** CPU budget per runner, a share of one core averaged over RUNNER_CPU_WINDOW_MS (manager/cpu-budget.ts). */
    RUNNER_CPU_BUDGET_CORES: z.coerce.number().gt(0).max(64).default(0.5),
    RUNNER_CPU_WINDOW_MS: z.coerce.number().int().min(100).default(10_000),
    /** How long a runner over its CPU budget makes no decisions. */
    RUNNER_CPU_THROTTLE_MS: z.coerce.number().int().min(100).default(30_000),
    /** Windows over budget (no unthrottled one under it between them) after which the bot is stopped (cpu_budget). */
    RUNNER_CPU_STOP_WINDOWS: z.coerce.number().int().min(1).default(6),
    HEARTBEAT_MS: z.coerce.number().int().min(50).default(1000),
    HEARTBEAT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    /** How long a stopping runner may take to finish the decision in flight before it is killed. */
    STOP_GRACE_MS: z.coerce.number().int().min(100).default(10_000),
    CRASH_BACKOFF_BASE_MS: z.coerce.number().int().min(1).default(500),
    MAX_CRASHES: z.coerce.number().int().min(1).default(5),
    RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
    /** /healthz's database check: how often the query pool runs select 1, and how long an answer may take. */
    DB_PROBE_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
    DB_PROBE_TIMEOUT_MS: z.coerce.number().int().min(50).default(2000),
    /** How often the link matcher proposes cross-venue market links for admin review; 0 = never. */
    LINK_PROPOSAL_INTERVAL_MS: z.coerce
      .number()
      .int()
      .refine((n) => n === 0 || n >= 1000, { error: 'LINK_PROPOSAL_INTERVAL_MS must be 0 (off) or at least 1000' })
      .default(300_000),
    MARKET_REFRESH_MS: z.coerce.number().int().min(100).default(30_000),
    STATUS_WRITE_MS: z.coerce.number().int().min(50).default(5000),
    /** Keys stay true: how old a valid key's last check may get before it is checked with the venue again. */
    KEY_REVALIDATE_MS: z.coerce.number().int().min(1000).default(3_600_000),
    /** Kalshi's demo environment (trade-api v2 base URL): paper Kalshi keys are checked and paper-traded there. */
    KALSHI_DEMO_API_URL: z.url().optional(),
    /** Inbound silence on a market-data socket with subscriptions after which it resubscribes/reconnects. */
    FEED_SILENCE_MS: z.coerce.number().int().min(100).default(20_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    /** The OS user runners run as when the manager is root (a name or numeric uid); unset = nobody. Never root. */
    RUNNER_USER: z.string().min(1).optional(),
    /** Their group (a name or numeric gid); unset = the user's primary group. */
    RUNNER_GROUP: z.string().min(1).optional(),
    // The notification worker (notifications/config.ts, docs/NOTIFICATIONS.md "Worker").
    /** `on` (default): this manager runs a notification worker; `off`: it does not (another manager's does). */
    NOTIFY_WORKER: z.enum(['on', 'off']).default('on'),
    NOTIFY_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    /** The web app's public origin; required while the worker is on. */
    APP_URL: optionalNonEmpty(
      z
        .string()
        .refine(isHttpOrigin, {
          error: 'APP_URL must be an http(s) origin without a path, e.g. https://app.example.com',
        })
        .transform((v) => new URL(v).origin),
    ),
    /** smtp://… or smtps://user:pass@host:465; unset = the platform sends no notification email. */
    NOTIFY_SMTP_URL: optionalNonEmpty(
      z.string().refine(isSmtpUrl, { error: 'NOTIFY_SMTP_URL must be an smtp:// or smtps:// URL' }),
    ),
    /** `PolyBot <notifications@example.com>` or a bare address. */
    NOTIFY_MAIL_FROM: optionalNonEmpty(
      z.string().regex(/^(?:[^<>]*<[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+>|[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+)$/, {
        error: 'NOTIFY_MAIL_FROM must be an address or "Name <address>"',
      }),
    ),
    /** Signs unsubscribe tokens (the web verifies them with the same secret). */
    NOTIFY_UNSUBSCRIBE_SECRET: optionalNonEmpty(
      z.string().min(UNSUBSCRIBE_SECRET_MIN, {
        error: `NOTIFY_UNSUBSCRIBE_SECRET must be at least ${UNSUBSCRIBE_SECRET_MIN} characters`,
      }),
    ),
    /** The platform bot's token from BotFather (`<bot id>:<secret>`); unset = no Telegram messages. */
    TELEGRAM_BOT_TOKEN: optionalNonEmpty(
      z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, { error: 'TELEGRAM_BOT_TOKEN must look like <bot id>:<secret>' }),
    ),
    TELEGRAM_API_ROOT: z.url({ protocol: /^https?$/ }).default(DEFAULT_TELEGRAM_API_ROOT),
    ...WEBHOOK_POLICY_ENV,
  })
  .refine((e) => (e.KALSHI_MARKET_DATA_KEY_ID === undefined) === (e.KALSHI_MARKET_DATA_PRIVATE_KEY_PEM === undefined), {
    error: 'set both KALSHI_MARKET_DATA_KEY_ID and KALSHI_MARKET_DATA_PRIVATE_KEY_PEM, or neither',
    path: ['KALSHI_MARKET_DATA_KEY_ID'],
  })
  .superRefine((e, ctx) => {
    try {
      checkLeaseTiming({ ttlMs: e.LEASE_TTL_MS, renewMs: e.LEASE_RENEW_MS, safetyMs: e.LEASE_SAFETY_MS });
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message, path: ['LEASE_SAFETY_MS'] });
    }
    checkNotificationEnv(e, (message, path) => ctx.addIssue({ code: 'custom', message, path: [path] }));
  })
  .refine(
    (e) =>
      e.KALSHI_MARKET_DATA_KEY_ID === undefined || (e.KALSHI_API_URL !== undefined && e.KALSHI_WS_URL !== undefined),
    {
      error: 'a Kalshi market-data key needs KALSHI_API_URL and KALSHI_WS_URL',
      path: ['KALSHI_WS_URL'],
    },
  );
export type Env = z.infer<typeof EnvSchema>;

/** Env files often carry a PEM on one line with literal \n. */
export const unescapePem = (pem: string): string => pem.replace(/\\n/g, '\n');

function isPrivateKeyPem(pem: string): boolean {
  try {
    return createPrivateKey(unescapePem(pem)).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

export function parseEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const r = EnvSchema.safeParse(env);
  if (!r.success) throw new Error(`bot-manager configuration: ${z.prettifyError(r.error)}`);
  return r.data;
}

/**
 * A forked runner's whole environment: only what Node itself needs. The manager's environment (database URL, API
 * tokens) never reaches a runner. Read at each fork, as the manager's own environment is.
 */
export function runnerEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG', 'NODE_PATH']) {
    const v = env[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}
