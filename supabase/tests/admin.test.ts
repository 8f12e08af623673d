// Admin operations from Studio: suspend/resume (audited with the admin's login and an optional note, reason required,
// no-ops refused), who may call them, what the user concerned may read of them, and the overview view.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let userId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  userId = await createAuthUser(db, 'admin-target@example.test', { display_name: 'Target' });
});
afterAll(async () => db?.stop());

describe('admin functions', () => {
  it('suspend needs a reason, takes effect, is audited; resume lifts it', async () => {
    await expect(db.sql`select public.admin_suspend_user(${userId}, '  ')`).rejects.toThrow(
      'a reason is required to suspend a user',
    );
    await db.sql`select public.admin_suspend_user(${userId}, 'Suspicious withdrawals')`;
    const [suspended] =
      await db.sql`select is_suspended, suspended_reason, suspended_at is not null as stamped from public.polybot_user_profiles where id = ${userId}`;
    expect(suspended).toEqual({ is_suspended: true, suspended_reason: 'Suspicious withdrawals', stamped: true });
    const desired = await db.sql`select user_id from public.list_desired_bots() where user_id = ${userId}`;
    expect(desired).toHaveLength(0);

    await db.sql`select public.admin_resume_user(${userId})`;
    const [resumed] =
      await db.sql`select is_suspended, suspended_reason from public.polybot_user_profiles where id = ${userId}`;
    expect(resumed).toEqual({ is_suspended: false, suspended_reason: null });

    const audit =
      await db.sql`select action, actor_role, details from public.polybot_audit_log where user_id = ${userId} order by id`;
    expect(audit).toEqual([
      {
        action: 'user.suspended',
        actor_role: 'postgres',
        details: { reason: 'Suspicious withdrawals', note: null, admin: 'postgres' },
      },
      { action: 'user.resumed', actor_role: 'postgres', details: { note: null, admin: 'postgres' } },
    ]);
  });

  it("records which admin acted (their own database login) and the admin's internal note", async () => {
    // An admin with their own login (a member of service_role, which may run the admin functions).
    await db.superuser.unsafe(`create role admin_dana login password 'admin_dana'`);
    await db.superuser.unsafe(`grant service_role to admin_dana`);
    const url = new URL(db.url);
    url.username = 'admin_dana';
    url.password = 'admin_dana';
    const dana = postgres(url.toString(), { max: 1, onnotice: () => undefined });
    try {
      await dana.begin(async (tx) => {
        await tx`set local role service_role`;
        await tx`select public.admin_suspend_user(${userId}, 'Chargeback', '  ticket 4411: card reported stolen  ')`;
      });
      await dana.begin(async (tx) => {
        await tx`set local role service_role`;
        await tx`select public.admin_resume_user(${userId}, 'bank confirmed the card')`;
      });
    } finally {
      await dana.end();
    }
    const audit = await db.sql`
      select action, details from public.polybot_audit_log
       where user_id = ${userId} and details ->> 'admin' = 'admin_dana' order by id`;
    expect(audit).toEqual([
      {
        action: 'user.suspended',
        details: { reason: 'Chargeback', note: 'ticket 4411: card reported stolen', admin: 'admin_dana' },
      },
      { action: 'user.resumed', details: { note: 'bank confirmed the card', admin: 'admin_dana' } },
    ]);
  });

  it('refuses no-ops with words that say why, changing and auditing nothing', async () => {
    const auditRows = async () =>
      (
        await db.sql<{ n: number }[]>`select count(*)::int as n from public.polybot_audit_log where user_id = ${userId}`
      )[0]?.n;
    const before = await auditRows();
    await expect(db.sql`select public.admin_resume_user(${userId})`).rejects.toMatchObject({
      code: '55000',
      message: `user ${userId} is not suspended; nothing to resume`,
    });
    await db.sql`select public.admin_suspend_user(${userId}, 'First reason')`;
    await expect(db.sql`select public.admin_suspend_user(${userId}, 'Second reason', 'again')`).rejects.toMatchObject({
      code: '55000',
      message: expect.stringMatching(/^user .* is already suspended \(since .*: First reason\); nothing changed$/),
    });
    const [profile] = await db.sql`select suspended_reason from public.polybot_user_profiles where id = ${userId}`;
    expect(profile).toEqual({ suspended_reason: 'First reason' });
    expect(await auditRows()).toBe((before ?? 0) + 1);
    await db.sql`select public.admin_resume_user(${userId})`;
  });

  it('signed-in users and anon may not suspend or resume, with or without a note', async () => {
    const other = await createAuthUser(db, 'admin-other@example.test');
    for (const actor of [{ role: 'authenticated', userId: other } as const, { role: 'anon' } as const]) {
      for (const call of [
        (tx: postgres.TransactionSql) => tx`select public.admin_suspend_user(${userId}, 'x', 'note')`,
        (tx: postgres.TransactionSql) => tx`select public.admin_suspend_user(${userId}, 'x')`,
        (tx: postgres.TransactionSql) => tx`select public.admin_resume_user(${userId}, 'note')`,
      ]) {
        const { outcome, verified } = await attempt(
          db.sql,
          actor,
          call,
          (tx) => tx`select is_suspended from public.polybot_user_profiles where id = ${userId}`,
        );
        expect(outcome).toMatchObject({ ok: false, code: '42501' });
        expect(verified).toEqual([{ is_suspended: false }]);
      }
    }
  });

  it('the user concerned cannot read admin actions (who acted, the note), only their own entries', async () => {
    await db.sql`update public.polybot_user_config set min_profit_pct = min_profit_pct + 1 where user_id = ${userId}`;
    const { outcome } = await attempt(
      db.sql,
      { role: 'authenticated', userId },
      (tx) => tx<{ action: string }[]>`select distinct action from public.polybot_audit_log order by action`,
    );
    expect(outcome).toEqual({ ok: true, value: [{ action: 'config.updated' }] });
    const [all] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from public.polybot_audit_log where user_id = ${userId} and action like 'user.%'`;
    expect(all?.n).toBeGreaterThan(0);
  });

  it('suspending an unknown user is an error, not a silent no-op', async () => {
    await expect(db.sql`select public.admin_suspend_user('00000000-0000-0000-0000-000000000009', 'x')`).rejects.toThrow(
      /no user/,
    );
  });

  it('admin_user_overview shows user, email, tier, bot state, trades vs limit, heartbeat and last error', async () => {
    await db.sql`update public.polybot_bot_status set state = 'error', last_error = 'Kalshi rejected the key', heartbeat_at = now() where user_id = ${userId}`;
    await db.sql`select public.increment_user_trades(${userId})`;
    const [row] =
      await db.sql`select email, tier, bot_state, trades_this_month, monthly_trade_limit, last_error, last_heartbeat_at is not null as beat from public.admin_user_overview where user_id = ${userId}`;
    expect(row).toEqual({
      email: 'admin-target@example.test',
      tier: 'free',
      bot_state: 'error',
      trades_this_month: 1,
      monthly_trade_limit: 100,
      last_error: 'Kalshi rejected the key',
      beat: true,
    });
  });

  it('the desired-bots list follows onboarding, pause and plan status', async () => {
    const desired = async () =>
      (await db.sql`select user_id from public.list_desired_bots() where user_id = ${userId}`).length === 1;
    expect(await desired()).toBe(false); // not onboarded yet
    await db.sql`update public.polybot_user_profiles set onboarding_completed = true where id = ${userId}`;
    expect(await desired()).toBe(true);
    await db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${userId}`;
    expect(await desired()).toBe(false);
    await db.sql`update public.polybot_user_config set bot_enabled = true where user_id = ${userId}`;
    await db.sql`update public.polybot_user_profiles set subscription_tier = 'pro', subscription_status = 'unpaid' where id = ${userId}`;
    expect(await desired()).toBe(false);
    await db.sql`update public.polybot_user_profiles set subscription_status = 'active' where id = ${userId}`;
    expect(await desired()).toBe(true);
  });

  it("a tier change brings the tier's limits and features", async () => {
    const [p] =
      await db.sql`select monthly_trade_limit, max_positions, live_trading_allowed, features_enabled ->> 'copy_trading' as copy from public.polybot_user_profiles where id = ${userId}`;
    expect(p).toEqual({ monthly_trade_limit: 10000, max_positions: 50, live_trading_allowed: true, copy: 'true' });
  });
});
