// Tells Telegram where to deliver the bot's updates: setWebhook(`${appUrl}/api/telegram/webhook`, secret_token), so
// every delivery carries the secret the webhook route checks. Production runs it once per deployment (or secret
// change) with scripts/telegram-set-webhook.ts; `npm start` (apps/dev) and tests call it after the web app is up,
// against the local stand-in. No server-only import and no environment reading: callers pass everything.
import { createTelegramApi } from '@polybot/notify';

export const TELEGRAM_WEBHOOK_PATH = '/api/telegram/webhook';

export interface TelegramWebhookTarget {
  token: string;
  /** https://api.telegram.org, or the stand-in's url. */
  apiRoot: string;
  /** The web app's public origin (APP_URL). */
  appUrl: string;
  /** TELEGRAM_WEBHOOK_SECRET. */
  secret: string;
  /** Forget updates that waited while no webhook answered (default false: they are delivered). */
  dropPendingUpdates?: boolean;
}

/** Registers the webhook; returns the URL Telegram now delivers to. Throws with Telegram's description on refusal. */
export async function setTelegramWebhook(target: TelegramWebhookTarget): Promise<string> {
  const url = `${target.appUrl.replace(/\/+$/, '')}${TELEGRAM_WEBHOOK_PATH}`;
  const api = createTelegramApi({ token: target.token, apiRoot: target.apiRoot });
  await api.setWebhook(url, {
    secret_token: target.secret,
    // Only messages: the commands are text; nothing else is answered, so nothing else is worth a request.
    allowed_updates: ['message'],
    drop_pending_updates: target.dropPendingUpdates ?? false,
  });
  return url;
}
