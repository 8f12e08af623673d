// Many bot-managers (migration 20261208000100_manager_leases.sql): join, renew, acquire, release and leave through the
// manager's own login and the @polybot/db wrappers; leases expire on the database's clock (short TTLs here, and the
// tests wait for the expiry by polling the database, never by sleeping); user_shard spreads users over 64 shards.
import { randomUUID } from 'node:crypto';
import { createDb, type Db } from '@polybot/db';
import {
  acquireShards,
  joinManager,
  leaveManager,
  releaseShards,
  renewLease,
  type LeaseJoin,
} from '@polybot/db/service';
import { localLoginUrl } from '@polybot/local-stack/postgres';
import { eventually } from '@polybot/local-stack/testing';
import { SHARDS_CHANGED_CHANNEL } from '@polybot/schemas';
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
/** The manager's login (a member of polybot_manager only); two pools act as two managers. */
let mgr: Db;
let other: Db;

/** Long enough that a test never sees it expire by accident; short ones are 200 ms. */
const LONG_TTL = 600_000;
const SHORT_TTL = 200;

beforeAll(async () => {
  db = await createTestDatabase();
  const url = await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_manager' });
  mgr = createDb(url, { max: 2 });
  other = createDb(url, { max: 2 });
});
afterAll(async () => {
  await mgr?.end({ timeout: 5 });
  await other?.end({ timeout: 5 });
  await db?.stop();
});

/** Waits until the database's own clock has passed the lease's expiry. */
async function untilExpired(lease: LeaseJoin): Promise<void> {
  await eventually(async () => {
    const [row] = await db.sql<{ expired: boolean }[]>`
      select clock_timestamp() >= ${lease.expiresAt} as expired`;
    expect(row?.expired).toBe(true);
  });
}

/** Frees every shard (as the admin) so each test starts from an empty table. */
async function freeAllShards(): Promise<void> {
  await db.sql`delete from private.shard_owners`;
}

const ALL = Array.from({ length: 64 }, (_, i) => i);

