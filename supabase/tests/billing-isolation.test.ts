// Billing data under tenant isolation: every billing column of polybot_user_profiles (including stripe_event_at,
// added by ..._010000_billing) and the webhook's polybot_stripe_events, as anon, as the owner and as a stranger.
// Only the service writes billing state; a user can never change their own tier.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

const BILLING_COLUMNS: [string, string][] = [
  ['subscription_tier', `'enterprise'`],
  ['subscription_status', `'trialing'`],
  ['subscription_expires_at', `now() + interval '10 years'`],
  ['subscription_cancel_at_period_end', 'true'],
  ['stripe_customer_id', `'cus_forged'`],
  ['stripe_subscription_id', `'sub_forged'`],
  ['stripe_event_at', `now() + interval '10 years'`],
];

let db: TestDatabase;
let owner: string;
let stranger: string;

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await createAuthUser(db, 'billing-owner@test.local');
  stranger = await createAuthUser(db, 'billing-stranger@test.local');
  // Billing state as the webhook leaves it, so reads have something to leak and writes something to change.
  await db.sql`
    update public.polybot_user_profiles
       set subscription_tier = 'pro', stripe_customer_id = 'cus_owner', stripe_subscription_id = 'sub_owner',
           subscription_expires_at = now() + interval '20 days', stripe_event_at = now()
     where id = ${owner}`;
  await db.sql`insert into public.polybot_stripe_events (id, type, stripe_created_at, user_id) values ('evt_owner', 'invoice.paid', now(), ${owner})`;
});
afterAll(async () => {
  await db?.stop();
});

describe('reading billing data', () => {
  it('the owner reads their own billing columns', async () => {
    const { outcome } = await attempt(
      db.sql,
      { role: 'authenticated', userId: owner },
      (tx) =>
        tx`select subscription_tier, stripe_customer_id, stripe_event_at from public.polybot_user_profiles where id = ${owner}`,
    );
    expect(outcome).toMatchObject({ ok: true, value: [{ subscription_tier: 'pro', stripe_customer_id: 'cus_owner' }] });
  });

  it('a stranger sees no row of the owner, anon is refused', async () => {
    const asStranger = await attempt(
      db.sql,
      { role: 'authenticated', userId: stranger },
      (tx) => tx`select stripe_customer_id from public.polybot_user_profiles where id = ${owner}`,
    );
    expect(asStranger.outcome).toEqual({ ok: true, value: [] });
    const asAnon = await attempt(
      db.sql,
      { role: 'anon' },
      (tx) => tx`select stripe_customer_id from public.polybot_user_profiles`,
    );
    expect(asAnon.outcome).toMatchObject({ ok: false, code: '42501' });
  });

  it.each([
    ['anon', { role: 'anon' as const }],
    ['the owner', { role: 'authenticated' as const, userId: 'owner' }],
  ])('polybot_stripe_events is closed to %s', async (_name, actor) => {
    const resolved = actor.role === 'anon' ? actor : { role: 'authenticated' as const, userId: owner };
    const select = await attempt(db.sql, resolved, (tx) => tx`select id from public.polybot_stripe_events`);
    expect(select.outcome).toMatchObject({
      ok: false,
      code: '42501',
      message: 'permission denied for table polybot_stripe_events',
    });
    const insert = await attempt(
      db.sql,
      resolved,
      (tx) =>
        tx`insert into public.polybot_stripe_events (id, type, stripe_created_at) values ('evt_forged', 'invoice.paid', now())`,
      (tx) => tx`select count(*)::int as n from public.polybot_stripe_events where id = 'evt_forged'`,
    );
    expect(insert.outcome).toMatchObject({ ok: false, code: '42501' });
    expect(insert.verified).toEqual([{ n: 0 }]);
  });
});

describe('writing billing columns', () => {
  it.each(BILLING_COLUMNS)(
    'the owner cannot change %s (error names the column, nothing changes)',
    async (column, value) => {
      const { outcome, verified } = await attempt(
        db.sql,
        { role: 'authenticated', userId: owner },
        (tx) => tx.unsafe(`update public.polybot_user_profiles set ${column} = ${value} where id = $1`, [owner]),
        (tx) =>
          tx`select subscription_tier, stripe_customer_id, stripe_subscription_id, monthly_trade_limit from public.polybot_user_profiles where id = ${owner}`,
      );
      expect(outcome).toMatchObject({
        ok: false,
        code: '42501',
        message: `polybot_user_profiles.${column} cannot be changed by the user`,
      });
      expect(verified).toEqual([
        {
          subscription_tier: 'pro',
          stripe_customer_id: 'cus_owner',
          stripe_subscription_id: 'sub_owner',
          monthly_trade_limit: 10000,
        },
      ]);
    },
  );

  it.each(BILLING_COLUMNS)("a stranger cannot change the owner's %s (RLS: no row matches)", async (column, value) => {
    const { outcome, verified } = await attempt(
      db.sql,
      { role: 'authenticated', userId: stranger },
      (tx) =>
        tx.unsafe(`update public.polybot_user_profiles set ${column} = ${value} where id = $1 returning id`, [owner]),
      (tx) => tx`select subscription_tier, stripe_customer_id from public.polybot_user_profiles where id = ${owner}`,
    );
    expect(outcome).toEqual({ ok: true, value: [] });
    expect(verified).toEqual([{ subscription_tier: 'pro', stripe_customer_id: 'cus_owner' }]);
  });

  it.each(BILLING_COLUMNS)('anon cannot change %s', async (column, value) => {
    const { outcome } = await attempt(db.sql, { role: 'anon' }, (tx) =>
      tx.unsafe(`update public.polybot_user_profiles set ${column} = ${value} where id = $1`, [owner]),
    );
    expect(outcome).toMatchObject({ ok: false, code: '42501' });
  });

  it('the service (webhook connection) can write them, and the tier brings its limits', async () => {
    const { outcome, verified } = await attempt(
      db.sql,
      { role: 'service_role' },
      (tx) =>
        tx`update public.polybot_user_profiles set subscription_tier = 'basic', stripe_event_at = now() where id = ${owner} returning id`,
      (tx) => tx`select subscription_tier, monthly_trade_limit from public.polybot_user_profiles where id = ${owner}`,
    );
    expect(outcome).toMatchObject({ ok: true, value: [{ id: owner }] });
    expect(verified).toEqual([{ subscription_tier: 'basic', monthly_trade_limit: 1000 }]);
  });
});

describe('failed-payment policy in the desired state', () => {
  it('past_due keeps the bot running (grace), unpaid stops it, canceled-to-free runs it as free', async () => {
    await db.sql`update public.polybot_user_profiles set onboarding_completed = true where id = ${stranger}`;
    const desired = async (tier: string, status: string): Promise<boolean> => {
      await db.sql`update public.polybot_user_profiles set subscription_tier = ${tier}, subscription_status = ${status} where id = ${stranger}`;
      return (await db.sql`select 1 from public.list_desired_bots() where user_id = ${stranger}`).length === 1;
    };
    expect(await desired('pro', 'active')).toBe(true);
    expect(await desired('pro', 'past_due')).toBe(true);
    expect(await desired('pro', 'unpaid')).toBe(false);
    expect(await desired('free', 'canceled')).toBe(true);
  });
});
