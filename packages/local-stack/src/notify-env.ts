// Notifications on the local stack (`npm start` and the browser journeys): the one set of environment variables the
// web app and the bot-manager both read (docs/NOTIFICATIONS.md, names as in each app's env.ts) pointing at the mail
// sink and the Telegram stand-in, and the stand-in's webhook pointed at the web app. Dev and tests only.
import type { TelegramStandIn } from './telegram/index.ts';

/** The sender of notification emails locally (the sink accepts any). */
export const LOCAL_MAIL_FROM = 'PolyBot <notifications@polybot.local>';

export interface LocalNotificationEnv {
  APP_URL: string;
  NOTIFY_SMTP_URL: string;
  NOTIFY_MAIL_FROM: string;
  NOTIFY_UNSUBSCRIBE_SECRET: string;
  TELEGRAM_BOT_TOKEN: string;
  TELEGRAM_API_ROOT: string;
  TELEGRAM_BOT_USERNAME: string;
  TELEGRAM_WEBHOOK_SECRET: string;
  TELEGRAM_LINK_BASE: string;
  NOTIFY_WEBHOOK_ALLOW_HTTP: 'true';
  NOTIFY_WEBHOOK_EXEMPT_RANGES: string;
}

/** The stand-in's page where a person chats with the local bot; deep links (`TELEGRAM_LINK_BASE`) open it. */
export const telegramChatUrl = (telegram: Pick<TelegramStandIn, 'url'>): string => `${telegram.url}/chat`;

export function localNotificationEnv(o: {
  /** The web app's origin: links in messages, the unsubscribe URL. */
  appUrl: string;
  /** The mail sink's `smtpUrl`. */
  smtpUrl: string;
  telegram: Pick<TelegramStandIn, 'url' | 'token' | 'botUsername'>;
  /** ≥ 32 characters: signs unsubscribe tokens (the manager signs, the web app verifies). */
  unsubscribeSecret: string;
  /** Telegram's `secret_token` ([A-Za-z0-9_-]): the stand-in sends it, the web route checks it. */
  telegramWebhookSecret: string;
}): LocalNotificationEnv {
  return {
    APP_URL: o.appUrl,
    NOTIFY_SMTP_URL: o.smtpUrl,
    NOTIFY_MAIL_FROM: LOCAL_MAIL_FROM,
    NOTIFY_UNSUBSCRIBE_SECRET: o.unsubscribeSecret,
    TELEGRAM_BOT_TOKEN: o.telegram.token,
    TELEGRAM_API_ROOT: o.telegram.url,
    TELEGRAM_BOT_USERNAME: o.telegram.botUsername,
    TELEGRAM_WEBHOOK_SECRET: o.telegramWebhookSecret,
    TELEGRAM_LINK_BASE: telegramChatUrl(o.telegram),
    // A user's webhook may be a receiver on this machine (plain http, loopback): local mode only, never production.
    NOTIFY_WEBHOOK_ALLOW_HTTP: 'true',
    NOTIFY_WEBHOOK_EXEMPT_RANGES: '127.0.0.1/32',
  };
}

/**
 * The Bot API's setWebhook, as production calls api.telegram.org: from then on the stand-in pushes each message a
 * person types on the chat page to the web app's route, with the secret it checks. Call once the web app answers.
 */
export async function pointTelegramWebhook(o: {
  telegram: Pick<TelegramStandIn, 'url' | 'token'>;
  appUrl: string;
  secret: string;
}): Promise<void> {
  const res = await fetch(`${o.telegram.url}/bot${o.telegram.token}/setWebhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: `${o.appUrl}/api/telegram/webhook`, secret_token: o.secret }),
  });
  const answer = (await res.json()) as { ok: boolean; description?: string };
  if (!answer.ok) throw new Error(`the Telegram stand-in refused setWebhook: ${answer.description ?? res.status}`);
}
