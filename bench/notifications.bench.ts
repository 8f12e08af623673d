// Notification delivery: trades → the queue → the worker → a webhook. Run from the repo root:
//   npm run bench:notifications -- [users=1000] [tradesPerUser=10] [concurrency=4]
// A throwaway Postgres (all migrations, the graphile_worker queue), `users` users each with one verified webhook
// channel (add_notification_channel under the user's JWT: a Vault secret each) pointing at a local https receiver
// (a throwaway certificate; the worker resolves the receiver's name to 127.0.0.1, exempt as
// NOTIFY_WEBHOOK_EXEMPT_RANGES does locally), and the manager's notification worker (startNotificationWorker, its
// own polybot_manager pools, `concurrency` jobs at once). Trades are inserted into polybot_trades as the manager books
// them, so the real producer runs (the insert trigger queues one flush job per user and burst, 5 s later).
//
//   1. batched: users × tradesPerUser trades, 50 per statement in random user order, with the worker running; each
//      trade's commit time → the moment the receiver got the webhook that lists it (each trade has its own market
//      title). Includes the 5 s burst delay by design.
//   2. drain: the same number of trades inserted with no worker running, their flush jobs due; then a worker starts
//      and the time until every user's webhook arrived = delivery throughput (flush + delivery jobs per second).
//   3. alerts: one bot_error per user (the bot-status trigger emits at once: no burst delay), commit → receipt. The
//      difference from (1) is what batching costs.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { withUser } from '@polybot/db';
import { addNotificationChannel, verifyTestedNotificationChannel } from '@polybot/db/user';
import { startNotificationWorker, createLogger, type NotificationWorker } from '@polybot/bot-manager';
import { createTestDatabase, localLoginUrl } from '@polybot/local-stack/postgres';
import { selfSignedCertificate } from '@polybot/notify/testing';
import { runMain } from './run-main.ts';
import { pct } from './stats.ts';
import { insertUsers } from './users.ts';

const [users = 1000, tradesPerUser = 10, concurrency = 4] = process.argv.slice(2).map(Number);
const HOST = 'hooks.bench';

const ms = (x: number) => `${x.toFixed(0)} ms`;

interface Receipt {
  at: number;
  path: string;
  body: string;
}

