// Production: points the platform bot at this deployment's webhook. Run once after deploying (and after changing
// APP_URL or TELEGRAM_WEBHOOK_SECRET), with the web app's environment:
//   APP_URL=https://app.example.com TELEGRAM_BOT_TOKEN=… TELEGRAM_BOT_USERNAME=… TELEGRAM_WEBHOOK_SECRET=… \
//     npm run telegram:set-webhook --workspace @polybot/web
// The variables are parsed by the web app's own env.ts rules (parseTelegramEnv). docs/NOTIFICATIONS.md "Telegram
// commands" has the whole setup.
import { z } from 'zod';
import { parseTelegramEnv } from '../src/env.ts';
import { setTelegramWebhook } from '../src/lib/telegram/register.ts';

async function main(): Promise<void> {
  const telegram = parseTelegramEnv(process.env);
  if (!telegram)
    throw new Error('Telegram is off: set TELEGRAM_BOT_TOKEN, TELEGRAM_BOT_USERNAME and TELEGRAM_WEBHOOK_SECRET');
  const appUrl = z
    .url({ protocol: /^https?$/ })
    .parse(process.env.APP_URL, { error: () => "APP_URL must be the app's public origin" });
  const url = await setTelegramWebhook({
    token: telegram.token,
    apiRoot: telegram.apiRoot,
    appUrl: new URL(appUrl).origin,
    secret: telegram.webhookSecret,
  });
  console.log(`Telegram now delivers @${telegram.botUsername}'s updates to ${url}`);
}

main().catch((e: unknown) => {
  console.error(`telegram-set-webhook: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
