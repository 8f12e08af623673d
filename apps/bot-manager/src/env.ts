// The one place process.env is read (manager process only; runners get nothing from the environment).
import { z } from 'zod';

const EnvSchema = z.object({
  DATABASE_URL: z.string().min(1, { error: 'DATABASE_URL is required (a direct/session connection: LISTEN needs one)' }),
  POLYMARKET_CLOB_URL: z.url(),
  POLYMARKET_GAMMA_URL: z.url(),
  POLYMARKET_WS_URL: z.string().regex(/^wss?:\/\//, { error: 'POLYMARKET_WS_URL must be a ws:// or wss:// URL' }),
  BOT_MANAGER_HTTP_HOST: z.string().default('127.0.0.1'),
  BOT_MANAGER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  BOT_MANAGER_ID: z.string().optional(),
  RUNNER_MEMORY_MB: z.coerce.number().int().min(64).default(256),
  HEARTBEAT_MS: z.coerce.number().int().min(50).default(1000),
  HEARTBEAT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  CRASH_BACKOFF_BASE_MS: z.coerce.number().int().min(1).default(500),
  MAX_CRASHES: z.coerce.number().int().min(1).default(5),
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  STATUS_WRITE_MS: z.coerce.number().int().min(50).default(5000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});
export type Env = z.infer<typeof EnvSchema>;

export function parseEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const r = EnvSchema.safeParse(env);
  if (!r.success) throw new Error(`bot-manager configuration: ${z.prettifyError(r.error)}`);
  return r.data;
}
