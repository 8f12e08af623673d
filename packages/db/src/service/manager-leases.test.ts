// The pure parts of manager-leases.ts: which errors mean "you are not the owner", and the result schemas' shapes
// (the SQL itself is proven in supabase/tests/manager-leases.test.ts and fencing.test.ts).
import { describe, expect, it } from 'vitest';
import { isStaleOwnerError } from './as-manager.ts';
import { LeaseRenewSchema, ShardAcquiredSchema } from './manager-leases.ts';

describe('isStaleOwnerError', () => {
  it('is true for PBF01 and PBF02 only', () => {
    expect(isStaleOwnerError({ code: 'PBF01' })).toBe(true);
    expect(isStaleOwnerError({ code: 'PBF02' })).toBe(true);
    expect(isStaleOwnerError({ code: '42501' })).toBe(false);
    expect(isStaleOwnerError(new Error('stale owner'))).toBe(false);
    expect(isStaleOwnerError(null)).toBe(false);
  });
});

describe('schemas', () => {
  it('keep tokens as decimal strings (bigint-safe) and parse database timestamps', () => {
    const renew = LeaseRenewSchema.parse({
      ok: true,
      expiresAt: '2026-12-08T10:00:00.123456+00:00',
      members: [{ managerId: 'm1', token: '9007199254740993', draining: false }],
      owners: [{ shard: 3, token: '9007199254740993', managerId: 'm1' }],
    });
    expect(renew.members[0]?.token).toBe('9007199254740993');
    expect(renew.expiresAt?.toISOString()).toBe('2026-12-08T10:00:00.123Z');
    expect(() => ShardAcquiredSchema.parse({ shard: 1, previousToken: 12, previousExpiredAt: null })).toThrow();
  });
});
