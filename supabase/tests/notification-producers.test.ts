// The notification producers (20261209000150–170): each cause emits exactly once, in its own transaction (a rolled-back
// cause leaves no notification and no job), never on a no-op update; trades are batched through one job per burst;
// the hourly limit, quiet hours and routing of emit_notification. The daily summary and the worker's side:
// notification-delivery.test.ts.
import { withUser } from '@polybot/db';
import { asManager, flushTradeNotifications } from '@polybot/db/service';
import { addNotificationChannel, setNotificationChannelEnabled, updateNotificationSettings } from '@polybot/db/user';
import {
  ALWAYS_ON_EVENT_KINDS,
  NOTIFICATION_HOURLY_LIMIT,
  NotificationEventKindSchema,
  NotificationPayloadSchema,
} from '@polybot/schemas';
import { describe, expect, it } from 'vitest';
import { createAuthUser, saveSecret } from './helpers.ts';
import {
  db,
  insertTrade,
  insideThenRolledBack,
  jobs,
  mgr,
  notifications,
  Rollback,
  useNotificationDatabase,
  userWithChannel,
  verified,
  type Sql,
} from './notification-fixture.ts';

useNotificationDatabase();

describe('trades → one flush job per burst → one trade_executed notification', () => {
  it('queues flush_trade_notifications with the user’s job key, once per burst, only when committed', async () => {
    const { user } = await userWithChannel('trades@producers.test');
    await db.sql
      .begin(async (tx) => {
        await insertTrade(tx, user);
        expect((await jobs(tx, 'flush_trade_notifications')).filter((j) => j.key === `trades:${user}`)).toHaveLength(1);
        throw new Rollback();
      })
      .catch((e: unknown) => {
        if (!(e instanceof Rollback)) throw e;
      });
    expect((await jobs(db.sql, 'flush_trade_notifications')).filter((j) => j.key === `trades:${user}`)).toEqual([]);

    await insertTrade(db.sql, user);
    const [first] = (await jobs(db.sql, 'flush_trade_notifications')).filter((j) => j.key === `trades:${user}`);
    await insertTrade(db.sql, user);
    await insertTrade(db.sql, user);
    const burst = (await jobs(db.sql, 'flush_trade_notifications')).filter((j) => j.key === `trades:${user}`);
    expect(burst).toHaveLength(1);
    expect(burst[0]?.payload).toEqual({ userId: user });
    expect(burst[0]?.run_at).toEqual(first?.run_at); // preserve_run_at: a stream of trades cannot postpone it forever

    const id = await asManager(mgr, (tx) => flushTradeNotifications(tx, user));
    expect(id).not.toBeNull();
    const [n] = await notifications(db.sql, user, 'trade_executed');
    const payload = NotificationPayloadSchema.parse(n?.payload);
    expect(payload).toMatchObject({ kind: 'trade_executed', count: 3 });
    expect(await asManager(mgr, (tx) => flushTradeNotifications(tx, user))).toBeNull();
    const deliver = (await jobs(db.sql, 'deliver_notification')).filter((j) => j.key?.startsWith('delivery:'));
    expect(deliver.length).toBeGreaterThan(0);
    expect(deliver[0]?.max_attempts).toBe(10);
  });

  it('tells only of fills: an order that filled nothing queues no job and is left out of the burst', async () => {
    const { user } = await userWithChannel('cancelled-trader@producers.test');
    await insertTrade(db.sql, user, { filled: 0 });
    expect((await jobs(db.sql, 'flush_trade_notifications')).filter((j) => j.key === `trades:${user}`)).toEqual([]);
    expect(await asManager(mgr, (tx) => flushTradeNotifications(tx, user))).toBeNull();

    await insertTrade(db.sql, user);
    await insertTrade(db.sql, user, { filled: 0 });
    await insertTrade(db.sql, user, { filled: 4 });
    expect(await asManager(mgr, (tx) => flushTradeNotifications(tx, user))).not.toBeNull();
    const [n] = await notifications(db.sql, user, 'trade_executed');
    const payload = NotificationPayloadSchema.parse(n?.payload);
    if (payload.kind !== 'trade_executed') throw new Error(payload.kind);
    expect(payload.count).toBe(2);
    expect(payload.trades.map((t) => t.size)).toEqual([4, 10]);
  });

  it('queues nothing for a user with nowhere to send it', async () => {
    const user = await createAuthUser(db, 'no-channel-trader@producers.test');
    await insertTrade(db.sql, user);
    expect((await jobs(db.sql, 'flush_trade_notifications')).filter((j) => j.key === `trades:${user}`)).toEqual([]);
  });

  it('queues nothing for a user who turned trade notifications off', async () => {
    const { user } = await userWithChannel('quiet-trader@producers.test');
    await db.sql`update public.polybot_user_config set notify_on_trade = false where user_id = ${user}`;
    await insertTrade(db.sql, user);
    expect((await jobs(db.sql, 'flush_trade_notifications')).filter((j) => j.key === `trades:${user}`)).toEqual([]);
  });
});

