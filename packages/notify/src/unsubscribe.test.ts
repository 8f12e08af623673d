import { describe, expect, it } from 'vitest';
import { signUnsubscribeToken, verifyUnsubscribeToken } from './unsubscribe.ts';

const SECRET = 'unsubscribe-secret-for-tests-0123456789';
const claims = { userId: '6f1c1a52-0d3c-4f7e-9a51-1f0e4b7d2c11', channelId: '0b9a2f3e-7c1d-4e8b-a2f0-5d6c7b8a9e10' };

describe('unsubscribe tokens', () => {
  it('round-trips, URL-safe, with and without a kind', () => {
    const token = signUnsubscribeToken(claims, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyUnsubscribeToken(token, SECRET)).toEqual(claims);
    const one = signUnsubscribeToken({ ...claims, kind: 'trade_executed' }, SECRET);
    expect(verifyUnsubscribeToken(one, SECRET)).toEqual({ ...claims, kind: 'trade_executed' });
  });

  it('rejects another secret, a changed body or signature, and junk', () => {
    const token = signUnsubscribeToken(claims, SECRET);
    const [body, sig] = token.split('.') as [string, string];
    expect(verifyUnsubscribeToken(token, `${SECRET}x`)).toBeNull();
    const forged = Buffer.from(JSON.stringify({ u: claims.channelId, c: claims.channelId })).toString('base64url');
    expect(verifyUnsubscribeToken(`${forged}.${sig}`, SECRET)).toBeNull();
    expect(verifyUnsubscribeToken(`${body}.${sig.slice(0, -2)}AA`, SECRET)).toBeNull();
    expect(verifyUnsubscribeToken(`${body}.${sig}.x`, SECRET)).toBeNull();
    expect(verifyUnsubscribeToken('', SECRET)).toBeNull();
    expect(verifyUnsubscribeToken('a.b', SECRET)).toBeNull();
  });

  it('honours an expiry', () => {
    const token = signUnsubscribeToken(claims, SECRET, { expiresAt: new Date('2027-01-01T00:00:00Z') });
    expect(verifyUnsubscribeToken(token, SECRET, new Date('2026-12-31T23:59:59Z'))).toEqual(claims);
    expect(verifyUnsubscribeToken(token, SECRET, new Date('2027-01-01T00:00:00Z'))).toBeNull();
  });

  it('refuses a short secret and claims that are not ids', () => {
    expect(() => signUnsubscribeToken(claims, 'short')).toThrow();
    expect(() => signUnsubscribeToken({ ...claims, userId: 'me' }, SECRET)).toThrow();
  });
});
