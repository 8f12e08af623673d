// startNotificationWorker: the notification queue's worker inside the bot-manager (docs/NOTIFICATIONS.md "Worker").
// graphile-worker's run() on its own pg pool, every connection switched to polybot_manager (createQueuePool), with
// the three tasks of NOTIFICATION_TASKS and an hourly crontab for the daily summaries. Every manager runs one: jobs are
// taken with `for update skip locked`, so each runs on exactly one worker, whichever manager owns the user's shard —
// the notification functions are not fenced (they write no user's bot state; ARCHITECTURE §7.9).
import { createDb } from '@polybot/db';
import { createQueuePool, Logger as QueueLogger, run, type Runner, type TaskList } from '@polybot/db/queue';
import {
  asManager,
  flushTradeNotifications,
  FlushTradeNotificationsJobSchema,
  NOTIFICATION_TASKS,
  sendDailySummaries,
} from '@polybot/db/service';
import type { Counter, Histogram } from 'prom-client';
import type { Logger } from 'pino';
import { z } from 'zod';
import { coerceError } from '../shared/errors.ts';
import { createChannelSenders, missingChannelWarnings } from './channels.ts';
import type { NotificationWorkerConfig } from './config.ts';
import { deliverNotificationTask } from './deliver.ts';

/** The manager's counters the worker feeds (metrics.ts: notificationDeliveries, notificationDeliverySeconds). */
export interface NotificationMetrics {
  deliveries: Counter<'channel' | 'outcome'>;
  seconds: Histogram<'channel'>;
}

export interface NotificationWorkerOptions {
  /** The manager's own login (polybot_manager); both pools switch to that role. */
  databaseUrl: string;
  config: NotificationWorkerConfig;
  logger: Logger;
  /** "Now" for the daily summaries (tests run the task at chosen instants); default the system clock. */
  clock?: () => Date;
  metrics?: NotificationMetrics;
  /** Names this worker's connections (application_name) and its graphile-worker id prefix. */
  name?: string;
}

export interface NotificationWorker {
  /** Stops taking jobs, waits for the running ones, closes the pools. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Hourly at minute 0. `fill=6h`: after an outage (every manager down, a deploy across the hour) the hours missed in the
 * last six run once each when a worker is back, with their own timestamp, so the users whose summary hour passed still
 * get it that day; send_daily_summaries' dedupe key makes every run safe to repeat. One run per hour across all
 * managers (graphile-worker's known_crontabs).
 */
export const DAILY_SUMMARIES_CRONTAB = `0 * * * * ${NOTIFICATION_TASKS.dailySummaries} ?fill=6h`;

const CronPayloadSchema = z.object({ _cron: z.object({ ts: z.string(), backfilled: z.boolean().optional() }) });

/** graphile-worker's log lines into pino, at the same levels ("warning" → warn). */
function bridgeLogger(log: Logger): QueueLogger {
  return new QueueLogger((scope) => (logLevel, message, meta) => {
    const level: string = logLevel; // graphile-logger's LogLevel: a string enum
    // An attempt that failed on purpose (DeliveryRetry: the provider will be tried again) was logged by the task
    // already, with the user; graphile's own line (the whole job) is only for debugging.
    const retry = (meta as { error?: { name?: unknown } } | undefined)?.error?.name === 'DeliveryRetry';
    const fields = { queue: scope, ...(meta && Object.keys(meta).length > 0 ? { meta } : {}) };
    if (retry) log.debug(fields, message);
    else if (level === 'error') log.error(fields, message);
    else if (level === 'warning') log.warn(fields, message);
    else if (level === 'info') log.info(fields, message);
    else log.debug(fields, message);
  });
}

export async function startNotificationWorker(o: NotificationWorkerOptions): Promise<NotificationWorker> {
  const log = o.logger.child({ component: 'notifications' });
  const clock = o.clock ?? (() => new Date());
  const name = o.name ?? 'polybot-notifications';
  const concurrency = o.config.concurrency;
  // Our own statements (claim, mark, flush, summaries): postgres.js as everywhere else in the manager.
  const sql = createDb(o.databaseUrl, { max: concurrency + 1, applicationName: name });
  // graphile-worker's statements: one connection per running job, plus its LISTEN and its scheduler.
  const pgPool = createQueuePool({
    connectionString: o.databaseUrl,
    role: 'polybot_manager',
    max: concurrency + 2,
    applicationName: name,
    onError: (e) => log.warn({ err: e.message }, 'notification queue connection lost (the pool replaces it)'),
  });
  const senders = createChannelSenders(o.config);
  for (const warning of missingChannelWarnings(o.config)) log.warn(warning);

  const taskList: TaskList = {
    [NOTIFICATION_TASKS.deliver]: deliverNotificationTask({
      sql,
      senders,
      appUrl: o.config.appUrl,
      log,
      metrics: o.metrics,
    }),
    [NOTIFICATION_TASKS.flushTrades]: async (payload) => {
      const { userId } = FlushTradeNotificationsJobSchema.parse(payload);
      const id = await asManager(sql, (tx) => flushTradeNotifications(tx, userId));
      if (id !== null) log.debug({ userId, notificationId: id }, 'trades notified');
    },
    [NOTIFICATION_TASKS.dailySummaries]: async (payload) => {
      // A backfilled run (an hour missed while no worker ran) summarizes as of its own hour; otherwise "now".
      const cron = CronPayloadSchema.safeParse(payload);
      const now = cron.success && cron.data._cron.backfilled ? new Date(cron.data._cron.ts) : clock();
      const sent = await asManager(sql, (tx) => sendDailySummaries(tx, now));
      log.info({ at: now.toISOString(), sent }, 'daily summaries');
    },
  };

  let runner: Runner;
  try {
    runner = await run({
      pgPool,
      taskList,
      crontab: DAILY_SUMMARIES_CRONTAB,
      concurrency,
      pollInterval: o.config.pollIntervalMs ?? 2000,
      noHandleSignals: true,
      logger: bridgeLogger(log),
    });
  } catch (error) {
    senders.close();
    await Promise.allSettled([pgPool.end(), sql.end({ timeout: 5 })]);
    throw error;
  }
  // run()'s promise settles when the worker stops; a rejection (it gave up) is logged, never left unhandled.
  runner.promise.catch((e: unknown) => log.error({ err: coerceError(e).message }, 'notification worker failed'));
  log.info({ concurrency }, 'notification worker started');

  let stopped: Promise<void> | null = null;
  return {
    stop: () => {
      stopped ??= (async () => {
        await runner.stop().catch((e: unknown) => log.error({ err: coerceError(e).message }, 'worker stop failed'));
        senders.close();
        await Promise.allSettled([pgPool.end(), sql.end({ timeout: 5 })]);
        log.info('notification worker stopped');
      })();
      return stopped;
    },
  };
}