describe('alerts from the tables where their cause is written', () => {
  const cases: Array<{ kind: string; cause: (sql: Sql, user: string) => Promise<unknown>; code: string }> = [
    {
      kind: 'bot_error',
      code: 'crash_loop',
      cause: (sql, user) => sql`update public.polybot_bot_status
        set state = 'error', error_code = 'crash_loop', last_error = 'The bot crashed 5 times in a row.' where user_id = ${user}`,
    },
    {
      kind: 'bot_stopped',
      code: 'cpu_budget',
      cause: (sql, user) => sql`update public.polybot_bot_status
        set state = 'stopped', halt_code = 'cpu_budget', halt_reason = 'Over its CPU budget.' where user_id = ${user}`,
    },
    {
      kind: 'loss_limit_reached',
      code: 'daily_loss_limit',
      cause: (sql, user) => sql`update public.polybot_bot_status
        set state = 'running', halt_code = 'daily_loss_limit', halt_reason = 'Daily loss limit.' where user_id = ${user}`,
    },
    {
      kind: 'monthly_limit_reached',
      code: 'monthly_limit_reached',
      cause: (sql, user) => sql`update public.polybot_bot_status
        set state = 'limit_reached', halt_code = 'monthly_limit_reached', halt_reason = 'Monthly limit.'
        where user_id = ${user}`,
    },
    {
      kind: 'key_invalid',
      code: 'invalid',
      cause: (sql, user) => sql`update public.polybot_user_secrets
        set validation_status = 'invalid', validation_error = 'Polymarket rejected the key.' where user_id = ${user}`,
    },
    {
      kind: 'payment_failed',
      code: 'past_due',
      cause: (sql, user) =>
        sql`update public.polybot_user_profiles set subscription_status = 'past_due' where id = ${user}`,
    },
    {
      kind: 'plan_ended',
      code: 'canceled',
      cause: (sql, user) => sql`update public.polybot_user_profiles
        set subscription_status = 'canceled', subscription_tier = 'free' where id = ${user}`,
    },
    {
      kind: 'suspended',
      code: 'suspended',
      cause: (sql, user) => sql`update public.polybot_user_profiles
        set is_suspended = true, suspended_reason = 'Chargeback under review.', suspended_at = now() where id = ${user}`,
    },
  ];

  for (const { kind, cause, code } of cases) {
    it(`${kind}: once, inside the cause's transaction, never on a rolled-back or repeated cause`, async () => {
      const { user } = await userWithChannel(`${kind}@producers.test`);
      await saveSecret(db.sql, user, {
        platform: 'polymarket',
        isPaper: true,
        apiKey: '0b7c4a1e-5f2d-4c3b-9a8e-1d2f3e4a5b6c',
        apiSecret: JSON.stringify({ secret: 'producers-api-secret', passphrase: 'producers-pass' }),
        privateKey: '0x' + 'ab'.repeat(32),
      });
      await db.sql`update public.polybot_user_profiles set subscription_tier = 'pro' where id = ${user}`;
      expect(await insideThenRolledBack(user, kind, (tx) => cause(tx, user))).toEqual({ inside: 1, after: 0 });
      await cause(db.sql, user);
      await cause(db.sql, user); // the same values again: a no-op update
      const emitted = await notifications(db.sql, user, kind);
      expect(emitted).toHaveLength(1);
      expect(NotificationPayloadSchema.parse(emitted[0]?.payload)).toMatchObject({ kind, code });
      // Everything this user got: this one alert (the setup's plan change emits nothing).
      expect((await notifications(db.sql, user)).map((n) => n.kind)).toEqual([kind]);
    });
  }

  it('resumed follows a lifted suspension', async () => {
    const { user } = await userWithChannel('resumed@producers.test');
    await db.sql`update public.polybot_user_profiles
      set is_suspended = true, suspended_reason = 'Review.', suspended_at = now() where id = ${user}`;
    await db.sql`update public.polybot_user_profiles
      set is_suspended = false, suspended_reason = null, suspended_at = null where id = ${user}`;
    expect((await notifications(db.sql, user)).map((n) => n.kind)).toEqual(['suspended', 'resumed']);
  });
});