describe('membership', () => {
  it('join gives each incarnation a new, larger token; both are members while live', async () => {
    const first = await joinManager(mgr, 'mgr-join', LONG_TTL);
    const second = await joinManager(mgr, 'mgr-join', LONG_TTL);
    expect(first.shardCount).toBe(64);
    expect(BigInt(second.token)).toBeGreaterThan(BigInt(first.token));
    expect(first.expiresAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    const renewed = await renewLease(mgr, first.token, LONG_TTL, false);
    expect(renewed.ok).toBe(true);
    const mine = renewed.members.filter((m) => m.managerId === 'mgr-join');
    expect(mine.map((m) => m.token).sort()).toEqual([first.token, second.token].sort());
    await leaveManager(mgr, first.token);
    await leaveManager(mgr, second.token);
  });

  it('renew extends a live lease and reports draining; an expired lease never renews again', async () => {
    const lease = await joinManager(mgr, 'mgr-renew', SHORT_TTL);
    const renewed = await renewLease(mgr, lease.token, SHORT_TTL, true);
    expect(renewed.ok).toBe(true);
    const renewedUntil = renewed.expiresAt ?? lease.expiresAt;
    expect(renewedUntil.getTime()).toBeGreaterThanOrEqual(lease.expiresAt.getTime());
    expect(renewed.members).toContainEqual({ managerId: 'mgr-renew', token: lease.token, draining: true });
    await untilExpired({ ...lease, expiresAt: renewedUntil });
    const late = await renewLease(mgr, lease.token, LONG_TTL, false);
    expect(late).toMatchObject({ ok: false, expiresAt: null });
    expect(late.members.map((m) => m.token)).not.toContain(lease.token);
    // Still refused: the long TTL of the failed attempt did not revive it.
    expect((await renewLease(mgr, lease.token, LONG_TTL, false)).ok).toBe(false);
  });

  it('renew of a token that never existed is ok=false', async () => {
    expect((await renewLease(mgr, '999999999', LONG_TTL, false)).ok).toBe(false);
  });

  it('rejects a TTL out of bounds and shards out of range', async () => {
    await expect(joinManager(mgr, 'mgr-bad', 0)).rejects.toMatchObject({ code: '22023' });
    const lease = await joinManager(mgr, 'mgr-bad', LONG_TTL);
    await expect(acquireShards(mgr, lease.token, [64])).rejects.toMatchObject({ code: '22023' });
    await expect(acquireShards(mgr, lease.token, [-1])).rejects.toMatchObject({ code: '22023' });
    await leaveManager(mgr, lease.token);
  });
});

describe('shard ownership', () => {
  it('takes free shards once; a live owner keeps its shards; an expired owner’s shards can be taken', async () => {
    await freeAllShards();
    const a = await joinManager(mgr, 'mgr-a', SHORT_TTL);
    const b = await joinManager(other, 'mgr-b', LONG_TTL);
    const taken = await acquireShards(mgr, a.token, [3, 1, 3]);
    expect(taken).toEqual([
      { shard: 1, previousToken: null, previousExpiredAt: null },
      { shard: 3, previousToken: null, previousExpiredAt: null },
    ]);
    // Already ours: not listed again.
    expect(await acquireShards(mgr, a.token, [1, 3])).toEqual([]);
    // Live owner: b cannot take them (a renews once to be sure it is live now).
    const renewed = await renewLease(mgr, a.token, SHORT_TTL, false);
    expect(renewed.ok).toBe(true);
    expect(renewed.owners).toEqual([
      { shard: 1, token: a.token, managerId: 'mgr-a' },
      { shard: 3, token: a.token, managerId: 'mgr-a' },
    ]);
    const whileLive = await acquireShards(other, b.token, [1, 2, 3]);
    // Only the free shard 2, unless a's lease ran out in between (then b may take 1 and 3 too: still valid).
    expect(whileLive.map((s) => s.shard)).toContain(2);
    if (whileLive.length === 1) {
      await untilExpired({ ...a, expiresAt: renewed.expiresAt ?? a.expiresAt });
      const later = await acquireShards(other, b.token, [1, 3]);
      expect(later).toEqual([
        { shard: 1, previousToken: a.token, previousExpiredAt: renewed.expiresAt },
        { shard: 3, previousToken: a.token, previousExpiredAt: renewed.expiresAt },
      ]);
    }
    // Expired owners are not owners: the view lists b for all three.
    const view = await renewLease(other, b.token, LONG_TTL, false);
    expect(view.owners).toEqual([1, 2, 3].map((shard) => ({ shard, token: b.token, managerId: 'mgr-b' })));
    await leaveManager(other, b.token);
  });

  it('a live owner’s shard cannot be taken (long lease)', async () => {
    await freeAllShards();
    const a = await joinManager(mgr, 'mgr-live-a', LONG_TTL);
    const b = await joinManager(other, 'mgr-live-b', LONG_TTL);
    expect(await acquireShards(mgr, a.token, [10])).toHaveLength(1);
    expect(await acquireShards(other, b.token, [10])).toEqual([]);
    const [row] = await db.sql<{ token: string }[]>`select token::text from private.shard_owners where shard = 10`;
    expect(row?.token).toBe(a.token);
    await leaveManager(mgr, a.token);
    await leaveManager(other, b.token);
  });

  it('an expired lease acquires nothing', async () => {
    await freeAllShards();
    const a = await joinManager(mgr, 'mgr-expired', SHORT_TTL);
    await untilExpired(a);
    expect(await acquireShards(mgr, a.token, [5, 6])).toEqual([]);
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from private.shard_owners`;
    expect(row?.n).toBe(0);
  });

  it('two incarnations of one manager id are two owners: the new one waits for the old one’s expiry', async () => {
    await freeAllShards();
    const old = await joinManager(mgr, 'mgr-restarted', SHORT_TTL);
    expect(await acquireShards(mgr, old.token, [7])).toHaveLength(1);
    const fresh = await joinManager(other, 'mgr-restarted', LONG_TTL);
    const early = await acquireShards(other, fresh.token, [7]);
    if (early.length === 0) {
      await untilExpired(old);
      expect(await acquireShards(other, fresh.token, [7])).toEqual([
        { shard: 7, previousToken: old.token, previousExpiredAt: old.expiresAt },
      ]);
    }
    // The old incarnation's renewal is refused now (its lease expired): it must rejoin.
    await untilExpired(old);
    expect((await renewLease(mgr, old.token, LONG_TTL, false)).ok).toBe(false);
    await leaveManager(other, fresh.token);
  });

  it('releases only its own shards', async () => {
    await freeAllShards();
    const a = await joinManager(mgr, 'mgr-rel-a', LONG_TTL);
    const b = await joinManager(other, 'mgr-rel-b', LONG_TTL);
    await acquireShards(mgr, a.token, [20, 21, 22]);
    await acquireShards(other, b.token, [23]);
    expect(await releaseShards(other, b.token, [20, 21, 23])).toBe(1);
    expect(await releaseShards(mgr, a.token, [20, 21, 23, 40])).toBe(2);
    const rows = await db.sql<{ shard: number }[]>`select shard from private.shard_owners order by shard`;
    expect(rows.map((r) => r.shard)).toEqual([22]);
    await leaveManager(mgr, a.token);
    await leaveManager(other, b.token);
  });

  it('leave frees every shard at once and ends the lease', async () => {
    await freeAllShards();
    const a = await joinManager(mgr, 'mgr-leave-a', LONG_TTL);
    const b = await joinManager(other, 'mgr-leave-b', LONG_TTL);
    await acquireShards(mgr, a.token, [30, 31]);
    await leaveManager(mgr, a.token);
    expect((await renewLease(mgr, a.token, LONG_TTL, false)).ok).toBe(false);
    const taken = await acquireShards(other, b.token, [30, 31]);
    expect(taken.map((s) => [s.shard, s.previousToken])).toEqual([
      [30, null],
      [31, null],
    ]);
    await leaveManager(other, b.token);
  });

  it('two managers racing for all 64 shards split them: every shard owned exactly once', async () => {
    await freeAllShards();
    const a = await joinManager(mgr, 'mgr-race-a', LONG_TTL);
    const b = await joinManager(other, 'mgr-race-b', LONG_TTL);
    const [ta, tb] = await Promise.all([acquireShards(mgr, a.token, ALL), acquireShards(other, b.token, ALL)]);
    const shards = [...ta, ...tb].map((s) => s.shard).sort((x, y) => x - y);
    expect(shards).toEqual(ALL);
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from private.shard_owners`;
    expect(row?.n).toBe(64);
    await leaveManager(mgr, a.token);
    await leaveManager(other, b.token);
  });

  it('leases expired more than an hour ago are deleted on join, freeing their shards', async () => {
    await freeAllShards();
    const gone = await joinManager(mgr, 'mgr-ancient', LONG_TTL);
    await acquireShards(mgr, gone.token, [50]);
    await db.sql`update private.manager_leases set expires_at = now() - interval '2 hours' where token = ${gone.token}`;
    const fresh = await joinManager(other, 'mgr-fresh', LONG_TTL);
    const rows = await db.sql`select 1 from private.manager_leases where token = ${gone.token}`;
    expect(rows).toHaveLength(0);
    expect(await acquireShards(other, fresh.token, [50])).toEqual([
      { shard: 50, previousToken: null, previousExpiredAt: null },
    ]);
    await leaveManager(other, fresh.token);
  });
});

describe('notifications', () => {
  it(`every change notifies ${SHARDS_CHANGED_CHANNEL}`, async () => {
    let heard = 0;
    const listener = await db.sql.listen(SHARDS_CHANGED_CHANNEL, () => {
      heard++;
    });
    try {
      const step = async (action: () => Promise<unknown>): Promise<void> => {
        const before = heard;
        await action();
        await eventually(() => expect(heard).toBeGreaterThan(before));
      };
      let token = '';
      await step(async () => (token = (await joinManager(mgr, 'mgr-notify', LONG_TTL)).token));
      await step(() => acquireShards(mgr, token, [60]));
      await step(() => renewLease(mgr, token, LONG_TTL, true));
      await step(() => releaseShards(mgr, token, [60]));
      await step(() => leaveManager(mgr, token));
    } finally {
      await listener.unlisten();
    }
  });
});

describe('user_shard', () => {
  it('is stable, in range, and spreads 1000 random users over all 64 shards', async () => {
    const ids = Array.from({ length: 1000 }, () => randomUUID());
    const first = await mgr<{ s: number }[]>`select public.user_shard(u) as s from unnest(${ids}::uuid[]) u`;
    const again = await mgr<{ s: number }[]>`select public.user_shard(u) as s from unnest(${ids}::uuid[]) u`;
    expect(again.map((r) => r.s)).toEqual(first.map((r) => r.s));
    const counts = new Array<number>(64).fill(0);
    for (const { s } of first) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(64);
      counts[s] = (counts[s] ?? 0) + 1;
    }
    // ~15.6 per shard on average; every shard gets some and none gets a crowd.
    expect(Math.min(...counts)).toBeGreaterThan(0);
    expect(Math.max(...counts)).toBeLessThan(45);
    // A fixed user maps to a fixed shard (the rule must not change under running managers).
    const [fixed] = await mgr<{ s: number }[]>`
      select public.user_shard('00000000-0000-4000-8000-000000000001') as s`;
    expect(fixed?.s).toBe(FIXED_SHARD);
  });
});

