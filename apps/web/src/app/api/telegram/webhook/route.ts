// Telegram's webhook for the platform bot: /start linking and the /status, /pnl, /pause, /resume commands. No
// session here (the proxy lets it through): Telegram's secret-token header is the check, in lib/telegram/webhook.ts.
import { serverEnv } from '~/env.ts';
import { db } from '~/lib/db.ts';
import { handleTelegramWebhook } from '~/lib/telegram/webhook.ts';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  const env = serverEnv();
  return handleTelegramWebhook(request, { telegram: env.telegram, sql: db, appUrl: env.APP_URL });
}
