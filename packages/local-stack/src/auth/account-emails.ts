// POST /recover, POST /verify and GET /verify (supabase/auth recover.go, verify.go) for email links:
// - /recover answers 200 `{}` whether or not the email has an account (no account probing) and mails a recovery link
//   when it does. One request per email per minute (GoTrue's SMTP_MAX_FREQUENCY), keyed on the address asked for, so
//   the 429 says nothing about the account either.
// - POST /verify {type, token_hash} → a session (what verifyOtp({token_hash, type}) sends; the SSR flow).
// - GET /verify?token=…&type=…&redirect_to=… → 303 to redirect_to with the session in the fragment (implicit flow),
//   or `#error=access_denied&error_code=otp_expired…`. This is GoTrue's {{ .ConfirmationURL }}; opened by a browser,
//   so it needs no apikey (as behind Supabase's gateway).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parseBody, type AuthContext, type AuthRequest, type Reply } from './context.ts';
import { AuthHttpError, badRequest, forbidden } from './errors.ts';
import { consumeEmailToken, newTokenHash, storeEmailToken, type EmailTokenKind } from './email-tokens.ts';
import { recoveryEmail, confirmationEmail } from './mailer.ts';
import { EMAIL, startSession } from './session-handlers.ts';
import { asAuthAdmin, findUserByEmail, type AuthTx, type UserRow } from './store.ts';
import { toUserJson } from './user-json.ts';

const RecoverBody = z.looseObject({ email: z.string().optional() });
const VerifyBody = z.looseObject({
  type: z.string().optional(),
  token_hash: z.string().optional(),
  token: z.string().optional(),
});

/** verify types → which stored token they may use and the `amr` method of the session they start. */
const VERIFY_TYPES: Record<string, { kinds: EmailTokenKind[]; method: string }> = {
  recovery: { kinds: ['recovery'], method: 'recovery' },
  signup: { kinds: ['confirmation'], method: 'otp' },
  email: { kinds: ['confirmation', 'recovery'], method: 'otp' },
};

const otpExpired = (): AuthHttpError => forbidden('otp_expired', 'Token has expired or is invalid');

export async function recover(ctx: AuthContext, req: AuthRequest): Promise<Reply> {
  const body = parseBody(RecoverBody, req.body);
  const email = (body.email ?? '').trim().toLowerCase();
  if (!email) throw badRequest('validation_failed', 'Password recovery requires an email');
  if (email.length > 255 || !EMAIL.test(email))
    throw badRequest('validation_failed', 'Unable to validate email address: invalid format');
  if (ctx.emailSendLimiter.isBlocked(`recovery:${email}`)) {
    throw new AuthHttpError(
      429,
      'over_email_send_rate_limit',
      'For security purposes, you can only request this after 60 seconds.',
    );
  }
  ctx.emailSendLimiter.recordFailure(`recovery:${email}`); // "failure" = one send counted against the window
  const mailer = requireMailer(ctx, 'Error sending recovery email');
  await asAuthAdmin(ctx.sql, async (tx) => {
    const user = await findUserByEmail(tx, email);
    if (!user || user.deleted_at !== null) return;
    const tokenHash = newTokenHash();
    await storeEmailToken(tx, user.id, 'recovery', tokenHash);
    // Inside the transaction: if the mail cannot be sent, the token is not stored either (GoTrue does the same).
    await sendOrFail(mailer.send(recoveryEmail(ctx.siteUrl, user.email ?? email, tokenHash)), 'recovery');
  });
  return { status: 200, body: {} };
}

/** Signup with confirmations on: store a confirmation token and mail its link (in the sign-up's transaction). */
export async function sendConfirmation(ctx: AuthContext, tx: AuthTx, user: UserRow): Promise<void> {
  const mailer = requireMailer(ctx, 'Error sending confirmation email');
  ctx.emailSendLimiter.recordFailure(`confirmation:${user.email ?? ''}`); // one a minute per address, as recovery
  const tokenHash = newTokenHash();
  await storeEmailToken(tx, user.id, 'confirmation', tokenHash);
  await sendOrFail(mailer.send(confirmationEmail(ctx.siteUrl, user.email ?? '', tokenHash)), 'confirmation');
}

