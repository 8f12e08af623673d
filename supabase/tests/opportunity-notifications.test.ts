// opportunity_found (20261210000100): private.emit_opportunity_notification, which the bot-manager calls for a runner's
// new opportunity. Only for users with notify_on_opportunity on; once per user and opportunity key per 15 minutes
// (another key, another user or a later window notifies again); the hourly limit of emit_notification on top; bad
// input refused; only polybot_manager may call it.
import { withUser, createDb, type Db } from '@polybot/db';
import { asManager, emitOpportunityNotification, type FoundOpportunity } from '@polybot/db/service';
import { addNotificationChannel } from '@polybot/db/user';
import { localLoginUrl } from '@polybot/local-stack/postgres';
import { NOTIFICATION_HOURLY_LIMIT, NotificationPayloadSchema } from '@polybot/schemas';
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let mgr: Db;
let web: Db;

beforeAll(async () => {
  db = await createTestDatabase();
  mgr = createDb(await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_manager' }), { max: 1 });
  web = createDb(await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_web' }), { max: 1 });
});
afterAll(async () => {
  await Promise.allSettled([mgr?.end({ timeout: 5 }), web?.end({ timeout: 5 })]);
  await db?.stop();
});

/** A user with a verified Slack channel and opportunity notifications `on`. */
async function user(email: string, on = true): Promise<string> {
  const id = await createAuthUser(db, email);
  const added = await withUser(db.sql, id, (tx) =>
    addNotificationChannel(tx, { kind: 'slack', target: `https://hooks.slack.test/${id}` }),
  );
  // URL channels start unverified; the settings page verifies one after a successful test send.
  await db.sql`update public.polybot_notification_channels set verified_at = now() where id = ${added.id}`;
  await db.sql`update public.polybot_user_config set notify_on_opportunity = ${on} where user_id = ${id}`;
  return id;
}

const found = (userId: string, key = 'single:binary:m-1'): FoundOpportunity => ({
  userId,
  key,
  strategy: 'single_platform',
  description: 'Complete set on “Will it rain?” for $0.97',
  expectedProfitUsd: 0.3,
});
const emit = (o: FoundOpportunity, at: string) =>
  asManager(mgr, (tx) => emitOpportunityNotification(tx, o, new Date(at)));
const opportunities = (userId: string) =>
  db.sql<{ payload: unknown; suppressed: string | null }[]>`
    select payload, suppressed from public.polybot_notifications
     where user_id = ${userId} and kind = 'opportunity_found' order by id`;

describe('emit_opportunity_notification', () => {
  it('emits opportunity_found with the contract’s payload and queues its delivery', async () => {
    const u = await user('found@opportunities.test');
    const id = await emit(found(u), '2026-12-05T10:00:00Z');
    expect(id).not.toBeNull();
    const [n] = await opportunities(u);
    expect(NotificationPayloadSchema.parse(n?.payload)).toEqual({
      kind: 'opportunity_found',
      strategy: 'single_platform',
      description: 'Complete set on “Will it rain?” for $0.97',
      expected_profit_usd: 0.3,
    });
    const [d] = await db.sql`select status from public.polybot_notification_deliveries where notification_id = ${id}`;
    expect(d?.status).toBe('pending');
  });

  it('is silent while notify_on_opportunity is off', async () => {
    const u = await user('off@opportunities.test', false);
    expect(await emit(found(u), '2026-12-05T10:00:00Z')).toBeNull();
    expect(await opportunities(u)).toEqual([]);
  });

  it('notifies one key once per 15 minutes; another key or another user at once', async () => {
    const u = await user('throttle@opportunities.test');
    const other = await user('other@opportunities.test');
    expect(await emit(found(u), '2026-12-05T11:00:00Z')).not.toBeNull();
    expect(await emit(found(u), '2026-12-05T11:05:00Z')).toBeNull();
    expect(await emit(found(u), '2026-12-05T11:14:59Z')).toBeNull();
    expect(await emit(found(u, 'cross:7:aYes-bNo'), '2026-12-05T11:05:00Z')).not.toBeNull();
    expect(await emit(found(other), '2026-12-05T11:05:00Z')).not.toBeNull();
    expect(await emit(found(u), '2026-12-05T11:15:01Z')).not.toBeNull();
    expect(await opportunities(u)).toHaveLength(3);
    // A key too long for a dedupe key as it is (a copied trade's tx hash and token id) is named by its md5.
    const long = `copy:0x${'ab'.repeat(32)}:${'9'.repeat(200)}`;
    expect(await emit(found(u, long), '2026-12-05T11:20:00Z')).not.toBeNull();
    expect(await emit(found(u, long), '2026-12-05T11:21:00Z')).toBeNull();
  });

  it('keeps the hourly limit of emit_notification on top (the rest recorded as rate_limited)', async () => {
    const u = await user('hourly@opportunities.test');
    for (let i = 0; i < NOTIFICATION_HOURLY_LIMIT + 2; i++)
      await emit(found(u, `single:binary:m-${i}`), `2026-12-05T12:00:${String(i).padStart(2, '0')}Z`);
    const rows = await opportunities(u);
    expect(rows.filter((r) => r.suppressed === null)).toHaveLength(NOTIFICATION_HOURLY_LIMIT);
    expect(rows.filter((r) => r.suppressed === 'rate_limited')).toHaveLength(2);
  });

  it('refuses what is not an opportunity', async () => {
    const u = await user('bad@opportunities.test');
    for (const bad of [
      { ...found(u), key: '' },
      { ...found(u), key: 'k'.repeat(501) },
      { ...found(u), strategy: '' },
      { ...found(u), description: '  ' },
      { ...found(u), expectedProfitUsd: Number.NaN },
    ])
      await expect(emit(bad, '2026-12-05T13:00:00Z')).rejects.toMatchObject({ code: '22023' });
    expect(await opportunities(u)).toEqual([]);
  });

  it('only polybot_manager may call it', async () => {
    const u = await user('who@opportunities.test');
    const call = (tx: Db | TransactionSql) =>
      tx`select private.emit_opportunity_notification(${u}, 'k', 'single_platform', 'd', 1)`;
    for (const actor of [
      { role: 'anon' } as const,
      { role: 'authenticated', userId: u } as const,
      { role: 'service_role' } as const,
    ]) {
      const { outcome } = await attempt(db.sql, actor, (tx) => call(tx));
      expect(outcome).toMatchObject({ ok: false, code: '42501' });
    }
    await expect(call(web)).rejects.toMatchObject({ code: '42501' });
    await expect(asManager(mgr, (tx) => call(tx))).resolves.toHaveLength(1);
  });
});
