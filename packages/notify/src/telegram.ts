// Telegram delivery through grammy's Api (the same client the command bot uses), pointed at api.telegram.org in
// production and at the local stand-in (`apiRoot`) locally and in tests. Text is HTML parse mode, as render/ makes it.
// Telegram has no idempotency key for sendMessage: a retry after a lost answer can repeat a message; keeping the
// deadline short (timeoutSeconds) keeps that window small.
import { Api, GrammyError, HttpError } from 'grammy';
import type { DeliveryResult } from './result.ts';
import { delivered, failed } from './result.ts';

export interface TelegramConfig {
  token: string;
  /** Default https://api.telegram.org; the local stand-in's URL locally. */
  apiRoot?: string;
  timeoutSeconds?: number;
}

export function createTelegramApi(config: TelegramConfig): Api {
  return new Api(config.token, {
    ...(config.apiRoot ? { apiRoot: config.apiRoot } : {}),
    timeoutSeconds: config.timeoutSeconds ?? 10,
  });
}

/**
 * Telegram's answer decides: 429 (with parameters.retry_after) and 5xx retryable; 401 retryable too, because a wrong
 * token is the platform's configuration, not the user's, and fixing it should deliver what is queued; any other 4xx
 * permanent (400 chat not found, 403 the user blocked the bot or never started it). No answer at all (network,
 * timeout): retryable.
 */
export function classifyTelegramError(error: unknown): DeliveryResult {
  if (error instanceof GrammyError) {
    const message = `${error.error_code}: ${error.description}`;
    if (error.error_code === 429) {
      const after = error.parameters.retry_after;
      return failed(true, message, after === undefined ? undefined : after * 1000);
    }
    return failed(error.error_code >= 500 || error.error_code === 401, message);
  }
  if (error instanceof HttpError) return failed(true, error.message);
  return failed(true, error instanceof Error ? error.message : String(error));
}

export async function sendTelegramMessage(
  api: Api,
  message: { chatId: number | string; html: string },
): Promise<DeliveryResult> {
  try {
    const sent = await api.sendMessage(message.chatId, message.html, {
      parse_mode: 'HTML',
      // A market link in the text must not unfurl into a card that pushes the message itself out of view.
      link_preview_options: { is_disabled: true },
    });
    return delivered(String(sent.message_id));
  } catch (error) {
    return classifyTelegramError(error);
  }
}
