// What the settings page needs to reach the outside world, from the environment (src/env.ts): SMTP for the email
// channel's confirmation and test mails, the unsubscribe secret, the SSRF rules every URL is checked and sent with, and
// the Telegram bot (its variables are parsed in env.ts by the Telegram code; read here by name so the page can say
// "not configured" without owning them).
import 'server-only';
import type { SafeFetchOptions } from '@polybot/notify';
import { z } from 'zod';
import { serverEnv } from '~/env.ts';

export interface MailConfig {
  smtpUrl: string;
  from: string;
  unsubscribeSecret: string;
}

export interface TelegramConfig {
  botUsername: string;
  /** Deep links are `${linkBase}/${botUsername}?start=<token>` (https://t.me; locally the stand-in's chat page). */
  linkBase: string;
  /** For "Send test": the bot's token and API root; null when only the link is configured. */
  api: { token: string; apiRoot: string } | null;
}

export interface NotifyConfig {
  appUrl: string;
  mail: MailConfig | null;
  unsubscribeSecret: string | null;
  safeFetch: SafeFetchOptions;
  telegram: TelegramConfig | null;
}

// The Telegram names of the contract (docs/NOTIFICATIONS.md), as env.ts parses them; absent values mean "not set up".
const TelegramEnvSchema = z.object({
  TELEGRAM_BOT_USERNAME: z.string().min(1).optional(),
  TELEGRAM_LINK_BASE: z.string().url().optional(),
  TELEGRAM_BOT_TOKEN: z.string().min(1).optional(),
  TELEGRAM_API_ROOT: z.string().url().optional(),
});

export function notifyConfig(): NotifyConfig {
  const env = serverEnv();
  const tg = TelegramEnvSchema.parse(env);
  return {
    appUrl: env.APP_URL,
    mail:
      env.NOTIFY_SMTP_URL && env.NOTIFY_MAIL_FROM && env.NOTIFY_UNSUBSCRIBE_SECRET
        ? { smtpUrl: env.NOTIFY_SMTP_URL, from: env.NOTIFY_MAIL_FROM, unsubscribeSecret: env.NOTIFY_UNSUBSCRIBE_SECRET }
        : null,
    unsubscribeSecret: env.NOTIFY_UNSUBSCRIBE_SECRET ?? null,
    safeFetch: { allowHttp: env.NOTIFY_WEBHOOK_ALLOW_HTTP, exemptRanges: env.NOTIFY_WEBHOOK_EXEMPT_RANGES },
    telegram: tg.TELEGRAM_BOT_USERNAME
      ? {
          botUsername: tg.TELEGRAM_BOT_USERNAME,
          linkBase: (tg.TELEGRAM_LINK_BASE ?? 'https://t.me').replace(/\/+$/, ''),
          api: tg.TELEGRAM_BOT_TOKEN
            ? { token: tg.TELEGRAM_BOT_TOKEN, apiRoot: tg.TELEGRAM_API_ROOT ?? 'https://api.telegram.org' }
            : null,
        }
      : null,
  };
}

/** The deep link that opens a chat with the bot and sends `/start <token>`. */
export function telegramDeepLink(config: TelegramConfig, token: string): string {
  return `${config.linkBase}/${encodeURIComponent(config.botUsername)}?start=${encodeURIComponent(token)}`;
}
