// One rendered notification out through one channel, with the platform's configuration: email (SMTP, a signed
// unsubscribe link), Standard Webhooks (the channel's secret from Vault), Slack, Discord, Telegram. Every path ends in
// @polybot/notify's DeliveryResult; a channel the platform has not configured is a permanent failure whose words say
// so (the delivery goes dead and the admin's dead-letter view tells why).
import {
  createEmailSender,
  createTelegramApi,
  sendDiscordMessage,
  sendSlackMessage,
  sendStandardWebhook,
  sendTelegramMessage,
  signUnsubscribeToken,
  type DeliveryResult,
  type EmailSender,
  type RenderedNotification,
  type SafeFetchOptions,
} from '@polybot/notify';
import { isAlwaysOnEventKind, type ChannelKind, type NotificationEventKind } from '@polybot/schemas';
import type { NotificationWorkerConfig } from './config.ts';

export const NO_EMAIL_CONFIGURED =
  'this platform has no email delivery configured (NOTIFY_SMTP_URL is not set): the email was not sent';
export const NO_TELEGRAM_CONFIGURED =
  'this platform has no Telegram bot configured (TELEGRAM_BOT_TOKEN is not set): the message was not sent';
export const NO_WEBHOOK_SECRET = 'the webhook channel has no signing secret: nothing was sent unsigned';

/** What one delivery needs to leave: where to, as whom, and the idempotency key its provider sees. */
export interface OutgoingDelivery {
  userId: string;
  kind: NotificationEventKind;
  idempotencyKey: string;
  channel: { id: string; kind: ChannelKind; target: string };
  rendered: RenderedNotification;
  /** Webhook channels: the signing secret (readWebhookSecret); null when the channel has none. */
  webhookSecret: string | null;
}

export interface ChannelSenders {
  send(d: OutgoingDelivery): Promise<DeliveryResult>;
  close(): void;
}

const permanent = (error: string): DeliveryResult => ({ ok: false, retryable: false, error });

/**
 * The unsubscribe link of an email: an optional kind stops that kind on this address; an alert (which cannot be turned
 * off) stops the address itself — the user's other channels still get alerts, and with none left every verified one
 * does (emit_notification).
 */
export function unsubscribeUrl(
  appUrl: string,
  secret: string,
  d: Pick<OutgoingDelivery, 'userId' | 'kind' | 'channel'>,
) {
  const token = signUnsubscribeToken(
    { userId: d.userId, channelId: d.channel.id, ...(isAlwaysOnEventKind(d.kind) ? {} : { kind: d.kind }) },
    secret,
  );
  return `${appUrl}/api/unsubscribe?token=${encodeURIComponent(token)}`;
}

/** The sender's address out of `Name <address>` or a bare address (the unsubscribe mailto: goes there). */
function fromAddress(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
}

export function createChannelSenders(config: NotificationWorkerConfig): ChannelSenders {
  const email: EmailSender | null = config.email
    ? createEmailSender({ smtpUrl: config.email.smtpUrl, from: config.email.from })
    : null;
  const telegram = config.telegram
    ? createTelegramApi({ token: config.telegram.token, apiRoot: config.telegram.apiRoot })
    : null;
  const fetchOptions: SafeFetchOptions = {
    allowHttp: config.webhook.allowHttp,
    exemptRanges: config.webhook.exemptRanges,
    ...(config.webhook.ca ? { ca: config.webhook.ca } : {}),
    ...(config.webhook.resolve ? { resolve: config.webhook.resolve } : {}),
  };

  return {
    async send(d) {
      const { target } = d.channel;
      switch (d.channel.kind) {
        case 'email': {
          if (!email || !config.email) return permanent(NO_EMAIL_CONFIGURED);
          const url = unsubscribeUrl(config.appUrl, config.email.unsubscribeSecret, d);
          const mailto = `mailto:${fromAddress(config.email.from)}?subject=${encodeURIComponent(`unsubscribe ${d.channel.id}`)}`;
          return email.send({
            to: target,
            idempotencyKey: d.idempotencyKey,
            rendered: d.rendered,
            unsubscribe: { url, mailto },
          });
        }
        case 'webhook':
          if (d.webhookSecret === null) return permanent(NO_WEBHOOK_SECRET);
          return sendStandardWebhook(
            {
              url: target,
              idempotencyKey: d.idempotencyKey,
              body: JSON.stringify(d.rendered.webhook),
              secrets: [d.webhookSecret],
            },
            fetchOptions,
          );
        case 'slack':
          return sendSlackMessage(target, d.rendered.slack, fetchOptions);
        case 'discord':
          return sendDiscordMessage(target, d.rendered.discord, fetchOptions);
        case 'telegram':
          if (!telegram) return permanent(NO_TELEGRAM_CONFIGURED);
          return sendTelegramMessage(telegram, { chatId: target, html: d.rendered.telegram });
      }
    },
    close: () => email?.close(),
  };
}

/** Startup warnings: the channels this worker cannot deliver to (their deliveries will go dead, saying why). */
export function missingChannelWarnings(config: NotificationWorkerConfig): string[] {
  const out: string[] = [];
  if (!config.email) out.push(`email deliveries will go dead: ${NO_EMAIL_CONFIGURED.split(':')[0]}`);
  if (!config.telegram) out.push(`Telegram deliveries will go dead: ${NO_TELEGRAM_CONFIGURED.split(':')[0]}`);
  return out;
}
