// increment_user_trades: the monthly limit is reserved atomically in the database.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthUser, createTestDatabase, raceAsServiceRole, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.stop());

async function counter(userId: string) {
  const rows = await db.sql<{ trades_this_month: number; monthly_trade_limit: number; trade_period_start: Date }[]>`
    select trades_this_month, monthly_trade_limit, trade_period_start from public.polybot_user_profiles where id = ${userId}`;
  const row = rows[0];
  if (!row) throw new Error('no profile');
  return row;
}

describe('increment_user_trades', () => {
  it('20 concurrent calls one trade below the limit reserve exactly one', async () => {
    const userId = await createAuthUser(db, 'race@example.test');
    await db.sql`update public.polybot_user_profiles set trades_this_month = monthly_trade_limit - 1 where id = ${userId}`;
    const { monthly_trade_limit: limit } = await counter(userId);
    // 20 separate connections so the calls really race in the server, each as the service role.
    const results = await raceAsServiceRole(db, 20, async (tx) => {
      const rows = await tx<{ reserved: boolean }[]>`select public.increment_user_trades(${userId}) as reserved`;
      return rows[0]?.reserved;
    });
    expect(results.filter((r) => r === true)).toHaveLength(1);
    expect(results.filter((r) => r === false)).toHaveLength(19);
    expect((await counter(userId)).trades_this_month).toBe(limit);
  });

  it('at the limit nothing is reserved; a new month rolls over and reserves', async () => {
    const userId = await createAuthUser(db, 'rollover@example.test');
    await db.sql`update public.polybot_user_profiles set trades_this_month = monthly_trade_limit where id = ${userId}`;
    expect((await db.sql`select public.increment_user_trades(${userId}) as r`)[0]?.r).toBe(false);

    // Move the period start into last month: the next reservation starts the new period at 1.
    await db.sql`update public.polybot_user_profiles set trade_period_start = date_trunc('month', now(), 'UTC') - interval '1 month' where id = ${userId}`;
    expect((await db.sql`select public.increment_user_trades(${userId}) as r`)[0]?.r).toBe(true);
    const after = await counter(userId);
    expect(after.trades_this_month).toBe(1);
    const monthStart = (await db.sql<{ m: Date }[]>`select date_trunc('month', now(), 'UTC') as m`)[0]?.m;
    expect(after.trade_period_start.toISOString()).toBe(monthStart?.toISOString());
  });

  it('a suspended user reserves nothing; a zero limit reserves nothing', async () => {
    const userId = await createAuthUser(db, 'suspended@example.test');
    await db.sql`select public.admin_suspend_user(${userId}, 'test')`;
    expect((await db.sql`select public.increment_user_trades(${userId}) as r`)[0]?.r).toBe(false);
    await db.sql`select public.admin_resume_user(${userId})`;
    await db.sql`update public.polybot_user_profiles set monthly_trade_limit = 0 where id = ${userId}`;
    expect((await db.sql`select public.increment_user_trades(${userId}) as r`)[0]?.r).toBe(false);
    expect((await counter(userId)).trades_this_month).toBe(0);
  });

  it('an unknown user reserves nothing', async () => {
    expect((await db.sql`select public.increment_user_trades('00000000-0000-0000-0000-000000000001') as r`)[0]?.r).toBe(
      false,
    );
  });
});