describe('emit_notification', () => {
  it('treats exactly ALWAYS_ON_EVENT_KINDS as alerts', async () => {
    const rows = await db.sql<{ kind: string }[]>`
      select kind from unnest(${NotificationEventKindSchema.options}::text[]) as kind where private.is_alert_event(kind)`;
    expect(rows.map((r) => r.kind)).toEqual([...ALWAYS_ON_EVENT_KINDS]);
  });

  const emit = (user: string, kind: string, payload: object, now: string) =>
    db.sql`select private.emit_notification(${user}, ${kind}, ${db.sql.json(payload as never)}, null, ${now}::timestamptz)`;
  const opportunity = { strategy: 'single_platform', description: 'YES + NO < $1', expected_profit_usd: 1 };

  it(`sends at most ${NOTIFICATION_HOURLY_LIMIT} non-alerts an hour; alerts always`, async () => {
    const { user } = await userWithChannel('busy@producers.test');
    for (let i = 0; i < NOTIFICATION_HOURLY_LIMIT + 1; i++) {
      await emit(user, 'opportunity_found', opportunity, `2026-12-09T10:${String(i).padStart(2, '0')}:00Z`);
    }
    await emit(user, 'bot_error', { code: 'runner_error', reason: 'x' }, '2026-12-09T10:40:00Z');
    await emit(user, 'opportunity_found', opportunity, '2026-12-09T11:31:00Z');
    const all = await notifications(db.sql, user);
    expect(all.map((n) => n.suppressed)).toEqual([
      ...Array.from({ length: NOTIFICATION_HOURLY_LIMIT }, () => null),
      'rate_limited',
      null,
      null,
    ]);
    const [{ n } = { n: -1 }] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from public.polybot_notification_deliveries d
        join public.polybot_notifications x on x.id = d.notification_id where x.user_id = ${user}`;
    expect(n).toBe(NOTIFICATION_HOURLY_LIMIT + 2);
  });

  it('holds non-alerts until the end of quiet hours in the user’s time zone; alerts go at once', async () => {
    const { user } = await userWithChannel('sleepy@producers.test');
    await withUser(db.sql, user, (tx) =>
      updateNotificationSettings(tx, {
        time_zone: 'Europe/Paris',
        summary_hour: 8,
        quiet_start: 22,
        quiet_end: 7,
        routes: {},
      }),
    );
    // 22:30 UTC = 23:30 in Paris (UTC+1 in December): held until 07:00 Paris = 06:00 UTC the next day.
    await emit(user, 'opportunity_found', opportunity, '2026-12-09T22:30:00Z');
    await emit(user, 'bot_error', { code: 'runner_error', reason: 'x' }, '2026-12-09T22:30:00Z');
    // 12:00 UTC: outside quiet hours.
    await emit(user, 'opportunity_found', opportunity, '2026-12-10T12:00:00Z');
    const all = await notifications(db.sql, user);
    expect(all.map((n) => n.deliver_after?.toISOString() ?? null)).toEqual(['2026-12-10T06:00:00.000Z', null, null]);
    const [held] = await db.sql<{ run_at: Date }[]>`
      select j.run_at from graphile_worker.jobs j
        join public.polybot_notification_deliveries d on j.key = 'delivery:' || d.id
       where d.notification_id = ${all[0]?.id ?? 0}`;
    expect(held?.run_at.toISOString()).toBe('2026-12-10T06:00:00.000Z');
  });

  it('routes an optional kind nowhere when the user says so, and an alert to every channel when its own are gone', async () => {
    const { user, channel } = await userWithChannel('router@producers.test');
    const second = await withUser(db.sql, user, (tx) =>
      addNotificationChannel(tx, { kind: 'discord', target: 'https://discord.test/api/webhooks/1' }),
    );
    await verified(second.id);
    await withUser(db.sql, user, (tx) =>
      updateNotificationSettings(tx, {
        time_zone: 'UTC',
        summary_hour: 8,
        quiet_start: null,
        quiet_end: null,
        routes: { opportunity_found: [], bot_error: [second.id] },
      }),
    );
    await emit(user, 'opportunity_found', opportunity, '2026-12-09T12:00:00Z');
    await emit(user, 'bot_error', { code: 'runner_error', reason: 'x' }, '2026-12-09T12:00:00Z');
    await withUser(db.sql, user, (tx) => setNotificationChannelEnabled(tx, second.id, false));
    await emit(user, 'bot_error', { code: 'runner_error', reason: 'y' }, '2026-12-09T12:01:00Z');
    const rows = await db.sql<{ kind: string; suppressed: string | null; channels: string[] | null }[]>`
      select n.kind, n.suppressed, array_agg(d.channel_id::text order by d.id) filter (where d.id is not null) as channels
        from public.polybot_notifications n left join public.polybot_notification_deliveries d on d.notification_id = n.id
       where n.user_id = ${user} group by n.id order by n.id`;
    expect(rows).toEqual([
      { kind: 'opportunity_found', suppressed: 'no_channel', channels: null },
      { kind: 'bot_error', suppressed: null, channels: [second.id] },
      { kind: 'bot_error', suppressed: null, channels: [channel] },
    ]);
  });
});
