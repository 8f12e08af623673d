// What the notification worker's tests deliver to, all real: an https webhook receiver (a throwaway certificate for
// hooks.test, reached through the worker's resolver; answers chosen per path), the local SMTP sink, the Telegram
// stand-in — plus users with verified channels made through the same functions the web app calls, trades inserted as
// the manager books them, and the queue seen and nudged as an operator would (graphile_worker.reschedule_jobs as the
// superuser) so a test never waits out a backoff.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { withUser } from '@polybot/db';
import {
  addNotificationChannel,
  confirmNotificationChannel,
  createTelegramLinkToken,
  verifyTestedNotificationChannel,
} from '@polybot/db/user';
import { linkTelegramChat } from '@polybot/db/user';
import { createAuthUser, type TestDatabase } from '@polybot/local-stack/postgres';
import type { TelegramStandIn } from '@polybot/local-stack/telegram';
import { selfSignedCertificate } from '@polybot/notify/testing';
import type { Sql } from 'postgres';
import type { NotificationWorkerConfig } from '../src/notifications/config.ts';

export const HOOK_HOST = 'hooks.test';

export interface Receipt {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** What the receiver answered. */
  status: number;
}

export interface WebhookReceiver {
  /** `https://hooks.test:<port>` */
  origin: string;
  cert: string;
  receipts: Receipt[];
  /** The status a path answers (default 200), with these response headers. */
  answer(path: string, status: number, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const { key, cert } = selfSignedCertificate(HOOK_HOST);
  const receipts: Receipt[] = [];
  const answers = new Map<string, { status: number; headers: Record<string, string> }>();
  const server = https.createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const { status, headers: answerHeaders } = answers.get(path) ?? { status: 200, headers: {} };
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      receipts.push({ path, headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'content-type': 'text/plain', ...answerHeaders }).end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://${HOOK_HOST}:${port}`,
    cert,
    receipts,
    answer: (path, status, headers = {}) => answers.set(path, { status, headers }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const UNSUBSCRIBE_SECRET = 'test-unsubscribe-secret-of-at-least-32-chars';
export const APP_URL = 'https://app.polybot.test';
export const MAIL_FROM = 'PolyBot <notifications@polybot.test>';

/** The worker's config for these tests: every channel configured, webhooks over https to the local receiver. */
export function workerConfig(o: {
  receiver: WebhookReceiver;
  smtpUrl: string;
  telegram: TelegramStandIn;
}): NotificationWorkerConfig {
  return {
    appUrl: APP_URL,
    concurrency: 4,
    email: { smtpUrl: o.smtpUrl, from: MAIL_FROM, unsubscribeSecret: UNSUBSCRIBE_SECRET },
    telegram: { token: o.telegram.token, apiRoot: o.telegram.url },
    webhook: {
      allowHttp: false,
      exemptRanges: ['127.0.0.1/32'],
      ca: o.receiver.cert,
      // hooks.test is the receiver on loopback (exempt here, as NOTIFY_WEBHOOK_EXEMPT_RANGES does locally).
      resolve: (hostname) =>
        Promise.resolve(hostname === HOOK_HOST ? [{ address: '127.0.0.1', family: 4 as const }] : []),
    },
    pollIntervalMs: 500,
  };
}

/** A user; its notification settings are the defaults until a test changes them. */
export async function notifiedUser(db: TestDatabase, label: string): Promise<string> {
  return createAuthUser(db, { email: `${label}-${Math.random().toString(36).slice(2, 8)}@notify.test` });
}

/** A webhook channel (verified at once) posting to `path` on the receiver; its id and signing secret. */
export async function addWebhook(db: TestDatabase, user: string, url: string): Promise<{ id: string; secret: string }> {
  const added = await withUser(db.sql, user, (tx) => addNotificationChannel(tx, { kind: 'webhook', target: url }));
  if (!added.webhook_secret) throw new Error('a webhook channel comes with its secret');
  // URL channels start unverified; the settings page verifies one after a successful test send, with this function.
  if (!(await verifyTestedNotificationChannel(db.sql, user, added.id))) throw new Error('the webhook did not verify');
  return { id: added.id, secret: added.webhook_secret };
}

/** An email channel, confirmed with the token the confirmation mail would carry. */
export async function addEmail(db: TestDatabase, user: string, address: string): Promise<string> {
  const added = await withUser(db.sql, user, (tx) => addNotificationChannel(tx, { kind: 'email', target: address }));
  const token = added.confirm_token;
  if (!token) throw new Error('an email channel comes with a confirmation token');
  return withUser(db.sql, user, (tx) => confirmNotificationChannel(tx, token));
}

/** A Telegram chat linked as the bot links it (/start <token>); the chat has written to the bot first. */
export async function addTelegram(
  db: TestDatabase,
  user: string,
  standIn: TelegramStandIn,
  chatId: number,
): Promise<void> {
  const token = await withUser(db.sql, user, (tx) => createTelegramLinkToken(tx));
  standIn.injectMessage({ chatId, text: `/start ${token}` });
  const linked = await linkTelegramChat(db.superuser, { token, chatId: String(chatId), username: null });
  if (linked !== user) throw new Error('the Telegram chat did not link');
}

let tradeSeq = 0;
/** A filled paper trade, as the manager books it (the insert trigger queues the user's flush job). */
export async function insertTrade(sql: Sql, user: string, title = 'Will it rain in Paris?'): Promise<void> {
  await sql`insert into public.polybot_trades (user_id, client_order_id, platform, market_id, instrument_id, side,
                                               strategy, mode, order_type, status, limit_price, price, size,
                                               filled_size, market_title)
            values (${user}, ${`notify-trade-${process.pid}-${++tradeSeq}`}, 'polymarket', 'm-1', 't-1', 'buy',
                    'single_platform', 'paper', 'FOK', 'filled', 0.5, 0.41, 12, 12, ${title})`;
}

export interface DeliveryRow {
  id: number;
  channel_kind: string;
  status: string;
  attempts: number;
  last_error: string | null;
  idempotency_key: string;
}

export function deliveriesOf(sql: Sql, user: string): Promise<DeliveryRow[]> {
  return sql<DeliveryRow[]>`
    select id::int, channel_kind, status, attempts, last_error, idempotency_key
      from public.polybot_notification_deliveries where user_id = ${user} order by id`;
}

/** Queued (not yet finished) jobs with one of these keys. */
export function queuedJobs(
  sql: Sql,
  keys: string[],
): Promise<
  Array<{ id: string; key: string; attempts: number; max_attempts: number; run_at: Date; last_error: string | null }>
> {
  return sql`select id::text, key, attempts, max_attempts, run_at, last_error from graphile_worker._private_jobs
              where key = any (${keys}) order by id` as never;
}

/** Runs these jobs now instead of after their delay or backoff: the operator's graphile_worker.reschedule_jobs. */
export async function runJobsNow(superuser: Sql, keys: string[]): Promise<number> {
  const rows = await superuser`
    select id from graphile_worker.reschedule_jobs(
      array(select id from graphile_worker._private_jobs where key = any (${keys})), run_at := now())`;
  return rows.length;
}

/** Queues a job as the crontab would (tests: daily_summaries at an instant the worker's clock gives). */
export async function addJob(superuser: Sql, task: string): Promise<string> {
  const [row] = await superuser<{ id: string }[]>`select id::text from graphile_worker.add_job(${task}, '{}'::json)`;
  if (!row) throw new Error(`add_job ${task} returned nothing`);
  return row.id;
}

/** Whether a job is gone from the queue (completed; a failed one stays with its error). */
export async function jobDone(superuser: Sql, id: string): Promise<boolean> {
  const [row] = await superuser<{ last_error: string | null }[]>`
    select last_error from graphile_worker._private_jobs where id = ${id}`;
  if (row?.last_error) throw new Error(`job ${id} failed: ${row.last_error}`);
  return row === undefined;
}
