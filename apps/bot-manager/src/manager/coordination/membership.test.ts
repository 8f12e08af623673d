// The lease loop against a fake database and fake timers: when it renews, when it fences itself, and that it rejoins.
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Membership } from './membership.ts';
import type { CoordinationDb, RenewResult } from './types.ts';

const timing = { ttlMs: 3000, renewMs: 500, safetyMs: 1000 };
const log = pino({ level: 'silent' });

function fakeDb() {
  let next = 1;
  const calls: string[] = [];
  const db = {
    calls,
    /** What the next renewals do: 'ok', 'expired' (ok=false), 'fail' (throws), 'hang' (never answers). */
    renewMode: 'ok' as 'ok' | 'expired' | 'fail' | 'hang',
    join: vi.fn(async (_id: string, _ttl: number) => {
      calls.push('join');
      return { token: String(next++), shardCount: 64 };
    }),
    renew: vi.fn(async (token: string, _ttl: number, draining: boolean): Promise<RenewResult> => {
      calls.push(`renew ${token}${draining ? ' draining' : ''}`);
      if (db.renewMode === 'fail') throw new Error('connection refused');
      if (db.renewMode === 'hang') return new Promise<RenewResult>(() => undefined);
      return { ok: db.renewMode === 'ok', members: [], owners: [] };
    }),
    acquire: vi.fn(async () => []),
    release: vi.fn(async () => 0),
    leave: vi.fn(async (token: string) => {
      calls.push(`leave ${token}`);
    }),
  };
  return db satisfies CoordinationDb & Record<string, unknown>;
}

function membership(db: ReturnType<typeof fakeDb>) {
  const fenced: string[] = [];
  const renewedUntil: number[] = [];
  const m = new Membership({
    managerId: 'm1',
    db,
    timing,
    log,
    now: () => Date.now(),
    hooks: {
      renewed: (_view, _token, until) => renewedUntil.push(until),
      fenced: async (reason) => {
        fenced.push(reason);
      },
    },
  });
  return { m, fenced, renewedUntil };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Membership (lease loop)', () => {
  it('joins, renews every LEASE_RENEW_MS, and moves its deadline to send time + TTL − safety', async () => {
    const db = fakeDb();
    const { m, renewedUntil } = membership(db);
    await m.start();
    expect(m.token).toBe('1');
    expect(m.valid).toBe(true);
    expect(m.leaseUntil).toBe(1_000_000 + timing.ttlMs - timing.safetyMs);
    expect(db.renew).toHaveBeenCalledTimes(1); // right after the join: the first view
    await vi.advanceTimersByTimeAsync(timing.renewMs * 4);
    expect(db.renew).toHaveBeenCalledTimes(5);
    expect(renewedUntil.at(-1)).toBe(1_000_000 + timing.renewMs * 4 + timing.ttlMs - timing.safetyMs);
    await m.leave();
    expect(db.calls.at(-1)).toBe('leave 1');
  });

  it('fences itself exactly at the deadline when renewals fail, then rejoins with a new token', async () => {
    const db = fakeDb();
    const { m, fenced } = membership(db);
    await m.start();
    const deadline = m.leaseUntil;
    db.renewMode = 'fail';
    await vi.advanceTimersByTimeAsync(deadline - Date.now() - 1);
    expect(fenced).toEqual([]);
    expect(m.valid).toBe(true);
    db.renewMode = 'ok';
    db.renew.mockImplementation(async () => {
      throw new Error('still down');
    });
    await vi.advanceTimersByTimeAsync(1);
    expect(fenced).toHaveLength(1);
    expect(fenced[0]).toMatch(/no lease renewal succeeded in time/);
    expect(m.token).toBeNull();
    expect(m.valid).toBe(false);
    await vi.advanceTimersByTimeAsync(timing.renewMs); // the rejoin, one renewal interval later
    // The old token is let go, a new one taken: never the old token again.
    expect(db.leave).toHaveBeenCalledWith('1');
    expect(db.join).toHaveBeenCalledTimes(2);
    expect(m.token).toBe('2');
    await m.leave();
  });

  it('a renewal that never answers (database frozen) still fences at the deadline', async () => {
    const db = fakeDb();
    const { m, fenced } = membership(db);
    await m.start();
    db.renewMode = 'hang';
    await vi.advanceTimersByTimeAsync(timing.ttlMs - timing.safetyMs - 1);
    expect(fenced).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fenced).toHaveLength(1);
    expect(m.fenced || m.token === '2').toBe(true);
  });

  it('fences at once when the database says the lease expired (ok=false)', async () => {
    const db = fakeDb();
    const { m, fenced } = membership(db);
    await m.start();
    db.renewMode = 'expired';
    await vi.advanceTimersByTimeAsync(timing.renewMs);
    expect(fenced).toEqual(['the database says our lease has expired']);
    db.renewMode = 'ok';
    await vi.advanceTimersByTimeAsync(timing.renewMs);
    expect(m.token).toBe('2');
    expect(m.valid).toBe(true);
    await m.leave();
  });

  it('fence() (a stale-owner write) stops everything once, however often it is called', async () => {
    const db = fakeDb();
    const { m, fenced } = membership(db);
    await m.start();
    await Promise.all([m.fence('stale'), m.fence('stale again')]);
    expect(fenced).toEqual(['stale']);
    await vi.advanceTimersByTimeAsync(timing.renewMs);
    expect(m.token).toBe('2');
    await m.leave();
  });

  it('drain renews with draining=true; leave releases with the current token', async () => {
    const db = fakeDb();
    const { m } = membership(db);
    await m.start();
    await m.drain();
    expect(db.calls.at(-1)).toBe('renew 1 draining');
    await m.leave();
    expect(db.calls.at(-1)).toBe('leave 1');
    expect(m.token).toBeNull();
    await vi.advanceTimersByTimeAsync(timing.ttlMs * 2);
    expect(db.calls.at(-1)).toBe('leave 1'); // no renewals after leaving
  });
});
