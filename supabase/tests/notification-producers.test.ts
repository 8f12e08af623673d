// The notification producers (20261209000150–170): each cause emits exactly once, in its own transaction (a rolled-back
// cause leaves no notification and no job), never on a no-op update; trades are batched through one job per burst;
// the hourly limit, quiet hours, routing and the daily summary across time zones; the worker's claim / outcome calls
// and the dead letters admins see.
import { withUser, createDb, type Db } from '@polybot/db';
import {
  asManager,
  claimNotificationDelivery,
  dailySummaryData,
  flushTradeNotifications,
  listUsersDueDailySummary,
  markNotificationDead,
  markNotificationRetrying,
  markNotificationSent,
  sendDailySummaries,
} from '@polybot/db/service';
import { addNotificationChannel, setNotificationChannelEnabled, updateNotificationSettings } from '@polybot/db/user';
import { localLoginUrl } from '@polybot/local-stack/postgres';
import {
  ALWAYS_ON_EVENT_KINDS,
  NOTIFICATION_HOURLY_LIMIT,
  NotificationEventKindSchema,
  NotificationPayloadSchema,
} from '@polybot/schemas';
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthUser, createTestDatabase, saveSecret, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let mgr: Db;

beforeAll(async () => {
  db = await createTestDatabase();
  mgr = createDb(await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_manager' }), { max: 1 });
});
afterAll(async () => {
  await mgr?.end({ timeout: 5 });
  await db?.stop();
});

/** A user with one verified channel (a Slack webhook); its id. */
async function userWithChannel(email: string): Promise<{ user: string; channel: string }> {
  const user = await createAuthUser(db, email);
  const added = await withUser(db.sql, user, (tx) =>
    addNotificationChannel(tx, { kind: 'slack', target: `https://hooks.slack.test/${user}` }),
  );
  await verified(added.id);
  return { user, channel: added.id };
}

/** URL channels start unverified until the web's test send reaches them (20261210000200); here: as if it had. */
async function verified(channelId: string): Promise<void> {
  await db.sql`update public.polybot_notification_channels set verified_at = now() where id = ${channelId}`;
}

type Sql = Db | TransactionSql;
const notifications = (sql: Sql, user: string, kind?: string) => sql<
  {
    id: string;
    kind: string;
    payload: Record<string, unknown>;
    suppressed: string | null;
    deliver_after: Date | null;
  }[]
>`select id, kind, payload, suppressed, deliver_after from public.polybot_notifications
   where user_id = ${user} and (${kind ?? null}::text is null or kind = ${kind ?? null}) order by id`;
/** Queued jobs of a task (the jobs view leaves the payload out, so the table itself). */
const jobs = (sql: Sql, task: string) => sql<
  { key: string | null; payload: Record<string, unknown>; run_at: Date; max_attempts: number }[]
>`select j.key, j.payload, j.run_at, j.max_attempts from graphile_worker._private_jobs j
    join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = ${task} order by j.id`;

class Rollback extends Error {}
/** Runs the cause in a transaction, counts `kind` notifications inside it, rolls back; the count inside and after. */
async function insideThenRolledBack(user: string, kind: string, cause: (tx: TransactionSql) => Promise<unknown>) {
  let inside = -1;
  await db.sql
    .begin(async (tx) => {
      await cause(tx);
      inside = (await notifications(tx, user, kind)).length;
      throw new Rollback();
    })
    .catch((e: unknown) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return { inside, after: (await notifications(db.sql, user, kind)).length };
}

let tradeSeq = 0;
const insertTrade = (sql: Sql, user: string, extra: { realized?: number; at?: string; filled?: number } = {}) =>
  sql`insert into public.polybot_trades (user_id, client_order_id, platform, market_id, instrument_id, side, strategy,
                                         mode, order_type, status, limit_price, price, size, filled_size,
                                         realized_pnl_usd, market_title, created_at)
      values (${user}, ${`producer-trade-${++tradeSeq}`}, 'polymarket', 'm-1', 't-1', 'buy', 'single_platform', 'paper',
              'FOK', ${extra.filled === 0 ? 'cancelled' : 'filled'}, 0.5, ${extra.filled === 0 ? null : 0.45}, 10,
              ${extra.filled ?? 10}, ${extra.realized ?? null}, 'Will it rain?',
              ${extra.at ?? new Date().toISOString()})`;

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
