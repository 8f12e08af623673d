import { describe, expect, it } from 'vitest';
import { SignInLimiter } from './sign-in-limiter.ts';

describe('SignInLimiter', () => {
  it('blocks an email after maxFailures within the window, per email and case-insensitively, until the window passes', () => {
    let now = 1_000_000;
    const limiter = new SignInLimiter({ maxFailures: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 2; i++) limiter.recordFailure('A@x.test');
    expect(limiter.isBlocked('a@x.test')).toBe(false);
    limiter.recordFailure('a@x.test');
    expect(limiter.isBlocked('A@X.TEST')).toBe(true);
    expect(limiter.isBlocked('b@x.test')).toBe(false);
    now += 60_001;
    expect(limiter.isBlocked('a@x.test')).toBe(false);
  });

  it('forgets failures after a successful sign-in', () => {
    const limiter = new SignInLimiter({ maxFailures: 2, windowMs: 60_000 });
    limiter.recordFailure('c@x.test');
    limiter.recordSuccess('c@x.test');
    limiter.recordFailure('c@x.test');
    expect(limiter.isBlocked('c@x.test')).toBe(false);
  });
});
