// "Send test": one message straight to one channel (not through the queue), so the user sees at once whether it
// arrives. URLs go through @polybot/notify's SSRF-safe fetch with the platform's rules; a webhook test is signed with
// the channel's own secret exactly like real deliveries, so a receiver that verifies it will verify those. A URL
// channel that accepts the test becomes verified (20261210000200): from then on real notifications go to it.
import 'server-only';
import { randomUUID } from 'node:crypto';
import {
  createTelegramApi,
  sendDiscordMessage,
  sendSlackMessage,
  sendStandardWebhook,
  sendTelegramMessage,
  type DeliveryResult,
} from '@polybot/notify';
import type { JwtClaims } from '@polybot/db';
import { readOwnWebhookSecret, verifyTestedNotificationChannel } from '@polybot/db/user';
import type { NotificationChannelRow } from '@polybot/schemas';
import { db } from '../db.ts';
import type { NotifyConfig } from './config.ts';
import { sendPlatformMail } from './mail.ts';

const TEXT = 'This is a test message from PolyBot: this channel works.';
const failure = (error: string): DeliveryResult => ({ ok: false, retryable: false, error });

export interface TestSendOutcome {
  result: DeliveryResult;
  /** The channel became verified with this test. */
  verifiedNow: boolean;
}

export async function sendChannelTest(
  claims: JwtClaims,
  channel: NotificationChannelRow,
  config: NotifyConfig,
): Promise<TestSendOutcome> {
  const result = await send(claims, channel, config);
  const verifiedNow =
    result.ok && channel.verified_at === null && channel.kind !== 'email' && channel.kind !== 'telegram'
      ? await verifyTestedNotificationChannel(db(), claims, channel.id)
      : false;
  return { result, verifiedNow };
}

async function send(claims: JwtClaims, channel: NotificationChannelRow, config: NotifyConfig): Promise<DeliveryResult> {
  const options = config.safeFetch;
  switch (channel.kind) {
    case 'webhook': {
      const secret = await readOwnWebhookSecret(db(), claims, channel.id);
      if (!secret) return failure('this webhook has no signing secret; remove it and add it again');
      const now = new Date();
      const body = JSON.stringify({ type: 'polybot.test', timestamp: now.toISOString(), data: { message: TEXT } });
      return sendStandardWebhook(
        { url: channel.target, idempotencyKey: `test_${randomUUID()}`, body, secrets: [secret], now },
        options,
      );
    }
    case 'slack':
      return sendSlackMessage(channel.target, { text: TEXT }, options);
    case 'discord':
      return sendDiscordMessage(channel.target, { content: TEXT }, options);
    case 'email':
      return sendPlatformMail(config, {
        to: channel.target,
        channelId: channel.id,
        userId: claims.sub,
        subject: 'PolyBot test message',
        text: TEXT,
      });
    case 'telegram': {
      const api = config.telegram?.api;
      if (!api) return failure('Telegram is not configured on this platform');
      return sendTelegramMessage(createTelegramApi(api), { chatId: channel.target, html: TEXT });
    }
  }
}
