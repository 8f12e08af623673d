// Local stand-in for Supabase Auth (GoTrue): the `/auth/v1` endpoints supabase-js and @supabase/ssr use for email +
// password, users in auth.users, sessions and rotating refresh tokens in auth.sessions / auth.refresh_tokens,
// ES256 access tokens verifiable through the published JWKS. Dev and tests only — production talks to Supabase.
import type { AddressInfo } from 'node:net';
import { createDb } from '@polybot/db';
import type { AuthContext } from './context.ts';
import { loadOrCreateKeys } from './keys.ts';
import { createAuthMailer, type SmtpOptions } from './mailer.ts';
import { createAuthServer } from './server.ts';
import { SignInLimiter } from './sign-in-limiter.ts';
import { issueApiKey } from './tokens.ts';

export interface LocalAuthOptions {
  /** Connection string for the `postgres` role (it switches to supabase_auth_admin per transaction). */
  databaseUrl: string;
  /** Default 0 (a free port). `npm start` uses 54321, like `supabase start`. */
  port?: number;
  host?: string;
  /** Where the signing key and JWT secret live (e.g. .local/auth-signing-key.json); omitted → ephemeral keys. */
  signingKeyPath?: string;
  /** The web app's URL (GoTrue's SITE_URL). */
  siteUrl?: string;
  /** Access-token lifetime; GoTrue's default is 3600. */
  jwtExpirySeconds?: number;
  /** GoTrue's REFRESH_TOKEN_REUSE_INTERVAL (default 10 s): how long a revoked refresh token may still be swapped. */
  refreshTokenReuseIntervalSeconds?: number;
  /** Failed password sign-ins allowed per email per 5 minutes before 429 (default 30, Supabase's sign-in default). */
  maxFailedSignInsPerEmail?: number;
  onError?: (error: unknown) => void;
  /** Where recovery / confirmation emails go (the local mail sink's smtpUrl). Without it those endpoints answer 500. */
  smtp?: SmtpOptions;
  /** GoTrue's MAILER_AUTOCONFIRM (default true). false: sign-up mails a confirmation link and returns no session. */
  mailerAutoconfirm?: boolean;
  /** How long an emailed link works (GoTrue's MAILER_OTP_EXP, default 3600). */
  emailOtpExpirySeconds?: number;
}

export interface LocalAuth {
  /** Give this to supabase-js as SUPABASE_URL (it appends /auth/v1). */
  url: string;
  anonKey: string;
  serviceRoleKey: string;
  jwksUrl: string;
  /** `iss` of the access tokens: `${url}/auth/v1`. */
  issuer: string;
  close(): Promise<void>;
}

export async function startLocalAuth(options: LocalAuthOptions): Promise<LocalAuth> {
  const host = options.host ?? '127.0.0.1';
  const mailerAutoconfirm = options.mailerAutoconfirm ?? true;
  if (!mailerAutoconfirm && !options.smtp)
    throw new Error('local auth: mailerAutoconfirm: false needs the smtp option');
  const keys = await loadOrCreateKeys(options.signingKeyPath);
  const sql = createDb(options.databaseUrl, { max: 5, applicationName: 'polybot-local-auth' });
  // The issuer names the server's own URL, known only once the port is bound; handlers read it per request.
  const ctx: AuthContext = {
    sql,
    keys,
    issuer: '',
    siteUrl: options.siteUrl ?? 'http://127.0.0.1:3000',
    jwtExpirySeconds: options.jwtExpirySeconds ?? 3600,
    refreshTokenReuseIntervalSeconds: options.refreshTokenReuseIntervalSeconds ?? 10,
    minPasswordLength: 6,
    signInLimiter: new SignInLimiter({ maxFailures: options.maxFailedSignInsPerEmail ?? 30, windowMs: 5 * 60_000 }),
    mailer: options.smtp ? createAuthMailer(options.smtp) : null,
    mailerAutoconfirm,
    emailOtpExpirySeconds: options.emailOtpExpirySeconds ?? 3600,
    emailSendLimiter: new SignInLimiter({ maxFailures: 1, windowMs: 60_000 }),
  };
  const server = createAuthServer(ctx, options.onError ? { onError: options.onError } : {});
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    ctx.mailer?.close();
    await sql.end({ timeout: 5 });
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  ctx.issuer = `${url}/auth/v1`;
  return {
    url,
    anonKey: await issueApiKey(keys, 'anon'),
    serviceRoleKey: await issueApiKey(keys, 'service_role'),
    jwksUrl: `${url}/auth/v1/.well-known/jwks.json`,
    issuer: ctx.issuer,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      ctx.mailer?.close();
      await sql.end({ timeout: 5 });
    },
  };
}
export type { SmtpOptions } from './mailer.ts';
