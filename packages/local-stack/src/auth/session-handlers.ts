// POST /signup and POST /token (grant_type=password | refresh_token), following supabase/auth signup.go, token.go and
// token_refresh.go with email confirmations off (mailer_autoconfirm) sign-up answers with a session; on, it mails a link
// (account-emails.ts) and answers with the unconfirmed user.
import { z } from 'zod';
import { parseBody, type AuthContext, type AuthRequest, type Reply } from './context.ts';
import { AuthHttpError, badRequest, oauthError, unprocessable } from './errors.ts';
import { hashPassword, verifyPassword } from './password.ts';
import {
  activeRefreshToken,
  asAuthAdmin,
  createSession,
  deleteRefreshToken,
  findUserByEmail,
  findUserById,
  insertUser,
  lockRefreshToken,
  lockSession,
  recordSignIn,
  revokeTokenFamily,
  swapRefreshToken,
  type AuthTx,
  type UserRow,
} from './store.ts';
import { issueAccessToken } from './tokens.ts';
import { toSessionJson, toUserJson } from './user-json.ts';
import { sendConfirmation, signupExistingEmail } from './account-emails.ts';

const MetaSecurity = z.looseObject({ captcha_token: z.string().optional() }).optional();

const SignupBody = z.looseObject({
  email: z.string().optional(),
  phone: z.string().optional(),
  password: z.string().optional(),
  data: z.record(z.string(), z.unknown()).nullish(),
  gotrue_meta_security: MetaSecurity,
});

const PasswordGrantBody = z.looseObject({
  email: z.string().optional(),
  phone: z.string().optional(),
  password: z.string().optional(),
  gotrue_meta_security: MetaSecurity,
});

const RefreshGrantBody = z.looseObject({ refresh_token: z.string().optional() });

// GoTrue's own check is a regexp plus length; this accepts what a browser's type=email accepts.
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkPasswordStrength(ctx: AuthContext, password: string): void {
  if ([...password].length < ctx.minPasswordLength) {
    throw new AuthHttpError(422, 'weak_password', `Password should be at least ${ctx.minPasswordLength} characters.`, [
      'length',
    ]);
  }
}

export async function signup(ctx: AuthContext, req: AuthRequest): Promise<Reply> {
  const body = parseBody(SignupBody, req.body);
  if (!body.email) {
    if (body.phone) throw unprocessable('phone_provider_disabled', 'Phone signups are disabled');
    throw badRequest('validation_failed', 'To signup, please provide your email');
  }
  if (!body.password) throw badRequest('validation_failed', 'Signup requires a valid password');
  const email = body.email.trim().toLowerCase();
  if (email.length > 255 || !EMAIL.test(email))
    throw badRequest('validation_failed', 'Unable to validate email address: invalid format');
  checkPasswordStrength(ctx, body.password);
  const encryptedPassword = await hashPassword(ctx.sql, body.password);
  const result = await asAuthAdmin(ctx.sql, async (tx) => {
    let user: UserRow | null;
    try {
      user = await insertUser(tx, {
        email,
        encryptedPassword,
        userMetadata: body.data ?? {},
        confirmed: ctx.mailerAutoconfirm,
      });
    } catch (error) {
      // E.g. handle_new_user failed: GoTrue's answer, with the database's reason kept for the server log only.
      throw new AuthHttpError(500, 'unexpected_failure', 'Database error saving new user', undefined, undefined, error);
    }
    if (!user) {
      if (!ctx.mailerAutoconfirm) return signupExistingEmail(ctx, tx, email);
      throw unprocessable('user_already_exists', 'User already registered');
    }
    if (!ctx.mailerAutoconfirm) {
      // GoTrue with confirmations on: mail the link, answer with the user and no session.
      await sendConfirmation(ctx, tx, user);
      const unconfirmed = (await findUserById(tx, user.id)) ?? user;
      return { ...toUserJson(unconfirmed), confirmation_sent_at: new Date().toISOString() };
    }
    return startSession(ctx, tx, user);
  });
  return { status: 200, body: result };
}

export async function token(ctx: AuthContext, req: AuthRequest): Promise<Reply> {
  const grantType = req.query.get('grant_type');
  if (grantType === 'password') return { status: 200, body: await passwordGrant(ctx, req) };
  if (grantType === 'refresh_token') return { status: 200, body: await refreshGrant(ctx, req) };
  throw badRequest(
    'validation_failed',
    `unsupported_grant_type: ${grantType ?? '(none)'}; the local auth server supports password and refresh_token`,
  );
}

