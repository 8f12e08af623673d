// The notification worker end to end (docs/NOTIFICATIONS.md "Worker"): real Postgres with the queue, the worker as
// the manager runs it (startNotificationWorker, its own polybot_manager pools), the real SMTP sink, an https webhook
// receiver and the Telegram stand-in. A trade → one email, one signed webhook, one Telegram message; a provider down
// → retried → delivered exactly once when it is back; a permanent refusal → a dead letter admins see; daily summaries
// at the users' hour in two time zones with a controlled clock; two workers on one database → each delivery once.
import { startMailSink, type MailSink } from '@polybot/local-stack/mail';
import { startTelegramStandIn, type TelegramStandIn } from '@polybot/local-stack/telegram';
import { verifyUnsubscribeToken } from '@polybot/notify';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNotificationWorker, type NotificationWorker } from '../src/notifications/worker.ts';
import { createLogger } from '../src/shared/log.ts';
import { createTestDatabase, managerLoginUrl, until, type TestDatabase } from './harness.ts';
import {
  addEmail,
  addJob,
  addTelegram,
  addWebhook,
  APP_URL,
  deliveriesOf,
  insertTrade,
  jobDone,
  notifiedUser,
  queuedJobs,
  runJobsNow,
  startWebhookReceiver,
  UNSUBSCRIBE_SECRET,
  workerConfig,
  type WebhookReceiver,
} from './notification-world.ts';

let db: TestDatabase;
let managerUrl: string;
let receiver: WebhookReceiver;
let sink: MailSink;
let telegram: TelegramStandIn;
let now = new Date();
const workers: NotificationWorker[] = [];

function startWorker(name: string): Promise<NotificationWorker> {
  return startNotificationWorker({
    databaseUrl: managerUrl,
    config: workerConfig({ receiver, smtpUrl: sink.smtpUrl, telegram }),
    logger: createLogger(name, 'warn'),
    clock: () => now,
    name,
  }).then((w) => {
    workers.push(w);
    return w;
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  managerUrl = await managerLoginUrl(db);
  receiver = await startWebhookReceiver();
  sink = await startMailSink();
  telegram = await startTelegramStandIn();
  await startWorker('notify-a');
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(workers.map((w) => w.stop()));
  await Promise.allSettled([receiver?.close(), sink?.close(), telegram?.close()]);
  await db?.stop();
});

function must<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`missing: ${what}`);
  return v;
}

const allSent = async (user: string, n: number) => {
  const rows = await deliveriesOf(db.sql, user);
  return rows.length === n && rows.every((d) => d.status === 'sent') ? rows : null;
};

describe('a trade', () => {
  it('→ one email (unsubscribe link signed), one signed webhook, one Telegram message', async () => {
    const user = await notifiedUser(db, 'trader');
    const address = `${user}@mail.test`;
    await addEmail(db, user, address);
    const hook = await addWebhook(db, user, `${receiver.origin}/hooks/${user}`);
    await addTelegram(db, user, telegram, 424242);

    await insertTrade(db.sql, user, 'Will it rain in Paris?');
    // The burst delay (5 s) runs out by itself here: the trigger's job, the flush, the three deliveries.
    const sent = await until(() => allSent(user, 3), 'three deliveries sent', 60_000);
    expect(sent.map((d) => d.channel_kind).sort()).toEqual(['email', 'telegram', 'webhook']);
    expect(sent.every((d) => d.attempts === 1)).toBe(true);

    const mails = sink.messages({ to: address });
    expect(mails).toHaveLength(1);
    const mail = must(mails[0], 'the mail');
    expect(mail.subject).toMatch(/bought|trade/i);
    expect(mail.text).toContain('Will it rain in Paris?');
    const link = /<(https:\/\/[^>]+)>/.exec(mail.headers['list-unsubscribe'] ?? '')?.[1] ?? '';
    expect(link.startsWith(`${APP_URL}/api/unsubscribe?token=`)).toBe(true);
    expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const token = new URL(link).searchParams.get('token') ?? '';
    const emailChannel = must(
      sent.find((d) => d.channel_kind === 'email'),
      'the email delivery',
    );
    expect(verifyUnsubscribeToken(token, UNSUBSCRIBE_SECRET)).toEqual({
      userId: user,
      channelId: emailChannel.idempotency_key.split('_')[2],
      kind: 'trade_executed',
    });

    const hooks = receiver.receipts.filter((r) => r.path === `/hooks/${user}`);
    expect(hooks).toHaveLength(1);
    const body = new Webhook(hook.secret).verify(
      must(hooks[0], 'the webhook').body,
      must(hooks[0], 'the webhook').headers,
    ) as { type: string; data: unknown };
    expect(body.type).toBe('polybot.trade_executed');
    expect(body.data).toMatchObject({ kind: 'trade_executed', count: 1 });
    expect(hooks[0]?.headers['webhook-id']).toBe(sent.find((d) => d.channel_kind === 'webhook')?.idempotency_key);

    const messages = telegram.sent(424242);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).toContain('Will it rain in Paris?');
  });
});