/**
 * Sign-up with confirmations on, for an email that already has an account (GoTrue's signup.go): an unconfirmed one
 * gets its confirmation again (at most one a minute; a second within the minute is skipped, not refused, so the
 * answer does not depend on the account), a confirmed one nothing. Either way the answer looks like a fresh sign-up's;
 * for a confirmed account it is GoTrue's obfuscated user (a random id, no identities), so sign-up tells nobody which
 * emails have accounts.
 */
export async function signupExistingEmail(
  ctx: AuthContext,
  tx: AuthTx,
  email: string,
): Promise<Record<string, unknown>> {
  const existing = await findUserByEmail(tx, email);
  if (existing && existing.email_confirmed_at === null) {
    if (!ctx.emailSendLimiter.isBlocked(`confirmation:${email}`)) await sendConfirmation(ctx, tx, existing);
    return { ...toUserJson(existing), confirmation_sent_at: new Date().toISOString() };
  }
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    aud: 'authenticated',
    role: 'authenticated',
    email,
    phone: '',
    confirmation_sent_at: now,
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: {},
    identities: [],
    created_at: now,
    updated_at: now,
    is_anonymous: false,
  };
}

export async function verifyPost(ctx: AuthContext, req: AuthRequest): Promise<Reply> {
  const body = parseBody(VerifyBody, req.body);
  const type = VERIFY_TYPES[body.type ?? ''];
  if (!type) throw badRequest('validation_failed', `Unsupported verification type: ${body.type ?? '(none)'}`);
  if (!body.token_hash) {
    throw badRequest(
      'validation_failed',
      'Verify requires a token_hash (the local auth server does not support 6-digit email OTPs)',
    );
  }
  const tokenHash = body.token_hash;
  const session = await asAuthAdmin(ctx.sql, async (tx) => {
    const user = await consumeEmailToken(tx, tokenHash, type.kinds, ctx.emailOtpExpirySeconds);
    if (!user) throw otpExpired();
    return startSession(ctx, tx, user, type.method);
  });
  return { status: 200, body: session };
}

export async function verifyGet(ctx: AuthContext, req: AuthRequest): Promise<Reply> {
  const typeName = req.query.get('type') ?? '';
  const type = VERIFY_TYPES[typeName];
  const token = req.query.get('token') ?? '';
  const redirectTo = allowedRedirect(ctx, req.query.get('redirect_to'));
  const fragment = new URLSearchParams();
  const session =
    type && token
      ? await asAuthAdmin(ctx.sql, async (tx) => {
          const user = await consumeEmailToken(tx, token, type.kinds, ctx.emailOtpExpirySeconds);
          return user ? startSession(ctx, tx, user, type.method) : null;
        })
      : null;
  if (session) {
    for (const key of ['access_token', 'expires_at', 'expires_in', 'refresh_token', 'token_type'] as const) {
      fragment.set(key, String(session[key]));
    }
    fragment.set('type', typeName);
  } else {
    fragment.set('error', 'access_denied');
    fragment.set('error_code', 'otp_expired');
    fragment.set('error_description', 'Email link is invalid or has expired');
  }
  const url = new URL(redirectTo);
  url.hash = fragment.toString();
  return { status: 303, headers: { Location: url.toString() } };
}

/** GoTrue's isRedirectURLValid: only the site's own origin here (no URI allow list locally). */
function allowedRedirect(ctx: AuthContext, redirectTo: string | null): string {
  if (redirectTo) {
    try {
      if (new URL(redirectTo).origin === new URL(ctx.siteUrl).origin) return redirectTo;
    } catch {
      // not a URL: fall back to the site URL, as GoTrue does
    }
  }
  return ctx.siteUrl;
}

function requireMailer(ctx: AuthContext, what: string) {
  if (ctx.mailer) return ctx.mailer;
  throw new AuthHttpError(
    500,
    'unexpected_failure',
    what,
    undefined,
    undefined,
    new Error('local auth: no smtp option'),
  );
}

async function sendOrFail(sending: Promise<void>, kind: string): Promise<void> {
  try {
    await sending;
  } catch (error) {
    throw new AuthHttpError(500, 'unexpected_failure', `Error sending ${kind} email`, undefined, undefined, error);
  }
}
