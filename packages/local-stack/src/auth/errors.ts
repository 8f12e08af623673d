// GoTrue's error responses, byte for byte where auth-js looks (supabase/auth internal/api/errors.go).
// auth-js sends `X-Supabase-Api-Version: 2024-01-01`; for that version GoTrue answers `{code: <error code>, message}`
// and echoes the version header, which is what makes auth-js read `code` as the AuthError code. Older clients get
// the legacy `{code: <status>, error_code, msg}` plus an `x-sb-error-code` header. Both are produced here.
import type { ServerResponse } from 'node:http';

export const API_VERSION_HEADER = 'x-supabase-api-version';
export const API_VERSION_2024 = '2024-01-01';

/** The GoTrue error codes this server produces (supabase/auth internal/api/apierrors/errorcode.go). */
export type AuthErrorCode =
  | 'bad_json'
  | 'bad_jwt'
  | 'email_exists'
  | 'email_not_confirmed'
  | 'invalid_credentials'
  | 'no_authorization'
  | 'not_admin'
  | 'not_found'
  | 'otp_expired'
  | 'over_email_send_rate_limit'
  | 'over_request_rate_limit'
  | 'phone_provider_disabled'
  | 'refresh_token_already_used'
  | 'refresh_token_not_found'
  | 'same_password'
  | 'session_not_found'
  | 'unexpected_failure'
  | 'user_already_exists'
  | 'user_banned'
  | 'user_not_found'
  | 'validation_failed'
  | 'weak_password';

export class AuthHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: AuthErrorCode,
    message: string,
    /** Only for weak_password: GoTrue's `weak_password.reasons`. */
    readonly reasons?: readonly string[],
    /** Set for GoTrue's OAuthError responses (`{error, error_description}`, always 400), e.g. a missing refresh_token. */
    readonly oauthError?: string,
    /** What went wrong underneath (logged by the server for 5xx, never sent to the client). */
    readonly internal?: unknown,
  ) {
    super(message);
    this.name = 'AuthHttpError';
  }
}

export const badRequest = (code: AuthErrorCode, message: string): AuthHttpError =>
  new AuthHttpError(400, code, message);
export const forbidden = (code: AuthErrorCode, message: string): AuthHttpError => new AuthHttpError(403, code, message);
export const oauthError = (error: string, description: string): AuthHttpError =>
  new AuthHttpError(400, 'validation_failed', description, undefined, error);
export const unprocessable = (code: AuthErrorCode, message: string): AuthHttpError =>
  new AuthHttpError(422, code, message);

/** Whether the client asked for the 2024-01-01 (or later) error format. */
export function wantsApiVersion2024(headerValue: string | string[] | undefined): boolean {
  const value = Array.isArray(headerValue) ? headerValue[0] : headerValue;
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  return Date.parse(`${value}T00:00:00Z`) >= Date.parse(`${API_VERSION_2024}T00:00:00Z`);
}

export function writeAuthError(
  res: ServerResponse,
  error: AuthHttpError,
  apiVersionHeader: string | string[] | undefined,
): void {
  res.setHeader('Content-Type', 'application/json');
  if (error.oauthError !== undefined) {
    res.statusCode = 400;
    res.end(JSON.stringify({ error: error.oauthError, error_description: error.message }));
    return;
  }
  const weak = error.reasons ? { weak_password: { reasons: [...error.reasons] } } : {};
  let body: Record<string, unknown>;
  if (wantsApiVersion2024(apiVersionHeader)) {
    res.setHeader('X-Supabase-Api-Version', API_VERSION_2024);
    body = { code: error.errorCode, message: error.message, ...weak };
  } else {
    res.setHeader('x-sb-error-code', error.errorCode);
    body = { code: error.status, error_code: error.errorCode, msg: error.message, ...weak };
  }
  res.statusCode = error.status;
  res.end(JSON.stringify(body));
}
