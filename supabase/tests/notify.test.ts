// Each kind of change produces exactly the expected polybot_user_changed notifications, with ids only.
import { randomUUID } from 'node:crypto';
import { UserChangedPayloadSchema, USER_CHANGED_CHANNEL, type UserChangedPayload } from '@polybot/schemas';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthUser, createTestDatabase, saveSecret, testKeys, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let listener: postgres.Sql;
let received: string[] = [];
let sentinelWaiters: Array<{ token: string; resolve: () => void }> = [];

beforeAll(async () => {
  db = await createTestDatabase();
  listener = postgres(db.url, { max: 1, onnotice: () => undefined });
  await listener.listen(USER_CHANGED_CHANNEL, (payload) => {
    const waiter = sentinelWaiters.find((w) => payload === `sentinel:${w.token}`);
    if (waiter) {
      sentinelWaiters = sentinelWaiters.filter((w) => w !== waiter);
      waiter.resolve();
    } else {
      received.push(payload);
    }
  });
});
afterAll(async () => {
  await listener?.end();
  await db?.stop();
});

/**
 * Runs `change`, then sends a sentinel on the same channel after it committed. Postgres delivers notifications in
 * commit order, so once the sentinel arrives every notification the change caused has arrived too — no sleeps.
 */
async function notificationsOf(change: () => Promise<unknown>): Promise<UserChangedPayload[]> {
  received = [];
  await change();
  const token = Math.random().toString(36).slice(2);
  const arrived = new Promise<void>((resolve) => sentinelWaiters.push({ token, resolve }));
  await db.sql`select pg_notify(${USER_CHANGED_CHANNEL}, ${`sentinel:${token}`})`;
  await arrived;
  return received.map((raw) => UserChangedPayloadSchema.parse(JSON.parse(raw)));
}

async function asUser<T>(userId: string, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return db.sql.begin(async (tx) => {
    await tx`set local role authenticated`;
    await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: userId, role: 'authenticated' })}, true)`;
    return fn(tx);
  }) as Promise<T>;
}

describe('polybot_user_changed', () => {
  let userId = '';

  it('sign-up: profile and config inserted', async () => {
    const got = await notificationsOf(async () => {
      userId = await createAuthUser(db, 'notify@example.test');
    });
    expect(got).toEqual([
      { user_id: userId, table: 'polybot_user_profiles', op: 'insert' },
      { user_id: userId, table: 'polybot_user_config', op: 'insert' },
    ]);
  });

  it('config edit by the user: one update', async () => {
    const got = await notificationsOf(() =>
      asUser(userId, (tx) => tx`update public.polybot_user_config set min_profit_pct = 2.5 where user_id = ${userId}`),
    );
    expect(got).toEqual([{ user_id: userId, table: 'polybot_user_config', op: 'update' }]);
  });

  it('an update that changes nothing: no notification', async () => {
    const got = await notificationsOf(() =>
      asUser(userId, (tx) => tx`update public.polybot_user_config set min_profit_pct = 2.5 where user_id = ${userId}`),
    );
    expect(got).toEqual([]);
  });

  it('pause (bot_enabled=false) and resume: one update each', async () => {
    for (const enabled of [false, true]) {
      const got = await notificationsOf(() =>
        asUser(
          userId,
          (tx) => tx`update public.polybot_user_config set bot_enabled = ${enabled} where user_id = ${userId}`,
        ),
      );
      expect(got).toEqual([{ user_id: userId, table: 'polybot_user_config', op: 'update' }]);
    }
  });

  it('keys saved, rotated, validated and deleted: insert, update, update, delete', async () => {
    const secret = testKeys.kalshiPem('NOTIFYSECRETMARKER1234');
    const saved = await notificationsOf(() =>
      saveSecret(db.sql, userId, {
        platform: 'kalshi',
        isPaper: true,
        apiKey: randomUUID(),
        apiSecret: null,
        privateKey: secret,
      }),
    );
    const rotated = await notificationsOf(() =>
      saveSecret(db.sql, userId, {
        platform: 'kalshi',
        isPaper: true,
        apiKey: randomUUID(),
        apiSecret: null,
        privateKey: secret,
      }),
    );
    const validated = await notificationsOf(
      () => db.sql`select public.set_user_secret_validation(${userId}, 'kalshi', true, 'valid', null)`,
    );
    const deleted = await notificationsOf(() =>
      asUser(userId, (tx) => tx`select public.delete_user_secret('kalshi', true)`),
    );
    const secrets = (op: string) => [{ user_id: userId, table: 'polybot_user_secrets', op }];
    expect(saved).toEqual(secrets('insert'));
    expect(rotated).toEqual(secrets('update'));
    expect(validated).toEqual(secrets('update'));
    expect(deleted).toEqual(secrets('delete'));
  });

  it('suspension and resumption by an admin: one profile update each', async () => {
    const suspended = await notificationsOf(() => db.sql`select public.admin_suspend_user(${userId}, 'testing')`);
    const resumed = await notificationsOf(() => db.sql`select public.admin_resume_user(${userId})`);
    expect(suspended).toEqual([{ user_id: userId, table: 'polybot_user_profiles', op: 'update' }]);
    expect(resumed).toEqual([{ user_id: userId, table: 'polybot_user_profiles', op: 'update' }]);
  });

  it('a plan change (billing): one profile update', async () => {
    const got = await notificationsOf(
      () => db.sql`update public.polybot_user_profiles set subscription_tier = 'pro' where id = ${userId}`,
    );
    expect(got).toEqual([{ user_id: userId, table: 'polybot_user_profiles', op: 'update' }]);
  });

  it('the runner reserving a trade does not wake the manager', async () => {
    const got = await notificationsOf(() => db.sql`select public.increment_user_trades(${userId})`);
    expect(got).toEqual([]);
  });

  it('account deletion: profile and config deletes', async () => {
    const got = await notificationsOf(() => db.superuser`delete from auth.users where id = ${userId}`);
    expect(got).toEqual(
      expect.arrayContaining([
        { user_id: userId, table: 'polybot_user_profiles', op: 'delete' },
        { user_id: userId, table: 'polybot_user_config', op: 'delete' },
      ]),
    );
    expect(got).toHaveLength(2);
  });

  it('no payload ever carried a secret or more than ids', async () => {
    const all = await notificationsOf(async () => {
      const u = await createAuthUser(db, 'notify2@example.test');
      await saveSecret(db.sql, u, {
        platform: 'kalshi',
        isPaper: true,
        apiKey: randomUUID(),
        apiSecret: null,
        privateKey: testKeys.kalshiPem('NOTIFYSECRETMARKER9999'),
      });
    });
    expect(all.length).toBe(3);
    for (const raw of received) {
      expect(raw).not.toContain('NOTIFYSECRETMARKER');
      expect(Object.keys(JSON.parse(raw))).toEqual(['user_id', 'table', 'op']);
    }
  });
});