/** md5('00000000-0000-4000-8000-000000000001') starts with this byte, mod 64 (computed once, pinned here). */
const FIXED_SHARD = 5;

describe('who may coordinate', () => {
  /** Each coordination function, called with harmless arguments. */
  const CALLS: Record<string, (sql: Db | TransactionSql) => Promise<unknown>> = {
    manager_shard_count: (sql) => sql`select public.manager_shard_count()`,
    user_shard: (sql) => sql`select public.user_shard('00000000-0000-4000-8000-000000000001')`,
    manager_join: (sql) => sql`select public.manager_join('intruder', 1000)`,
    manager_renew: (sql) => sql`select public.manager_renew(1, 1000, false)`,
    manager_acquire_shards: (sql) => sql`select public.manager_acquire_shards(1, '{0}')`,
    manager_release_shards: (sql) => sql`select public.manager_release_shards(1, '{0}')`,
    manager_leave: (sql) => sql`select public.manager_leave(1)`,
  };

  it('anon, authenticated and service_role are refused every function', async () => {
    const user = await createAuthUser(db, 'leases-intruder@example.test');
    for (const actor of [
      { role: 'anon' as const },
      { role: 'authenticated' as const, userId: user },
      { role: 'service_role' as const },
    ]) {
      for (const [name, call] of Object.entries(CALLS)) {
        const { outcome } = await attempt(db.sql, actor, (tx) => call(tx));
        expect({ name, role: actor.role, outcome }).toMatchObject({
          name,
          role: actor.role,
          outcome: { ok: false, code: '42501' },
        });
      }
    }
  });

  it('the web app’s login is refused every function; the manager’s may call each', async () => {
    const web = createDb(await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_web' }), { max: 1 });
    try {
      for (const [name, call] of Object.entries(CALLS)) {
        const code = await call(web).then(
          () => 'ok',
          (e: unknown) => (e as { code?: string }).code,
        );
        expect({ name, code }).toEqual({ name, code: '42501' });
        await expect(call(mgr)).resolves.toBeDefined();
      }
    } finally {
      await web.end({ timeout: 5 });
    }
  });

  it('nobody but the definer functions reads the tables or calls the fence check', async () => {
    for (const stmt of [
      mgr`select * from private.manager_leases`,
      mgr`select * from private.shard_owners`,
      mgr`select private.assert_fenced_write('00000000-0000-4000-8000-000000000001')`,
    ]) {
      await expect(stmt).rejects.toMatchObject({ code: '42501' });
    }
  });
});
