// Admin operations from Studio: suspend/resume (audited, reason required) and the overview view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

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
      { action: 'user.suspended', actor_role: 'postgres', details: { reason: 'Suspicious withdrawals' } },
      { action: 'user.resumed', actor_role: 'postgres', details: {} },
    ]);
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
