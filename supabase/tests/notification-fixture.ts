// What the notification tests share (notification-producers.test.ts, notification-delivery.test.ts): a database per
// test file with the manager's login, users with a verified channel, and readers of notifications and queued jobs.
// Test scaffolding only.
import { withUser, createDb, type Db } from '@polybot/db';
import { addNotificationChannel } from '@polybot/db/user';
import { localLoginUrl } from '@polybot/local-stack/postgres';
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import { createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

export let db: TestDatabase;
/** A polybot_manager login (the notification worker's role). */
export let mgr: Db;

/** A fresh database (and the manager's login to it) for the calling test file, stopped after it. */
export function useNotificationDatabase(): void {
  beforeAll(async () => {
    db = await createTestDatabase();
    mgr = createDb(await localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_manager' }), { max: 1 });
  });
  afterAll(async () => {
    await mgr?.end({ timeout: 5 });
    await db?.stop();
  });
}

/** A user with one verified channel (a Slack webhook); its id. */
export async function userWithChannel(email: string): Promise<{ user: string; channel: string }> {
  const user = await createAuthUser(db, email);
  const added = await withUser(db.sql, user, (tx) =>
    addNotificationChannel(tx, { kind: 'slack', target: `https://hooks.slack.test/${user}` }),
  );
  await verified(added.id);
  return { user, channel: added.id };
}

/** URL channels start unverified until the web's test send reaches them (20261210000200); here: as if it had. */
export async function verified(channelId: string): Promise<void> {
  await db.sql`update public.polybot_notification_channels set verified_at = now() where id = ${channelId}`;
}

export type Sql = Db | TransactionSql;
export const notifications = (sql: Sql, user: string, kind?: string) => sql<
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
export const jobs = (sql: Sql, task: string) => sql<
  { key: string | null; payload: Record<string, unknown>; run_at: Date; max_attempts: number }[]
>`select j.key, j.payload, j.run_at, j.max_attempts from graphile_worker._private_jobs j
    join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = ${task} order by j.id`;

/** Thrown inside a transaction to roll it back on purpose (after looking at what it did). */
export class Rollback extends Error {}
/** Runs the cause in a transaction, counts `kind` notifications inside it, rolls back; the count inside and after. */
export async function insideThenRolledBack(
  user: string,
  kind: string,
  cause: (tx: TransactionSql) => Promise<unknown>,
) {
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
export const insertTrade = (sql: Sql, user: string, extra: { realized?: number; at?: string; filled?: number } = {}) =>
  sql`insert into public.polybot_trades (user_id, client_order_id, platform, market_id, instrument_id, side, strategy,
                                         mode, order_type, status, limit_price, price, size, filled_size,
                                         realized_pnl_usd, market_title, created_at)
      values (${user}, ${`producer-trade-${++tradeSeq}`}, 'polymarket', 'm-1', 't-1', 'buy', 'single_platform', 'paper',
              'FOK', ${extra.filled === 0 ? 'cancelled' : 'filled'}, 0.5, ${extra.filled === 0 ? null : 0.45}, 10,
              ${extra.filled ?? 10}, ${extra.realized ?? null}, 'Will it rain?',
              ${extra.at ?? new Date().toISOString()})`;
