// What every handler gets, and GoTrue's requireAuthentication (internal/api/auth.go): a Bearer token that verifies,
// a `sub` naming an existing user, and — when the token names one — a session that still exists.
import type { IncomingHttpHeaders } from 'node:http';
import type { Sql } from 'postgres';
import { z } from 'zod';
import { AuthHttpError, badRequest, forbidden } from './errors.ts';
import type { AuthKeys } from './keys.ts';
import type { AuthMailer } from './mailer.ts';
import type { SignInLimiter } from './sign-in-limiter.ts';
import { asAuthAdmin, findSession, findUserById, type UserRow } from './store.ts';
import { verifyBearer, type VerifiedClaims } from './tokens.ts';

export interface AuthContext {
  sql: Sql;
  keys: AuthKeys;
  /** `<SUPABASE_URL>/auth/v1`: the `iss` of every access token. */
  issuer: string;
  siteUrl: string;
  jwtExpirySeconds: number;
  /** GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL: a revoked token may still be swapped this long after its revocation. */
  refreshTokenReuseIntervalSeconds: number;
  minPasswordLength: number;
  signInLimiter: SignInLimiter;
  /** Sends recovery / confirmation emails; null without an `smtp` option (those endpoints then answer 500). */
  mailer: AuthMailer | null;
  /** GoTrue's MAILER_AUTOCONFIRM: true → sign-up confirms at once and returns a session. */
  mailerAutoconfirm: boolean;
  /** GoTrue's MAILER_OTP_EXP: how long an emailed link works. */
  emailOtpExpirySeconds: number;
  /** One email of each kind (`recovery:<email>`, `confirmation:<email>`) per address per minute (SMTP_MAX_FREQUENCY). */
  emailSendLimiter: SignInLimiter;
}

export interface AuthRequest {
  method: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Path parameters (`/admin/users/:id` → id). */
  params: Partial<Record<string, string>>;
  /** Parsed JSON body (undefined when there was none). */
  body: unknown;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** Extra response headers (GET /verify's redirect). */
  headers?: Record<string, string>;
}

export interface Authenticated {
  claims: VerifiedClaims;
  user: UserRow;
  sessionId: string | undefined;
}

// GoTrue's bearerRegexp: `^(?:B|b)earer (\S+$)`.
const BEARER = /^[Bb]earer (\S+)$/;

export async function requireAuthentication(ctx: AuthContext, req: AuthRequest): Promise<Authenticated> {
  const match = BEARER.exec(req.headers.authorization ?? '');
  const token = match?.[1];
  if (token === undefined) throw new AuthHttpError(401, 'no_authorization', 'This endpoint requires a Bearer token');
  const claims = await verifyBearer(ctx.keys, token);
  if (!claims.sub) throw forbidden('bad_jwt', 'invalid claim: missing sub claim');
  const sub = claims.sub;
  if (!z.uuid().safeParse(sub).success) throw badRequest('bad_jwt', 'invalid claim: sub claim must be a UUID');
  const sessionId =
    claims.session_id && claims.session_id !== '00000000-0000-0000-0000-000000000000' ? claims.session_id : undefined;
  if (sessionId !== undefined && !z.uuid().safeParse(sessionId).success) {
    throw forbidden('bad_jwt', 'invalid claim: session_id claim must be a UUID');
  }
  return asAuthAdmin(ctx.sql, async (tx) => {
    const user = await findUserById(tx, sub);
    if (!user) throw forbidden('user_not_found', 'User from sub claim in JWT does not exist');
    if (sessionId !== undefined && !(await findSession(tx, sessionId))) {
      throw forbidden('session_not_found', 'Session from session_id claim in JWT does not exist');
    }
    return { claims, user, sessionId };
  });
}

/** zod failure → GoTrue's 400 validation_failed, naming the first offending field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw badRequest('validation_failed', `Invalid request body: ${where}${issue?.message ?? 'invalid'}`);
}
