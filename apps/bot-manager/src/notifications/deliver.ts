// The deliver_notification task: one delivery (one notification to one channel), one attempt. Claim it (the database
// counts the attempt and says what to send, or that there is nothing to send any more), render it, send it, record the
// outcome. A retryable failure before the last attempt throws, so graphile-worker runs the job again after its backoff
// (exp(attempt) seconds) — or later, when the provider asked for longer (Retry-After): then the job is replaced by one
// that runs at that time with the attempts that are left. A permanent failure or the last attempt is a dead letter.
import {
  asManager,
  claimNotificationDelivery,
  DeliverNotificationJobSchema,
  markNotificationDead,
  markNotificationRetrying,
  markNotificationSent,
  NOTIFICATION_TASKS,
  readWebhookSecret,
  type ClaimedDelivery,
} from '@polybot/db/service';
import type { Task } from '@polybot/db/queue';
import { renderNotification, type DeliveryResult } from '@polybot/notify';
import type { Logger } from 'pino';
import type { Sql } from 'postgres';
import { ZodError } from 'zod';
import { coerceError } from '../shared/errors.ts';
import type { ChannelSenders } from './channels.ts';
import type { NotificationMetrics } from './worker.ts';

export interface DeliverContext {
  sql: Sql;
  senders: ChannelSenders;
  appUrl: string;
  log: Logger;
  metrics: NotificationMetrics | undefined;
}

/** The error a retried attempt throws: graphile-worker records it on the job and schedules the next attempt. */
export class DeliveryRetry extends Error {
  override name = 'DeliveryRetry';
}

/** graphile-worker's backoff before attempt n+1, in ms (its fail_jobs: exp(least(attempts, 10)) seconds). */
export function queueBackoffMs(attempts: number): number {
  return Math.exp(Math.min(attempts, 10)) * 1000;
}

export function deliverNotificationTask(ctx: DeliverContext): Task {
  return async (payload, helpers) => {
    const { deliveryId } = DeliverNotificationJobSchema.parse(payload);
    const { attempts, max_attempts: maxAttempts } = helpers.job;
    let claimed: ClaimedDelivery | null;
    try {
      claimed = await asManager(ctx.sql, (tx) => claimNotificationDelivery(tx, deliveryId));
    } catch (error) {
      // A payload the contract refuses will not get better on a retry: say so and stop.
      if (!(error instanceof ZodError)) throw error;
      const why = `the notification does not match the contract: ${error.issues[0]?.message ?? error.message}`;
      await asManager(ctx.sql, (tx) => markNotificationDead(tx, deliveryId, why));
      ctx.metrics?.deliveries.inc({ channel: 'unknown', outcome: 'dead' });
      ctx.log.error({ deliveryId, err: why }, 'notification delivery dead');
      return;
    }
    if (!claimed) {
      // Sent or dead already (a duplicate run), or its channel went away: nothing to send.
      ctx.metrics?.deliveries.inc({ channel: 'unknown', outcome: 'skipped' });
      return;
    }
    const channel = claimed.channel.kind;
    const fields = { userId: claimed.user_id, deliveryId, channel, kind: claimed.kind, attempt: attempts };
    const stopTimer = ctx.metrics?.seconds.startTimer({ channel });
    let result: DeliveryResult;
    try {
      result = await send(ctx, claimed);
    } catch (error) {
      // A bug of ours (not a provider's answer): retried like a transient failure, and loud in the log.
      ctx.log.error({ ...fields, err: coerceError(error).message }, 'notification send threw');
      result = { ok: false, retryable: true, error: coerceError(error).message };
    } finally {
      stopTimer?.();
    }

    if (result.ok) {
      await asManager(ctx.sql, (tx) => markNotificationSent(tx, deliveryId));
      ctx.metrics?.deliveries.inc({ channel, outcome: 'sent' });
      ctx.log.info({ ...fields, providerId: result.providerId }, 'notification sent');
      return;
    }
    if (!result.retryable || attempts >= maxAttempts) {
      const why = result.retryable ? `gave up after ${attempts} attempts: ${result.error}` : result.error;
      await asManager(ctx.sql, (tx) => markNotificationDead(tx, deliveryId, why));
      ctx.metrics?.deliveries.inc({ channel, outcome: 'dead' });
      ctx.log.warn({ ...fields, err: why }, 'notification delivery dead');
      return;
    }
    await asManager(ctx.sql, (tx) => markNotificationRetrying(tx, deliveryId, result.error));
    ctx.metrics?.deliveries.inc({ channel, outcome: 'retrying' });
    ctx.log.info(
      { ...fields, err: result.error, retryAfterMs: result.retryAfterMs },
      'notification delivery will retry',
    );
    if (result.retryAfterMs !== undefined && result.retryAfterMs > queueBackoffMs(attempts)) {
      // The provider asked for longer than the queue would wait: a job with the same key at that time replaces this
      // one (add_job on a running job's key retires it), carrying the attempts that are left.
      await helpers.addJob(
        NOTIFICATION_TASKS.deliver,
        { deliveryId },
        {
          jobKey: `delivery:${deliveryId}`,
          runAt: new Date(Date.now() + result.retryAfterMs),
          maxAttempts: maxAttempts - attempts,
        },
      );
      return;
    }
    throw new DeliveryRetry(`delivery ${deliveryId} (${channel}) attempt ${attempts} failed: ${result.error}`);
  };
}

async function send(ctx: DeliverContext, claimed: ClaimedDelivery): Promise<DeliveryResult> {
  const rendered = renderNotification(claimed.payload, {
    appUrl: ctx.appUrl,
    occurredAt: new Date(claimed.created_at),
  });
  const webhookSecret =
    claimed.channel.kind === 'webhook'
      ? await asManager(ctx.sql, (tx) => readWebhookSecret(tx, claimed.channel.id))
      : null;
  return ctx.senders.send({
    userId: claimed.user_id,
    kind: claimed.kind,
    idempotencyKey: claimed.idempotency_key,
    channel: claimed.channel,
    rendered,
    webhookSecret,
  });
}
