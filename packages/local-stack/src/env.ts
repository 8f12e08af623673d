// The one place local-stack's command-line tools read the environment. Bad values fail at start-up, loudly.
import { z } from 'zod';

const EnvSchema = z.object({
  /** Any Postgres 15+ (or a Supabase project's direct connection). Unset: the embedded local instance. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: 'DATABASE_URL must be a postgres:// or postgresql:// connection string' })
    .optional(),
  POLYBOT_DB_PORT: z.coerce.number().int().min(1024).max(65535).default(54322),
  POLYBOT_AUTH_PORT: z.coerce.number().int().min(1024).max(65535).default(54321),
  POLYBOT_STRIPE_PORT: z.coerce.number().int().min(1024).max(65535).default(12111),
  POLYBOT_EDGE_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  POLYBOT_MANAGER_PORT: z.coerce.number().int().min(1024).max(65535).default(9464),
  POLYBOT_WEB_PORT: z.coerce.number().int().min(1024).max(65535).default(3000),
  POLYBOT_VENUE_SIM_PORT: z.coerce.number().int().min(1024).max(65535).default(4010),
  /** The local mail sink (account emails): its browser inbox and its SMTP port, as `supabase start`'s Inbucket. */
  POLYBOT_MAIL_PORT: z.coerce.number().int().min(1024).max(65535).default(54324),
  POLYBOT_SMTP_PORT: z.coerce.number().int().min(1024).max(65535).default(54325),
  /** The Telegram Bot API stand-in (its API root and the chat page at /chat). */
  POLYBOT_TELEGRAM_PORT: z.coerce.number().int().min(1024).max(65535).default(54328),
  /** Where `npm start` keeps its state (database, auth signing key, Stripe emulator). Default: `.local/` in the repo. */
  POLYBOT_STATE_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});
export type LocalStackEnv = z.infer<typeof EnvSchema>;

export function readEnv(env: NodeJS.ProcessEnv = process.env): LocalStackEnv {
  const parsed = EnvSchema.safeParse({
    ...env,
    DATABASE_URL: env.DATABASE_URL || undefined,
    POLYBOT_STATE_DIR: env.POLYBOT_STATE_DIR || undefined,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Print a connection string without its password. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
