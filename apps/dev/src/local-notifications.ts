// Notifications in `npm start`: the Telegram stand-in beside the mail sink, the environment both apps read to send
// email, webhooks and Telegram messages locally (with secrets kept in the state directory), and the stand-in's webhook
// pointed at the web app — so a person can link a chat on the settings page, get trade messages on the chat page and
// send /status from it, with nothing leaving the machine.
import { localNotificationEnv, pointTelegramWebhook, telegramChatUrl } from '@polybot/local-stack/notify-env';
import type { LocalNotificationEnv } from '@polybot/local-stack/notify-env';
import { startTelegramStandIn, type TelegramStandIn } from '@polybot/local-stack/telegram';
import { loadOrCreateLocalSecrets } from './local-secrets.ts';

export interface LocalNotifications {
  telegram: TelegramStandIn;
  /** Where a person chats with the local bot. */
  chatUrl: string;
  /** For the web app and the bot-manager alike. */
  env: LocalNotificationEnv;
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
    chatUrl: telegramChatUrl(telegram),
    env,
    connectWebApp: () => pointTelegramWebhook({ telegram, appUrl: o.appUrl, secret: env.TELEGRAM_WEBHOOK_SECRET }),
  };
}
