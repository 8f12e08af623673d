// increment_user_trades(user, n) / release_user_trades(user, n): per-order reservations of the monthly limit, all or
// nothing, and hand-backs for orders that were never sent.
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, createAuthUser, createTestDatabase, raceAsServiceRole, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.stop());

let n = 0;
const newUser = (): Promise<string> => createAuthUser(db, `reservations-${++n}@example.test`);

async function counter(userId: string): Promise<{ trades: number; limit: number; periodStart: Date }> {
  const [row] = await db.sql<{ trades_this_month: number; monthly_trade_limit: number; trade_period_start: Date }[]>`
    select trades_this_month, monthly_trade_limit, trade_period_start from public.polybot_user_profiles where id = ${userId}`;
  if (!row) throw new Error('no profile');
  return { trades: row.trades_this_month, limit: row.monthly_trade_limit, periodStart: row.trade_period_start };
}

async function setCounter(userId: string, limit: number, trades: number): Promise<void> {
  await db.sql`update public.polybot_user_profiles set monthly_trade_limit = ${limit}, trades_this_month = ${trades} where id = ${userId}`;
}

const reserve = async (userId: string, count: number): Promise<boolean> =>
  (await db.sql<{ r: boolean }[]>`select public.increment_user_trades(${userId}, ${count}) as r`)[0]?.r === true;
const release = async (userId: string, count: number): Promise<number> =>
  (await db.sql<{ r: number }[]>`select public.release_user_trades(${userId}, ${count}) as r`)[0]?.r ?? -1;

describe('increment_user_trades(user, n)', () => {
  it('is all or nothing at the boundary: n that fits reserves n, n + 1 reserves nothing', async () => {
    const u = await newUser();
    await setCounter(u, 10, 7);
    expect(await reserve(u, 4)).toBe(false);
    expect((await counter(u)).trades).toBe(7);
    expect(await reserve(u, 3)).toBe(true);
    expect((await counter(u)).trades).toBe(10);
    expect(await reserve(u, 1)).toBe(false);
    expect((await counter(u)).trades).toBe(10);
  });

  it('concurrent reservers at limit − k: exactly as many succeed as fit whole, and the counter ends at the limit', async () => {
    const u = await newUser();
    // Room for 5: twelve callers asking for 2 each → exactly two succeed (4 reserved), nobody gets a partial 1.
    await setCounter(u, 20, 15);
    const results = await raceAsServiceRole(db, 12, async (tx) => {
      const rows = await tx<{ r: boolean }[]>`select public.increment_user_trades(${u}, 2) as r`;
      return rows[0]?.r;
    });
    expect(results.filter((r) => r === true)).toHaveLength(2);
    expect(results.filter((r) => r === false)).toHaveLength(10);
    expect((await counter(u)).trades).toBe(19);
    // The one slot left is still there for a single order.
    expect(await reserve(u, 1)).toBe(true);
    expect((await counter(u)).trades).toBe(20);
  });

  it('rolls the UTC month over: the new period starts at n, and n above the limit reserves nothing even then', async () => {
    const u = await newUser();
    await setCounter(u, 5, 5);
    await db.sql`update public.polybot_user_profiles set trade_period_start = date_trunc('month', now(), 'UTC') - interval '1 month' where id = ${u}`;
    expect(await reserve(u, 6)).toBe(false);
    expect((await counter(u)).trades).toBe(5);
    expect(await reserve(u, 3)).toBe(true);
    const after = await counter(u);
    expect(after.trades).toBe(3);
    const [m] = await db.sql<{ m: Date }[]>`select date_trunc('month', now(), 'UTC') as m`;
    expect(after.periodStart.toISOString()).toBe(m?.m.toISOString());
  });

  it('a suspended user reserves nothing; n < 1 is refused; the one-argument version still reserves one', async () => {
    const u = await newUser();
    await setCounter(u, 10, 0);
    await db.sql`select public.admin_suspend_user(${u}, 'test')`;
    expect(await reserve(u, 1)).toBe(false);
    await db.sql`select public.admin_resume_user(${u})`;
    await expect(reserve(u, 0)).rejects.toMatchObject({ code: '22023' });
    await expect(reserve(u, -3)).rejects.toMatchObject({ code: '22023' });
    expect((await db.sql`select public.increment_user_trades(${u}) as r`)[0]?.r).toBe(true);
    expect((await counter(u)).trades).toBe(1);
  });
});

describe('release_user_trades(user, n)', () => {
  it('hands back unsent reservations, never below 0, and reports how many', async () => {
    const u = await newUser();
    await setCounter(u, 10, 0);
    expect(await reserve(u, 5)).toBe(true);
    expect(await release(u, 3)).toBe(3);
    expect((await counter(u)).trades).toBe(2);
    expect(await release(u, 9)).toBe(2);
    expect((await counter(u)).trades).toBe(0);
    expect(await release(u, 1)).toBe(0);
    expect((await counter(u)).trades).toBe(0);
    await expect(release(u, 0)).rejects.toMatchObject({ code: '22023' });
  });

  it('a release makes room again: at the limit, release 2 → a 2-order reservation fits, a 3-order one does not', async () => {
    const u = await newUser();
    await setCounter(u, 4, 4);
    expect(await release(u, 2)).toBe(2);
    expect(await reserve(u, 3)).toBe(false);
    expect(await reserve(u, 2)).toBe(true);
    expect((await counter(u)).trades).toBe(4);
  });

  it('same month only: a release after the month rolled over changes nothing', async () => {
    const u = await newUser();
    await setCounter(u, 10, 6);
    await db.sql`update public.polybot_user_profiles set trade_period_start = date_trunc('month', now(), 'UTC') - interval '1 month' where id = ${u}`;
    expect(await release(u, 2)).toBe(0);
    expect((await counter(u)).trades).toBe(6);
  });
});

describe('who may call them', () => {
  const calls = [
    [
      'increment_user_trades(uuid, integer)',
      (u: string) => (tx: postgres.TransactionSql) => tx`select public.increment_user_trades(${u}, 1)`,
    ],
    [
      'release_user_trades(uuid, integer)',
      (u: string) => (tx: postgres.TransactionSql) => tx`select public.release_user_trades(${u}, 1)`,
    ],
  ] as const;
  for (const [name, call] of calls) {
    it(`anon and authenticated (the user themself) cannot execute ${name}; service_role can`, async () => {
      const u = await newUser();
      for (const actor of [{ role: 'anon' as const }, { role: 'authenticated' as const, userId: u }]) {
        const { outcome } = await attempt(db.sql, actor, call(u));
        expect(outcome.ok ? 'allowed' : outcome.code, actor.role).toBe('42501');
        if (!outcome.ok) expect(outcome.message).toMatch(/permission denied for function/);
      }
      const { outcome } = await attempt(db.sql, { role: 'service_role' }, call(u));
      expect(outcome.ok).toBe(true);
    });
  }
});
