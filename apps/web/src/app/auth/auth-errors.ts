// What sign-in and sign-up say when Supabase Auth refuses. A person who typed the wrong password must be told so, and
// one who is being rate limited must be told to wait: "wrong password" on a 429 makes them retry (and stay blocked),
// and hides an attack on their account.

/** The part of supabase-js' AuthError that decides the wording. */
export interface AuthRefusal {
  status?: number | undefined;
  code?: string | undefined;
}

export const WRONG_CREDENTIALS = 'Email or password is wrong.';

/**
 * Supabase Auth refills its per-IP sign-in bucket over 5 minutes (the local auth server blocks an email for 5 minutes),
 * so 5 minutes is the longest anyone waits.
 */
export const SIGN_IN_RATE_LIMITED = 'Too many sign-in attempts. Wait 5 minutes, then try again.';
export const SIGN_UP_RATE_LIMITED = 'Too many sign-up attempts. Wait 5 minutes, then try again.';
export const EMAIL_NOT_CONFIRMED = 'Confirm your email address first (follow the link we sent you), then sign in.';
export const AUTH_UNAVAILABLE = 'Sign-in is not available right now. Try again in a moment.';

/** GoTrue's 429 codes (`over_request_rate_limit`; `over_email_send_rate_limit` on sign-up). */
export function isRateLimited(error: AuthRefusal): boolean {
  return (
    error.status === 429 || error.code === 'over_request_rate_limit' || error.code === 'over_email_send_rate_limit'
  );
}

export function signInRefusal(error: AuthRefusal): string {
  if (isRateLimited(error)) return SIGN_IN_RATE_LIMITED;
  if (error.code === 'email_not_confirmed') return EMAIL_NOT_CONFIRMED;
  // No status (the request never got an answer) or a server error: not the user's password.
  if (error.status === undefined || error.status === 0 || error.status >= 500) return AUTH_UNAVAILABLE;
  return WRONG_CREDENTIALS;
}
