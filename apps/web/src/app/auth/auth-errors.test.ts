import { describe, expect, it } from 'vitest';
import {
  AUTH_UNAVAILABLE,
  EMAIL_NOT_CONFIRMED,
  isRateLimited,
  SIGN_IN_RATE_LIMITED,
  signInRefusal,
  WRONG_CREDENTIALS,
} from './auth-errors.ts';

describe('signInRefusal', () => {
  it('says wrong email or password for invalid credentials', () => {
    expect(signInRefusal({ status: 400, code: 'invalid_credentials' })).toBe(WRONG_CREDENTIALS);
  });

  it("says to wait on GoTrue's 429, whatever the code", () => {
    expect(signInRefusal({ status: 429, code: 'over_request_rate_limit' })).toBe(SIGN_IN_RATE_LIMITED);
    expect(signInRefusal({ status: 429, code: undefined })).toBe(SIGN_IN_RATE_LIMITED);
    expect(SIGN_IN_RATE_LIMITED).toMatch(/Wait 5 minutes/);
  });

  it('tells an unconfirmed email apart, and a service failure from a wrong password', () => {
    expect(signInRefusal({ status: 400, code: 'email_not_confirmed' })).toBe(EMAIL_NOT_CONFIRMED);
    expect(signInRefusal({ status: 500, code: 'unexpected_failure' })).toBe(AUTH_UNAVAILABLE);
    expect(signInRefusal({ status: 0 })).toBe(AUTH_UNAVAILABLE);
    expect(signInRefusal({})).toBe(AUTH_UNAVAILABLE);
  });
});

describe('isRateLimited', () => {
  it('is true for the 429 codes only', () => {
    expect(isRateLimited({ status: 429, code: 'over_email_send_rate_limit' })).toBe(true);
    expect(isRateLimited({ status: 422, code: 'user_already_exists' })).toBe(false);
  });
});
