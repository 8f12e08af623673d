// What the web server does about notification channels as polybot_web rather than as the signed-in user
// (20261210000200–210, 20261211000100): count (and limit) the confirmation emails and test messages it sends, mark a
// URL channel verified after the web's own test message reached it, read the webhook secret to sign that test, and
// unsubscribe from a signed email link (no sign-in: the token's signature, checked by the web, is the proof). Users
// cannot call these functions themselves.
import {
  NotificationEventKindSchema,
  WEBHOOK_SECRET_PATTERN,
  type NotificationEventKind,
  type NotificationSendKind,
} from '@polybot/schemas';
import type { Sql } from 'postgres';
import { z } from 'zod';
import { withUserClaims, type JwtClaims } from '../with-user.ts';

/**
 * The web is about to send the signed-in user a confirmation email or a test message (20261211000100): counted, or
 * refused with SQLSTATE 54000 and words to show when the user sent too many within NOTIFICATION_SEND_LIMITS' window.
 */
export async function limitUserSends(sql: Sql, user: string | JwtClaims, kind: NotificationSendKind): Promise<void> {
  await withUserClaims(sql, user, (tx) => tx`select private.limit_user_sends(${kind})`);
}

/** The signed-in user's webhook/Slack/Discord channel accepted a test: verified. False: not theirs or not a URL one. */
export async function verifyTestedNotificationChannel(
  sql: Sql,
  user: string | JwtClaims,
  channelId: string,
): Promise<boolean> {
  const [row] = await withUserClaims(
    sql,
    user,
    (tx) => tx`select private.verify_tested_notification_channel(${channelId}) as ok`,
  );
  return z.boolean().parse(row?.ok);
}

/** The signing secret of the signed-in user's webhook channel (to sign a test message), or null. */
export async function readOwnWebhookSecret(
  sql: Sql,
  user: string | JwtClaims,
  channelId: string,
): Promise<string | null> {
  const [row] = await withUserClaims(sql, user, (tx) => tx`select private.own_webhook_secret(${channelId}) as secret`);
  return z
    .string()
    .regex(WEBHOOK_SECRET_PATTERN)
    .nullable()
    .parse(row?.secret ?? null);
}

export const UnsubscribeOutcomeSchema = z.enum(['channel_off', 'kind_off', 'already', 'not_found']);
export type UnsubscribeOutcome = z.infer<typeof UnsubscribeOutcomeSchema>;

/**
 * Turns the channel off (no kind), or routes one kind away from it (an alert only while another channel still gets
 * it; otherwise the channel goes off). Call only with claims from a verified unsubscribe token.
 */
export async function unsubscribeNotificationChannel(
  sql: Sql,
  claims: { userId: string; channelId: string; kind?: NotificationEventKind | undefined },
): Promise<UnsubscribeOutcome> {
  const kind = claims.kind === undefined ? null : NotificationEventKindSchema.parse(claims.kind);
  const [row] = await sql`
    select private.unsubscribe_notification_channel(${claims.userId}, ${claims.channelId}, ${kind}) as outcome`;
  return UnsubscribeOutcomeSchema.parse(row?.outcome);
}