describe('a provider down for a while', () => {
  it('→ retried → delivered exactly once when it is back (the same webhook-id on every attempt)', async () => {
    const user = await notifiedUser(db, 'outage');
    const path = `/hooks/${user}`;
    receiver.answer(path, 503);
    const hook = await addWebhook(db, user, `${receiver.origin}${path}`);
    const address = `${user}@mail.test`;
    await addEmail(db, user, address);
    const smtpPort = sink.smtpPort;
    await sink.close(); // the mail server is down: connections refused

    await insertTrade(db.sql, user);
    await runJobsNow(db.superuser, [`trades:${user}`]);
    const failing = await until(
      async () => {
        const rows = await deliveriesOf(db.sql, user);
        return rows.length === 2 && rows.every((d) => d.status === 'retrying') ? rows : null;
      },
      'both deliveries failed once and wait for a retry',
      30_000,
    );
    // A second failed attempt each, pulled forward instead of waiting out the backoff.
    await runJobsNow(
      db.superuser,
      failing.map((d) => `delivery:${d.id}`),
    );
    await until(
      async () => (await deliveriesOf(db.sql, user)).every((d) => d.attempts >= 2 && d.status === 'retrying'),
      'a second attempt each, still failing',
      30_000,
    );
    expect(receiver.receipts.filter((r) => r.path === path).every((r) => r.status === 503)).toBe(true);

    // Back: the receiver answers 200, the mail server listens again on its port.
    receiver.answer(path, 200);
    sink = await startMailSink({ smtpPort });
    await runJobsNow(
      db.superuser,
      failing.map((d) => `delivery:${d.id}`),
    );
    const sent = await until(() => allSent(user, 2), 'both delivered once back', 30_000);
    expect(sent.every((d) => d.attempts === 3)).toBe(true);
    // Nothing left in the queue for them: nothing can send a second copy.
    expect(
      await queuedJobs(
        db.superuser,
        sent.map((d) => `delivery:${d.id}`),
      ),
    ).toEqual([]);

    const hooks = receiver.receipts.filter((r) => r.path === path);
    expect(hooks.map((r) => r.status)).toEqual([503, 503, 200]);
    const webhookId = sent.find((d) => d.channel_kind === 'webhook')?.idempotency_key;
    expect(new Set(hooks.map((r) => r.headers['webhook-id']))).toEqual(new Set([webhookId]));
    for (const r of hooks) expect(() => new Webhook(hook.secret).verify(r.body, r.headers)).not.toThrow();
    expect(sink.messages({ to: address })).toHaveLength(1);
  });
});

describe('a provider asking for time (429 Retry-After)', () => {
  it('→ the retry waits as long as it asked, with the attempts that are left', async () => {
    const user = await notifiedUser(db, 'slow-down');
    const path = `/hooks/${user}`;
    receiver.answer(path, 429, { 'retry-after': '3600' });
    await addWebhook(db, user, `${receiver.origin}${path}`);
    await insertTrade(db.sql, user);
    await runJobsNow(db.superuser, [`trades:${user}`]);
    const [delivery] = await until(
      async () => {
        const rows = await deliveriesOf(db.sql, user);
        return rows.length === 1 && rows[0]?.status === 'retrying' ? rows : null;
      },
      'the delivery told to wait',
      30_000,
    );
    const [job] = await until(
      async () => {
        const jobs = await queuedJobs(db.superuser, [`delivery:${delivery?.id ?? 0}`]);
        return jobs.length === 1 && jobs[0]?.attempts === 0 ? jobs : null;
      },
      'the replacement job',
      30_000,
    );
    // An hour from now (graphile's own backoff would have been e¹ ≈ 3 s), 9 attempts left of 10.
    expect((job?.run_at.getTime() ?? 0) - Date.now()).toBeGreaterThan(3_500_000);
    expect(job?.max_attempts).toBe(9);
    expect(receiver.receipts.filter((r) => r.path === path)).toHaveLength(1);
  });
});

