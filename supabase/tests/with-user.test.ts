// withUser runs queries exactly as PostgREST would for the signed-in user: RLS decides what they see.
import { withAnon, withUser, withUserClaims } from '@polybot/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let alice: string;
let bob: string;
beforeAll(async () => {
  db = await createTestDatabase();
  alice = await createAuthUser(db, 'alice@example.test');
  bob = await createAuthUser(db, 'bob@example.test');
});
afterAll(async () => db?.stop());

describe('withUser', () => {
  it('sets role and claims transaction-locally, as PostgREST does', async () => {
    const [ctx] = await withUser(
      db.sql,
      alice,
      (tx) =>
        tx`select current_user as role, auth.uid() as uid, auth.role() as jwt_role, current_setting('request.jwt.claims', true)::jsonb ->> 'aud' as aud`,
    );
    expect(ctx).toEqual({ role: 'authenticated', uid: alice, jwt_role: 'authenticated', aud: 'authenticated' });
    const [after] =
      await db.sql`select current_user as role, nullif(current_setting('request.jwt.claims', true), '') as claims`;
    expect(after).toEqual({ role: 'postgres', claims: null });
  });

  it("sees only the user's own rows", async () => {
    const rows = await withUser(db.sql, alice, (tx) => tx`select user_id from public.polybot_user_config`);
    expect(rows.map((r) => r.user_id)).toEqual([alice]);
    const bobs = await withUser(
      db.sql,
      { sub: bob, email: 'bob@example.test' },
      (tx) => tx`select id, email from public.polybot_user_profiles`,
    );
    expect(bobs).toEqual([{ id: bob, email: 'bob@example.test' }]);
  });

  it('rolls back everything when the callback throws', async () => {
    await expect(
      withUser(db.sql, alice, async (tx) => {
        await tx`update public.polybot_user_config set min_profit_pct = 9 where user_id = ${alice}`;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const [row] = await db.sql`select min_profit_pct from public.polybot_user_config where user_id = ${alice}`;
    expect(Number(row?.min_profit_pct)).toBe(1);
  });

  it('refuses a claim set that is not a user', async () => {
    await expect(withUser(db.sql, 'not-a-uuid', async () => 1)).rejects.toThrow();
  });

  it('withAnon is the anon role and sees no user data', async () => {
    await expect(withAnon(db.sql, (tx) => tx`select * from public.polybot_user_profiles`)).rejects.toThrow(
      /permission denied/,
    );
    const plans = await withAnon(db.sql, (tx) => tx`select tier from public.polybot_plans order by sort_order`);
    expect(plans.map((p) => p.tier)).toEqual(['free', 'basic', 'pro', 'enterprise']);
  });
});

describe('withUserClaims', () => {
  it("sets the user's claims transaction-locally and keeps the connection's own role", async () => {
    const [ctx] = await withUserClaims(db.sql, alice, (tx) => tx`select current_user as role, auth.uid() as uid`);
    expect(ctx).toEqual({ role: 'postgres', uid: alice });
    const [after] = await db.sql.begin(
      (tx) => tx`select nullif(current_setting('request.jwt.claims', true), '') as claims`,
    );
    expect(after).toEqual({ claims: null });
  });

  it('refuses a claim set that is not a user', async () => {
    await expect(withUserClaims(db.sql, 'not-a-uuid', (tx) => tx`select 1`)).rejects.toThrow();
  });
});
