// Notifications on the local stack (`npm start` and the browser journeys): the one set of environment variables the
// web app and the bot-manager both read (docs/NOTIFICATIONS.md, names as in each app's env.ts) pointing at the mail
// sink and the Telegram stand-in. Dev and tests only. (The stand-in's webhook is set with the web app's own
// setTelegramWebhook, `@polybot/web/telegram-webhook`, as production sets it.)
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

export function localNotificationEnv(o: {
  /** The web app's origin: links in messages, the unsubscribe URL. */
  appUrl: string;
  /** The mail sink's `smtpUrl`. */
  smtpUrl: string;
  telegram: Pick<TelegramStandIn, 'url' | 'token' | 'botUsername' | 'chatUrl'>;
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
    // Deep links open the stand-in's chat page, where a person can press Start.
    TELEGRAM_LINK_BASE: o.telegram.chatUrl,
    // A user's webhook may be a receiver on this machine (plain http, loopback): local mode only, never production.
    NOTIFY_WEBHOOK_ALLOW_HTTP: 'true',
    NOTIFY_WEBHOOK_EXEMPT_RANGES: '127.0.0.1/32',
  };
}
