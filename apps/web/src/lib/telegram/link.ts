// The deep link that links a chat: Telegram opens a chat with the bot and sends `/start <token>` when the user taps
// Start. `https://t.me/<bot>?start=<token>` in production; locally TELEGRAM_LINK_BASE is the stand-in's chat page.
import type { TelegramConfig } from '../../env.ts';

export function telegramDeepLink(config: Pick<TelegramConfig, 'linkBase' | 'botUsername'>, token: string): string {
  return `${config.linkBase}/${encodeURIComponent(config.botUsername)}?start=${encodeURIComponent(token)}`;
}
