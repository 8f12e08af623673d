// The daily summary across time zones (20261209000160) and the notification worker's side of a delivery: claim /
// outcome calls and the dead letters admins see. The producers: notification-producers.test.ts.
import { withUser } from '@polybot/db';
import {
  asManager,
  claimNotificationDelivery,
  dailySummaryData,
  listUsersDueDailySummary,
  markNotificationDead,
  markNotificationRetrying,
  markNotificationSent,
  sendDailySummaries,
} from '@polybot/db/service';
import { setNotificationChannelEnabled, updateNotificationSettings } from '@polybot/db/user';
import { NotificationPayloadSchema } from '@polybot/schemas';
import { describe, expect, it } from 'vitest';
import { createAuthUser } from './helpers.ts';
import {
  db,
  insertTrade,
  mgr,
  notifications,
  useNotificationDatabase,
  userWithChannel,
} from './notification-fixture.ts';

useNotificationDatabase();

describe('daily summaries', () => {
  it('are due at each user’s own hour in their own time zone, once per day, with that day’s figures', async () => {
    const { user: london } = await userWithChannel('utc-summary@producers.test');
    const { user: newYork } = await userWithChannel('ny-summary@producers.test');
    const nowhere = await createAuthUser(db, 'no-channel-summary@producers.test');
    await withUser(db.sql, newYork, (tx) =>
      updateNotificationSettings(tx, {
        time_zone: 'America/New_York',
        summary_hour: 8,
        quiet_start: null,
        quiet_end: null,
        routes: {},
      }),
    );
    await insertTrade(db.sql, london, { realized: 2.5, at: '2026-12-08T12:00:00Z' });
    await insertTrade(db.sql, london, { realized: 9, at: '2026-12-09T01:00:00Z' }); // the next day: not in it
    const due = async (now: string) =>
      (await asManager(mgr, (tx) => listUsersDueDailySummary(tx, new Date(now)))).filter((d) =>
        [london, newYork, nowhere].includes(d.user_id),
      );
    // 08:30 UTC: London's 08:00 hour; New York is at 03:30.
    expect(await due('2026-12-09T08:30:00Z')).toEqual([
      { user_id: london, time_zone: 'UTC', summary_date: '2026-12-08' },
    ]);
    // 13:10 UTC = 08:10 in New York (UTC-5 in December).
    expect(await due('2026-12-09T13:10:00Z')).toEqual([
      { user_id: newYork, time_zone: 'America/New_York', summary_date: '2026-12-08' },
    ]);
    expect(await due('2026-12-09T09:00:00Z')).toEqual([]);

    expect(await asManager(mgr, (tx) => dailySummaryData(tx, london, '2026-12-08', 'UTC'))).toMatchObject({
      kind: 'daily_summary',
      date: '2026-12-08',
      pnl_usd: 2.5,
      trades: 1,
    });
    await asManager(mgr, (tx) => sendDailySummaries(tx, new Date('2026-12-09T08:30:00Z')));
    await asManager(mgr, (tx) => sendDailySummaries(tx, new Date('2026-12-09T08:45:00Z')));
    const sent = await notifications(db.sql, london, 'daily_summary');
    expect(sent).toHaveLength(1);
    expect(NotificationPayloadSchema.parse(sent[0]?.payload)).toMatchObject({ date: '2026-12-08', pnl_usd: 2.5 });
    expect(await due('2026-12-09T08:30:00Z')).toEqual([]);
    expect(await notifications(db.sql, newYork, 'daily_summary')).toEqual([]);
  });
});

describe('the worker’s side of a delivery', () => {
  it('claims with attempts counted, records retrying and dead; admins see the dead letter', async () => {
    const { user, channel } = await userWithChannel('worker@producers.test');
    await db.sql`select private.emit_notification(${user}, 'bot_error', '{"code": "runner_error", "reason": "boom"}')`;
    const [delivery] = await db.sql<{ id: string }[]>`
      select id from public.polybot_notification_deliveries where user_id = ${user}`;
    const id = Number(delivery?.id);
    const first = await asManager(mgr, (tx) => claimNotificationDelivery(tx, id));
    expect(first).toMatchObject({ attempt: 1, kind: 'bot_error', channel: { id: channel, kind: 'slack' } });
    expect(first?.idempotency_key).toMatch(/^ntf_\d+_/);
    expect(await asManager(mgr, (tx) => markNotificationRetrying(tx, id, 'HTTP 503'))).toBe(true);
    expect(await asManager(mgr, (tx) => claimNotificationDelivery(tx, id))).toMatchObject({ attempt: 2 });
    expect(await asManager(mgr, (tx) => markNotificationDead(tx, id, 'HTTP 410: the webhook is gone'))).toBe(true);
    expect(await asManager(mgr, (tx) => markNotificationSent(tx, id))).toBe(false);
    expect(await asManager(mgr, (tx) => claimNotificationDelivery(tx, id))).toBeNull();
    const letters = await db.sql`
      select delivery_id::int as id, email, kind, channel_kind, attempts, last_error
        from public.admin_notification_dead_letters where user_id = ${user}`;
    expect(letters).toEqual([
      {
        id,
        email: 'worker@producers.test',
        kind: 'bot_error',
        channel_kind: 'slack',
        attempts: 2,
        last_error: 'HTTP 410: the webhook is gone',
      },
    ]);
    expect(await mgr`select 1 from public.admin_notification_dead_letters`.catch((e: { code: string }) => e.code)).toBe(
      '42501',
    );
  });

  it('skips a delivery whose channel was disabled, and marks a sent one sent', async () => {
    const { user, channel } = await userWithChannel('skipped@producers.test');
    await db.sql`select private.emit_notification(${user}, 'bot_error', '{"code": "runner_error", "reason": "a"}')`;
    await db.sql`select private.emit_notification(${user}, 'bot_error', '{"code": "runner_error", "reason": "b"}')`;
    const ids = (
      await db.sql<
        { id: string }[]
      >`select id from public.polybot_notification_deliveries where user_id = ${user} order by id`
    ).map((r) => Number(r.id));
    const [a = 0, b = 0] = ids;
    expect(await asManager(mgr, (tx) => claimNotificationDelivery(tx, a))).not.toBeNull();
    expect(await asManager(mgr, (tx) => markNotificationSent(tx, a))).toBe(true);
    await withUser(db.sql, user, (tx) => setNotificationChannelEnabled(tx, channel, false));
    expect(await asManager(mgr, (tx) => claimNotificationDelivery(tx, b))).toBeNull();
    const statuses = await db.sql`
      select status, sent_at is not null as sent from public.polybot_notification_deliveries where user_id = ${user} order by id`;
    expect(statuses).toEqual([
      { status: 'sent', sent: true },
      { status: 'skipped', sent: false },
    ]);
  });
});
