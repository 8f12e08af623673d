// Pause/resume is rate-limited in the database (migration 20261207000610, SECURITY.md §7.3): a signed-in user may change
// bot_enabled at most 6 times in 10 minutes, through the Data API as through the web; the 7th is refused with words the
// web shows as they are. Other config changes, and the platform's own writes, are not limited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let userId: string;
let otherId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  userId = await createAuthUser(db, 'toggler@example.test');
  otherId = await createAuthUser(db, 'other-toggler@example.test');
});
afterAll(async () => db?.stop());

const toggle = (tx: Parameters<Parameters<typeof attempt>[2]>[0], id: string, on: boolean) =>
  tx`update public.polybot_user_config set bot_enabled = ${on} where user_id = ${id} returning bot_enabled`;

describe('pause/resume rate limit', () => {
  it('allows 6 toggles in the window and refuses the 7th (54000) with the words the web shows', async () => {
    const { outcome, verified } = await attempt(
      db.sql,
      { role: 'authenticated', userId },
      async (tx) => {
        for (let i = 0; i < 6; i++) await toggle(tx, userId, i % 2 === 1);
        return 'six allowed';
      },
      async (tx) => {
        await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: userId, role: 'authenticated' })}, true)`;
        await tx`set local role authenticated`;
        await tx`savepoint seventh`;
        try {
          await toggle(tx, userId, false);
          return { code: 'none', message: '' };
        } catch (e) {
          await tx`rollback to savepoint seventh`;
          return e as { code: string; message: string };
        }
      },
    );
    expect(outcome).toEqual({ ok: true, value: 'six allowed' });
    expect(verified?.code).toBe('54000');
    expect(verified?.message).toBe(
      'You paused or resumed your bot 6 times in the last 10 minutes, the most allowed: each time restarts it. Try again in 10 minutes.',
    );
  });

  it("one user's toggles do not count against another's", async () => {
    const { outcome } = await attempt(db.sql, { role: 'authenticated', userId }, async (tx) => {
      for (let i = 0; i < 6; i++) await toggle(tx, userId, i % 2 === 1);
      await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: otherId, role: 'authenticated' })}, true)`;
      return (await toggle(tx, otherId, false)).length;
    });
    expect(outcome).toEqual({ ok: true, value: 1 });
  });

  it('toggles older than 10 minutes no longer count', async () => {
    await db.sql`insert into private.bot_toggles (user_id, toggled_at)
                 select ${userId}, now() - interval '11 minutes' from generate_series(1, 6)`;
    try {
      const { outcome } = await attempt(db.sql, { role: 'authenticated', userId }, async (tx) => {
        for (let i = 0; i < 6; i++) await toggle(tx, userId, i % 2 === 1);
        return 'six more allowed';
      });
      expect(outcome).toEqual({ ok: true, value: 'six more allowed' });
    } finally {
      await db.sql`delete from private.bot_toggles where user_id = ${userId}`;
    }
  });

  it('other config changes are not toggles, and the platform (service role) is not limited', async () => {
    const { outcome } = await attempt(db.sql, { role: 'authenticated', userId }, async (tx) => {
      for (let i = 0; i < 10; i++)
        await tx`update public.polybot_user_config set min_profit_pct = ${1 + i / 10} where user_id = ${userId}`;
      for (let i = 0; i < 6; i++) await toggle(tx, userId, i % 2 === 1);
      return 'ok';
    });
    expect(outcome.ok).toBe(true);
    const platform = await attempt(db.sql, { role: 'service_role' }, async (tx) => {
      for (let i = 0; i < 10; i++) await toggle(tx, userId, i % 2 === 1);
      return 'ok';
    });
    expect(platform.outcome).toEqual({ ok: true, value: 'ok' });
  });

  it('users cannot read or write the toggle history', async () => {
    const read = await attempt(
      db.sql,
      { role: 'authenticated', userId },
      (tx) => tx`select * from private.bot_toggles`,
    );
    expect(read.outcome.ok).toBe(false);
    const clear = await attempt(db.sql, { role: 'authenticated', userId }, (tx) => tx`delete from private.bot_toggles`);
    expect(clear.outcome.ok).toBe(false);
  });
});