async function passwordGrant(ctx: AuthContext, req: AuthRequest): Promise<Record<string, unknown>> {
  const body = parseBody(PasswordGrantBody, req.body);
  if (!body.email) {
    if (body.phone) throw unprocessable('phone_provider_disabled', 'Phone logins are disabled');
    throw badRequest('validation_failed', 'missing email or phone');
  }
  const email = body.email.trim();
  const password = body.password ?? '';
  if (ctx.signInLimiter.isBlocked(email))
    throw new AuthHttpError(429, 'over_request_rate_limit', 'Request rate limit reached');
  const user = await asAuthAdmin(ctx.sql, (tx) => findUserByEmail(tx, email));
  // Same answer (and one bcrypt either way) whether the email is unknown or the password wrong: no account probing.
  const ok = await verifyPassword(ctx.sql, password, user?.encrypted_password ?? null);
  if (!user || !ok || user.deleted_at !== null) {
    ctx.signInLimiter.recordFailure(email);
    throw badRequest('invalid_credentials', 'Invalid login credentials');
  }
  ctx.signInLimiter.recordSuccess(email);
  if (isBanned(user)) throw badRequest('user_banned', 'User is banned');
  if (user.email_confirmed_at === null) throw badRequest('email_not_confirmed', 'Email not confirmed');
  return asAuthAdmin(ctx.sql, (tx) => startSession(ctx, tx, user));
}

export async function startSession(
  ctx: AuthContext,
  tx: AuthTx,
  user: UserRow,
  method = 'password',
): Promise<Record<string, unknown>> {
  const { session, refreshToken } = await createSession(tx, user.id);
  const signedIn = (await recordSignIn(tx, user.id)) ?? user;
  const amr = [{ method, timestamp: Math.floor((session.created_at ?? new Date()).getTime() / 1000) }];
  const access = await issueAccessToken(ctx.keys, {
    user: signedIn,
    sessionId: session.id,
    amr,
    issuer: ctx.issuer,
    expirySeconds: ctx.jwtExpirySeconds,
  });
  return toSessionJson({
    accessToken: access.token,
    expiresIn: ctx.jwtExpirySeconds,
    expiresAt: access.expiresAt,
    refreshToken,
    user: signedIn,
  });
}

type RefreshOutcome = { kind: 'issued'; body: Record<string, unknown> } | { kind: 'error'; error: AuthHttpError };

async function refreshGrant(ctx: AuthContext, req: AuthRequest): Promise<Record<string, unknown>> {
  const body = parseBody(RefreshGrantBody, req.body);
  if (!body.refresh_token) throw oauthError('invalid_request', 'refresh_token required');
  const presented = body.refresh_token;
  // Errors that must still commit (the family revocation on reuse) come back as values and are thrown afterwards.
  const outcome = await asAuthAdmin(ctx.sql, async (tx): Promise<RefreshOutcome> => {
    const row = await lockRefreshToken(tx, presented);
    if (!row) throw badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
    const session = row.session_id === null ? null : await lockSession(tx, row.session_id);
    if (!session) {
      await deleteRefreshToken(tx, row.id);
      return { kind: 'error', error: badRequest('session_not_found', 'Invalid Refresh Token: No Valid Session Found') };
    }
    const user = await findUserById(tx, session.user_id);
    if (!user) throw badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
    if (isBanned(user)) throw badRequest('user_banned', 'Invalid Refresh Token: User Banned');

    let issued: string | undefined;
    if (row.revoked) {
      const active = await activeRefreshToken(tx, session.id);
      if (active && active.parent === row.token) {
        // The client lost the answer to its last refresh: hand back the live child instead of minting another.
        issued = active.token;
      } else {
        const revokedAt = (row.updated_at ?? new Date(0)).getTime();
        if (Date.now() > revokedAt + ctx.refreshTokenReuseIntervalSeconds * 1000) {
          await revokeTokenFamily(tx, session.id);
          return {
            kind: 'error',
            error: badRequest('refresh_token_already_used', 'Invalid Refresh Token: Already Used'),
          };
        }
      }
    }
    issued ??= await swapRefreshToken(tx, row, user.id, session.id);
    const amr = [{ method: 'password', timestamp: Math.floor((session.created_at ?? new Date()).getTime() / 1000) }];
    const access = await issueAccessToken(ctx.keys, {
      user,
      sessionId: session.id,
      amr,
      issuer: ctx.issuer,
      expirySeconds: ctx.jwtExpirySeconds,
    });
    return {
      kind: 'issued',
      body: toSessionJson({
        accessToken: access.token,
        expiresIn: ctx.jwtExpirySeconds,
        expiresAt: access.expiresAt,
        refreshToken: issued,
        user,
      }),
    };
  });
  if (outcome.kind === 'error') throw outcome.error;
  return outcome.body;
}

function isBanned(user: UserRow): boolean {
  return user.banned_until !== null && user.banned_until.getTime() > Date.now();
}
