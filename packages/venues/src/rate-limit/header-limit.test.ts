// The venue's own rate-limit word: Poly-RateLimit-* headers and Retry-After hold the next request; Kalshi's tiers.
import { describe, expect, it } from 'vitest';
import { HeaderRateLimiter, kalshiTierLimits, retryAfterMs } from './index.ts';

describe('HeaderRateLimiter', () => {
  it('an empty bucket (Remaining < 1) holds requests until Poly-RateLimit-Reset; tokens left hold nothing', () => {
    let now = 1_000_000;
    const limiter = new HeaderRateLimiter({ now: () => now });
    limiter.observe(200, {
      'poly-ratelimit-remaining': '5',
      'poly-ratelimit-reset': '1000',
      'poly-ratelimit-tier': 'standard',
    });
    expect(limiter.waitMs()).toBe(0);
    expect(limiter.state).toMatchObject({ remaining: 5, tier: 'standard', refused: 0 });
    limiter.observe(200, { 'Poly-RateLimit-Remaining': '0', 'Poly-RateLimit-Reset': '1002' });
    expect(limiter.waitMs()).toBe(2_000);
    now += 2_000;
    expect(limiter.waitMs()).toBe(0);
  });

  it('429 waits Retry-After (seconds or a date), else the reset, else a second; capped; warnings counted', () => {
    const now = 5_000_000;
    const limiter = new HeaderRateLimiter({ now: () => now, maxWaitMs: 30_000 });
    limiter.observe(429, { 'retry-after': '3', 'poly-ratelimit-remaining': '-2' });
    expect(limiter.waitMs()).toBe(3_000);
    expect(limiter.state).toMatchObject({ remaining: -2, refused: 1 });
    limiter.observe(429, { 'retry-after': '3600' });
    expect(limiter.waitMs()).toBe(30_000);
    const bare = new HeaderRateLimiter({ now: () => now });
    bare.observe(429, {});
    expect(bare.waitMs()).toBe(1_000);
    bare.observe(200, { 'Poly-RateLimit-Warning': 'true' });
    expect(bare.state.warnings).toBe(1);
    expect(retryAfterMs({ 'Retry-After': new Date(now + 4_000).toUTCString() }, now)).toBe(4_000);
    expect(retryAfterMs({}, now)).toBeNull();
  });
});

describe('Kalshi tiers', () => {
  it("stays under each tier's per-key limits: Basic 20 reads / 10 writes a second by default", () => {
    expect(kalshiTierLimits('basic')).toEqual({ readsPerSecond: 16, writesPerSecond: 8 });
    expect(kalshiTierLimits('advanced')).toEqual({ readsPerSecond: 24, writesPerSecond: 24 });
  });
});