async function startReceiver(): Promise<{ origin: string; cert: string; receipts: Receipt[]; close(): void }> {
  const { key, cert } = selfSignedCertificate(HOST);
  const receipts: Receipt[] = [];
  const server = https.createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      receipts.push({ at: performance.now(), path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `https://${HOST}:${(server.address() as AddressInfo).port}`,
    cert,
    receipts,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const shuffle = <T>(xs: T[]): T[] => {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
};

runMain(async () => {
  const db = await createTestDatabase();
  const receiver = await startReceiver();
  const managerUrl = await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_manager' });
  const workers: NotificationWorker[] = [];
  const startWorker = async () => {
    const w = await startNotificationWorker({
      databaseUrl: managerUrl,
      config: {
        appUrl: 'https://app.polybot.bench',
        concurrency,
        email: null,
        telegram: null,
        webhook: {
          allowHttp: false,
          exemptRanges: ['127.0.0.1/32'],
          ca: receiver.cert,
          resolve: () => Promise.resolve([{ address: '127.0.0.1', family: 4 as const }]),
        },
        pollIntervalMs: 500,
      },
      logger: createLogger('bench-notify', 'error'),
    });
    workers.push(w);
    return w;
  };
  try {
    const t0 = performance.now();
    const ids = await insertUsers(db.sql, users, 'notify');
    for (const id of ids) {
      const added = await withUser(db.sql, id, (tx) =>
        addNotificationChannel(tx, { kind: 'webhook', target: `${receiver.origin}/u/${id}` }),
      );
      // URL channels start unverified: the settings page verifies one after a successful test send, like this.
      await verifyTestedNotificationChannel(db.sql, id, added.id);
    }
    console.log(
      `setup: ${users} users with a webhook channel each in ${((performance.now() - t0) / 1000).toFixed(1)} s; ` +
        `worker concurrency ${concurrency}`,
    );

    let seq = 0;
    /** Inserts `perUser` trades for every user, 50 per statement; each trade's title → its commit time. */
    const insertTrades = async (perUser: number): Promise<Map<string, number>> => {
      const commits = new Map<string, number>();
      const rows = shuffle(ids.flatMap((id) => Array.from({ length: perUser }, () => id)));
      for (let i = 0; i < rows.length; i += 50) {
        const batch = rows.slice(i, i + 50).map((user) => ({ user, title: `bench-trade-${++seq}` }));
        await db.sql`
          insert into public.polybot_trades (user_id, client_order_id, platform, market_id, instrument_id, side,
                                             strategy, mode, order_type, status, limit_price, price, size, filled_size,
                                             market_title)
          select b.user_id, b.title, 'polymarket', 'm-1', 't-1', 'buy', 'single_platform', 'paper', 'FOK', 'filled',
                 0.5, 0.41, 12, 12, b.title
            from unnest(${batch.map((b) => b.user)}::uuid[], ${batch.map((b) => b.title)}::text[]) as b(user_id, title)`;
        const at = performance.now();
        for (const b of batch) commits.set(b.title, at);
      }
      return commits;
    };
    /** Receipt time of every trade title listed in receipts from `from` on. */
    const receivedTitles = (from: number): Map<string, number> => {
      const seen = new Map<string, number>();
      for (const r of receiver.receipts.slice(from)) {
        const body = JSON.parse(r.body) as { data: { trades?: Array<{ market_title: string }> } };
        for (const t of body.data.trades ?? []) if (!seen.has(t.market_title)) seen.set(t.market_title, r.at);
      }
      return seen;
    };

    // 1. Batched trades with the worker running.
    await startWorker();
    const firstReceipt = receiver.receipts.length;
    const start1 = performance.now();
    const commits = await insertTrades(tradesPerUser);
    const insertS = (performance.now() - start1) / 1000;
    await until(() => receivedTitles(firstReceipt).size >= commits.size, 'every trade in a webhook', 600_000);
    const got = receivedTitles(firstReceipt);
    const latencies = [...commits].map(([title, at]) => (got.get(title) ?? NaN) - at);
    const deliveries1 = receiver.receipts.length - firstReceipt;
    const span1 = (Math.max(...got.values()) - start1) / 1000;
    console.log(
      `batched: ${commits.size} trades inserted in ${insertS.toFixed(1)} s (${(commits.size / insertS).toFixed(0)}/s) → ` +
        `${deliveries1} webhooks (${(commits.size / deliveries1).toFixed(1)} trades each) in ${span1.toFixed(1)} s; ` +
        `commit → receipt p50 ${ms(pct(latencies, 0.5))}, p99 ${ms(pct(latencies, 0.99))}, max ${ms(pct(latencies, 1))}`,
    );
    await Promise.all(workers.splice(0).map((w) => w.stop()));

    // 2. Drain: trades queued with no worker, their flush jobs due; then one worker empties the queue.
    const secondReceipt = receiver.receipts.length;
    await insertTrades(tradesPerUser);
    await until(
      async () => {
        const [row] = await db.superuser<{ n: number }[]>`
          select count(*)::int as n from graphile_worker._private_jobs where run_at > now()`;
        return row?.n === 0;
      },
      'the flush jobs due',
      60_000,
    );
    const [{ jobs = 0 } = {}] = await db.superuser<{ jobs: number }[]>`
      select count(*)::int as jobs from graphile_worker._private_jobs j
        join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'flush_trade_notifications'`;
    const start2 = performance.now();
    await startWorker();
    await until(() => receiver.receipts.length - secondReceipt >= users, 'a webhook per user', 600_000);
    const drainS = (performance.now() - start2) / 1000;
    console.log(
      `drain: ${jobs} flush jobs queued → ${users} flushes + ${users} webhook deliveries in ${drainS.toFixed(1)} s = ` +
        `${(users / drainS).toFixed(0)} deliveries/s (${((2 * users) / drainS).toFixed(0)} jobs/s)`,
    );

    // 3. Alerts: bot_error for every user, emitted at once by the bot-status trigger.
    const thirdReceipt = receiver.receipts.length;
    const alertCommits = new Map<string, number>();
    for (let i = 0; i < ids.length; i += 50) {
      const batch = ids.slice(i, i + 50);
      await db.sql`update public.polybot_bot_status set state = 'error', error_code = 'crash_loop',
                          last_error = 'bench' where user_id = any (${batch}::uuid[])`;
      const at = performance.now();
      for (const id of batch) alertCommits.set(id, at);
    }
    await until(() => receiver.receipts.length - thirdReceipt >= users, 'an alert per user', 600_000);
    const alertLatencies = receiver.receipts
      .slice(thirdReceipt)
      .map((r) => r.at - (alertCommits.get(r.path.slice('/u/'.length)) ?? NaN));
    console.log(
      `alerts: ${users} bot_error alerts → commit → receipt p50 ${ms(pct(alertLatencies, 0.5))}, ` +
        `p99 ${ms(pct(alertLatencies, 0.99))}; batching adds ≈ ${ms(pct(latencies, 0.5) - pct(alertLatencies, 0.5))} ` +
        `at the median (the 5 s burst delay, by design)`,
    );
  } finally {
    await Promise.allSettled(workers.map((w) => w.stop()));
    receiver.close();
    await db.stop();
  }
});
