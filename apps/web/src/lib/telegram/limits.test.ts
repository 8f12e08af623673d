import { describe, expect, it } from 'vitest';
import { ChatRateLimiter, SeenUpdates } from './limits.ts';
import { secretTokenMatches } from './secret-token.ts';

describe('ChatRateLimiter', () => {
  it('answers a chat up to the limit, says so once, then drops until the window ends', () => {
    let now = 1_000_000;
    const limiter = new ChatRateLimiter({ limit: 3, windowMs: 60_000 }, () => now);
    expect(['a', 'a', 'a', 'a', 'a'].map((c) => limiter.take(c))).toEqual(['ok', 'ok', 'ok', 'warn', 'drop']);
    expect(limiter.take('b')).toBe('ok'); // another chat has its own window
    now += 60_000;
    expect(limiter.take('a')).toBe('ok');
  });
});

describe('SeenUpdates', () => {
  it('takes an update id once, and forgets the oldest past its size', () => {
    const seen = new SeenUpdates();
    expect(seen.firstTime(1)).toBe(true);
    expect(seen.firstTime(1)).toBe(false);
    for (let id = 2; id <= 2_001; id++) seen.firstTime(id);
    expect(seen.firstTime(1)).toBe(true);
    expect(seen.firstTime(2_001)).toBe(false);
  });
});

describe('secretTokenMatches', () => {
  it('accepts only the exact secret', () => {
    const secret = 'a-webhook-secret-of-32-characters-or-more';
    expect(secretTokenMatches(secret, secret)).toBe(true);
    for (const other of [null, '', `${secret}x`, secret.slice(1), secret.toUpperCase()])
      expect(secretTokenMatches(other, secret)).toBe(false);
    expect(secretTokenMatches('', '')).toBe(false);
  });
});
