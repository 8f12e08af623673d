// Notifications in `npm start`: the Telegram stand-in beside the mail sink, the environment both apps read to send
// email, webhooks and Telegram messages locally (with secrets kept in the state directory), and the stand-in's webhook
// pointed at the web app — so a person can link a chat on the settings page, get trade messages on the chat page and
// send /status from it, with nothing leaving the machine.
import { localNotificationEnv, type LocalNotificationEnv } from '@polybot/local-stack/notify-env';
import { startTelegramStandIn, type TelegramStandIn } from '@polybot/local-stack/telegram';
import type { NotificationWorkerConfig } from '@polybot/bot-manager';
import { setTelegramWebhook } from '@polybot/web/telegram-webhook';
import { loadOrCreateLocalSecrets } from './local-secrets.ts';

export interface LocalNotifications {
  telegram: TelegramStandIn;
  /** Where a person chats with the local bot. */
  chatUrl: string;
  /** For the web app (the bot-manager reads the same names when it runs as its own process). */
  env: LocalNotificationEnv;
  /** The same settings as the in-process bot-manager's notification worker takes them. */
  worker: NotificationWorkerConfig;
  /** Once the web app answers: the stand-in delivers chat messages to its webhook route. */
  connectWebApp(): Promise<void>;
}

export async function startLocalNotifications(o: {
  telegramPort: number;
  stateDir: string;
  appUrl: string;
  smtpUrl: string;
  onError: (error: unknown) => void;
}): Promise<LocalNotifications> {
  const secrets = await loadOrCreateLocalSecrets(o.stateDir);
  const telegram = await startTelegramStandIn({ port: o.telegramPort, host: '127.0.0.1', onError: o.onError });
  const env = localNotificationEnv({
    appUrl: o.appUrl,
    smtpUrl: o.smtpUrl,
    telegram,
    unsubscribeSecret: secrets.notifyUnsubscribeSecret,
    telegramWebhookSecret: secrets.telegramWebhookSecret,
  });
  return {
    telegram,
    worker: {
      appUrl: env.APP_URL,
      concurrency: 4,
      email: {
        smtpUrl: env.NOTIFY_SMTP_URL,
        from: env.NOTIFY_MAIL_FROM,
        unsubscribeSecret: env.NOTIFY_UNSUBSCRIBE_SECRET,
      },
      telegram: { token: env.TELEGRAM_BOT_TOKEN, apiRoot: env.TELEGRAM_API_ROOT },
      webhook: {
        allowHttp: env.NOTIFY_WEBHOOK_ALLOW_HTTP === 'true',
        exemptRanges: env.NOTIFY_WEBHOOK_EXEMPT_RANGES.split(','),
      },
    },
    chatUrl: telegram.chatUrl,
    env,
    // As production registers the real bot (the web workspace's own setWebhook call).
    connectWebApp: async () => {
      await setTelegramWebhook({
        token: telegram.token,
        apiRoot: telegram.url,
        appUrl: o.appUrl,
        secret: env.TELEGRAM_WEBHOOK_SECRET,
      });
    },
  };
}
