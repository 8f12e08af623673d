// Telegram proves a webhook call is its own with the secret_token we gave setWebhook, sent back in the
// X-Telegram-Bot-Api-Secret-Token header. Compared in constant time: both sides are hashed first, so neither the
// content nor the length of the expected secret leaks through how long a refusal takes.
import { createHash, timingSafeEqual } from 'node:crypto';

export const SECRET_TOKEN_HEADER = 'x-telegram-bot-api-secret-token';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

export function secretTokenMatches(received: string | null, expected: string): boolean {
  if (received === null || expected === '') return false;
  return timingSafeEqual(digest(received), digest(expected));
}