describe('a permanent refusal', () => {
  it('→ dead after one attempt, in admin_notification_dead_letters with the reason', async () => {
    const user = await notifiedUser(db, 'gone');
    const path = `/hooks/${user}`;
    receiver.answer(path, 410);
    await addWebhook(db, user, `${receiver.origin}${path}`);
    await addTelegram(db, user, telegram, 515151);
    telegram.blockChat(515151); // the user blocked the bot: 403

    await insertTrade(db.sql, user);
    await runJobsNow(db.superuser, [`trades:${user}`]);
    const dead = await until(
      async () => {
        const rows = await deliveriesOf(db.sql, user);
        return rows.length === 2 && rows.every((d) => d.status === 'dead') ? rows : null;
      },
      'both deliveries dead',
      30_000,
    );
    expect(dead.every((d) => d.attempts === 1)).toBe(true);
    expect(receiver.receipts.filter((r) => r.path === path)).toHaveLength(1);
    expect(
      await queuedJobs(
        db.superuser,
        dead.map((d) => `delivery:${d.id}`),
      ),
    ).toEqual([]);

    const letters = await db.superuser<{ channel_kind: string; attempts: number; last_error: string }[]>`
      select channel_kind, attempts, last_error from public.admin_notification_dead_letters
       where user_id = ${user} order by channel_kind`;
    expect(letters).toHaveLength(2);
    expect(letters[0]).toMatchObject({ channel_kind: 'telegram', attempts: 1 });
    expect(letters[0]?.last_error).toMatch(/403/);
    expect(letters[1]).toMatchObject({ channel_kind: 'webhook', attempts: 1 });
    expect(letters[1]?.last_error).toMatch(/HTTP 410/);
  });
});

describe('daily summaries at the chosen hour, with a controlled clock', () => {
  /** Runs the hourly task once with the worker's clock at `at`, and waits for it to finish. */
  async function summariesAt(at: string): Promise<void> {
    now = new Date(at);
    const id = await addJob(db.superuser, 'daily_summaries');
    await until(() => jobDone(db.superuser, id), `daily_summaries at ${at}`, 30_000);
  }
  const summaries = (user: string) =>
    db.sql<{ payload: { date: string; time_zone: string } }[]>`
      select payload from public.polybot_notifications where user_id = ${user} and kind = 'daily_summary'`;

  it('New York at 08:00 EST and Tokyo at 08:00 JST each get one summary of their own yesterday, once', async () => {
    const newYork = await notifiedUser(db, 'ny');
    const tokyo = await notifiedUser(db, 'tokyo');
    for (const [user, tz] of [
      [newYork, 'America/New_York'],
      [tokyo, 'Asia/Tokyo'],
    ] as const) {
      await addWebhook(db, user, `${receiver.origin}/summary/${user}`);
      await db.sql`insert into public.polybot_notification_settings (user_id, time_zone, summary_hour)
                   values (${user}, ${tz}, 8)`;
    }

    // 12:59 UTC = 07:59 in New York: nobody yet.
    await summariesAt('2026-12-07T12:59:00Z');
    expect(await summaries(newYork)).toHaveLength(0);
    // 13:00 UTC = 08:00 in New York (22:00 in Tokyo): New York's summary of Dec 6.
    await summariesAt('2026-12-07T13:00:00Z');
    expect((await summaries(newYork)).map((s) => s.payload.date)).toEqual(['2026-12-06']);
    expect(await summaries(tokyo)).toHaveLength(0);
    // The same hour again (a second manager's run, a retry): nobody gets two.
    await summariesAt('2026-12-07T13:40:00Z');
    expect(await summaries(newYork)).toHaveLength(1);
    // 23:00 UTC = 08:00 on Dec 8 in Tokyo: Tokyo's summary of its Dec 7.
    await summariesAt('2026-12-07T23:00:00Z');
    expect((await summaries(tokyo)).map((s) => [s.payload.date, s.payload.time_zone])).toEqual([
      ['2026-12-07', 'Asia/Tokyo'],
    ]);
    expect(await summaries(newYork)).toHaveLength(1);

    for (const user of [newYork, tokyo]) {
      await until(() => allSent(user, 1), `the summary of ${user} delivered`, 30_000);
      expect(receiver.receipts.filter((r) => r.path === `/summary/${user}`)).toHaveLength(1);
    }
  });
});

describe('two workers on one database', () => {
  it('send every delivery exactly once', async () => {
    await startWorker('notify-b');
    const users = await Promise.all(Array.from({ length: 24 }, (_, i) => notifiedUser(db, `pair-${i}`)));
    for (const user of users) await addWebhook(db, user, `${receiver.origin}/pair/${user}`);
    for (const user of users) await insertTrade(db.sql, user);
    await runJobsNow(
      db.superuser,
      users.map((u) => `trades:${u}`),
    );
    for (const user of users) await until(() => allSent(user, 1), `delivery of ${user}`, 60_000);
    const receipts = receiver.receipts.filter((r) => r.path.startsWith('/pair/'));
    expect(receipts).toHaveLength(users.length);
    expect(new Set(receipts.map((r) => r.headers['webhook-id'])).size).toBe(users.length);
  });
});
