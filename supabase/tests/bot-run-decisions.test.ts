// bot_run_decisions: the one rule for whether a user's bot runs and, if not, the reason the status row shows. Each
// reason case, the order in which they win, list_desired_bots agreeing with it, and who may call it.
import { randomUUID } from 'node:crypto';
import { getBotRunDecision, asService } from '@polybot/db/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let userId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  userId = await createAuthUser(db, 'run-decisions@example.test');
});
afterAll(async () => db?.stop());

const decide = (id: string) => asService(db.sql, (tx) => getBotRunDecision(tx, id));
const desired = async (id: string) =>
  (await db.sql`select 1 from public.list_desired_bots() where user_id = ${id}`).length === 1;

/** Sets the user up to run (onboarded, enabled, free tier), then applies `change`, all rolled back afterwards. */
async function decideWith(change: string): Promise<{ decision: unknown; desired: boolean }> {
  const { outcome } = await attempt(db.sql, { role: 'service_role' }, async (tx) => {
    await tx`reset role`;
    await tx`update public.polybot_user_profiles set onboarding_completed = true, is_suspended = false,
                    subscription_tier = 'free', subscription_status = 'active' where id = ${userId}`;
    await tx`update public.polybot_user_config set bot_enabled = true where user_id = ${userId}`;
    if (change) await tx.unsafe(change, [userId]);
    await tx`set local role service_role`;
    const decision = await getBotRunDecision(tx, userId);
    const listed = await tx`select 1 from public.list_desired_bots() where user_id = ${userId}`;
    return { decision, desired: listed.length === 1 };
  });
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.value;
}

describe('bot_run_decisions: each reason, worded as the status row shows it', () => {
  it('a user who may trade should run (the reason is what a stop by the service itself says)', async () => {
    expect(await decideWith('')).toEqual({
      decision: expect.objectContaining({
        user_id: userId,
        should_run: true,
        reason_code: 'stopped_by_service',
        reason: 'stopped by the bot service',
        idle_state: 'stopped',
        subscription_tier: 'free',
      }),
      desired: true,
    });
  });

  const cases: Array<[string, string, { code: string; reason: string; state: string }]> = [
    [
      'suspended',
      `update public.polybot_user_profiles set is_suspended = true, suspended_reason = 'chargeback' where id = $1`,
      { code: 'suspended', reason: 'suspended by PolyBot support: chargeback', state: 'suspended' },
    ],
    [
      'not onboarded',
      `update public.polybot_user_profiles set onboarding_completed = false where id = $1`,
      { code: 'onboarding_incomplete', reason: 'onboarding is not finished', state: 'stopped' },
    ],
    [
      'no config row',
      `delete from public.polybot_user_config where user_id = $1`,
      { code: 'no_config', reason: 'no bot settings saved yet', state: 'stopped' },
    ],
    [
      'paused by the user',
      `update public.polybot_user_config set bot_enabled = false where user_id = $1`,
      { code: 'paused_by_user', reason: 'paused by you', state: 'paused' },
    ],
    [
      'a paid plan whose subscription may not trade',
      `update public.polybot_user_profiles set subscription_tier = 'pro', subscription_status = 'incomplete_expired' where id = $1`,
      {
        code: 'subscription_inactive',
        reason:
          'the pro subscription is incomplete expired: trading stays stopped until it is paid or you choose another plan',
        state: 'stopped',
      },
    ],
    [
      'suspension wins over a pause and an unpaid plan',
      `with p as (update public.polybot_user_profiles set is_suspended = true, suspended_reason = 'x',
                         subscription_tier = 'basic', subscription_status = 'unpaid' where id = $1)
       update public.polybot_user_config set bot_enabled = false where user_id = $1`,
      { code: 'suspended', reason: 'suspended by PolyBot support: x', state: 'suspended' },
    ],
    [
      'a pause wins over an unpaid plan',
      `with p as (update public.polybot_user_profiles set subscription_tier = 'basic', subscription_status = 'unpaid'
                   where id = $1)
       update public.polybot_user_config set bot_enabled = false where user_id = $1`,
      { code: 'paused_by_user', reason: 'paused by you', state: 'paused' },
    ],
  ];
  for (const [name, change, want] of cases) {
    it(`${name}: ${want.code}, not desired`, async () => {
      const { decision, desired: listed } = await decideWith(change);
      expect(decision).toMatchObject({
        should_run: false,
        reason_code: want.code,
        reason: want.reason,
        idle_state: want.state,
      });
      expect(listed).toBe(false);
    });
  }

  it('paid plans trade while active, trialing or past due (the grace period); the free plan whatever its status', async () => {
    for (const status of ['active', 'trialing', 'past_due']) {
      const { decision } = await decideWith(
        `update public.polybot_user_profiles set subscription_tier = 'basic', subscription_status = '${status}' where id = $1`,
      );
      expect(decision).toMatchObject({ should_run: true });
    }
    const { decision } = await decideWith(
      `update public.polybot_user_profiles set subscription_status = 'canceled' where id = $1`,
    );
    expect(decision).toMatchObject({ should_run: true, subscription_tier: 'free' });
  });

  it('an unknown user: account_missing, still one row', async () => {
    const gone = randomUUID();
    expect(await decide(gone)).toEqual({
      user_id: gone,
      should_run: false,
      reason_code: 'account_missing',
      reason: 'account not found',
      idle_state: 'stopped',
      subscription_tier: null,
      config_version: null,
    });
  });

  it('without a user: one row per profile, and list_desired_bots is exactly its should_run rows', async () => {
    const all = await asService(db.sql, (tx) => tx`select user_id, should_run from public.bot_run_decisions()`);
    const profiles = await db.sql`select id from public.polybot_user_profiles`;
    expect(all).toHaveLength(profiles.length);
    const runs = all.filter((r) => r.should_run).map((r) => r.user_id);
    const listed = await asService(db.sql, (tx) => tx`select user_id from public.list_desired_bots()`);
    expect(listed.map((r) => r.user_id)).toEqual(runs);
    expect(await desired(userId)).toBe(runs.includes(userId));
  });
});

describe('bot_run_decisions: who may call it', () => {
  const call = (tx: Parameters<Parameters<typeof attempt>[2]>[0]) =>
    tx`select reason_code from public.bot_run_decisions(${userId}::uuid)`;
  it('service_role may', async () => {
    const { outcome } = await attempt(db.sql, { role: 'service_role' }, call);
    expect(outcome.ok).toBe(true);
  });
  it('anon may not', async () => {
    const { outcome } = await attempt(db.sql, { role: 'anon' }, call);
    expect(outcome.ok ? 'allowed' : outcome.code).toBe('42501');
  });
  it('authenticated (the user themself) may not', async () => {
    const { outcome } = await attempt(db.sql, { role: 'authenticated', userId }, call);
    expect(outcome.ok ? 'allowed' : outcome.code).toBe('42501');
  });
});
