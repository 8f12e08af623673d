// POST /api/telegram/webhook: Telegram delivers each update here (setWebhook, see register.ts). In order: Telegram
// configured at all (404), the secret-token header (401, nothing read further), the body's size (413) and shape (zod:
// 400), then at most once per update id and within the chat's rate, the command's answer sent back through grammy's
// Api (@polybot/notify's sendTelegramMessage, apiRoot from TELEGRAM_API_ROOT). Anything after the secret check answers
// 200 even when the reply could not be sent: a non-2xx makes Telegram redeliver, and a command that already acted
// (a pause) must not run again.
import 'server-only';
import { createTelegramApi, sendTelegramMessage } from '@polybot/notify';
import type { Db } from '@polybot/db';
import type { TelegramConfig } from '~/env.ts';
import { answerText, type Answer } from './commands.ts';
import { ChatRateLimiter, SeenUpdates } from './limits.ts';
import { replies } from './replies.ts';
import { SECRET_TOKEN_HEADER, secretTokenMatches } from './secret-token.ts';
import { incomingText, TelegramUpdateSchema } from './update.ts';

/** Telegram's updates are a few KiB; anything this large is not one. */
export const MAX_UPDATE_BYTES = 64 * 1024;

export interface WebhookDeps {
  telegram: TelegramConfig | null;
  sql: () => Db;
  appUrl: string;
  log?: (line: string) => void;
}

const json = (status: number, body: Record<string, unknown>): Response =>
  Response.json(body, { status, headers: { 'cache-control': 'no-store' } });

/** The body as text, or null once it passes `max` bytes (read no further). */
async function readCapped(request: Request, max: number): Promise<string | null> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > max) return null;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// Per server process (Next may evaluate a route module more than once; the holder keeps one of each).
const holder = globalThis as typeof globalThis & {
  polybotTelegram?: {
    api: ReturnType<typeof createTelegramApi>;
    key: string;
    limiter: ChatRateLimiter;
    seen: SeenUpdates;
  };
};

function shared(config: TelegramConfig) {
  const key = `${config.apiRoot} ${config.token}`;
  if (holder.polybotTelegram?.key !== key)
    holder.polybotTelegram = {
      key,
      api: createTelegramApi({ token: config.token, apiRoot: config.apiRoot }),
      limiter: new ChatRateLimiter(),
      seen: new SeenUpdates(),
    };
  return holder.polybotTelegram;
}

export async function handleTelegramWebhook(request: Request, deps: WebhookDeps): Promise<Response> {
  const config = deps.telegram;
  const log = deps.log ?? console.error;
  if (!config) return json(404, { error: 'Telegram is not configured' });
  if (!secretTokenMatches(request.headers.get(SECRET_TOKEN_HEADER), config.webhookSecret))
    return json(401, { error: 'wrong secret token' });
  const body = await readCapped(request, MAX_UPDATE_BYTES);
  if (body === null) return json(413, { error: 'update too large' });
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return json(400, { error: 'not JSON' });
  }
  const update = TelegramUpdateSchema.safeParse(raw);
  if (!update.success) return json(400, { error: 'not a Telegram update' });
  const msg = incomingText(update.data);
  // Updates the bot does not answer (an edited message, a photo, …) are taken, not retried.
  if (!msg) return json(200, { ok: true });
  const { api, limiter, seen } = shared(config);
  if (!seen.firstTime(update.data.update_id)) return json(200, { ok: true, duplicate: true });
  const verdict = limiter.take(msg.chatId);
  if (verdict === 'drop') return json(200, { ok: true, limited: true });
  const answer: Answer =
    verdict === 'warn'
      ? { html: replies.tooFast(), userId: null }
      : await answerText({ sql: deps.sql(), appUrl: deps.appUrl, botUsername: config.botUsername, log }, msg);
  const sent = await sendTelegramMessage(api, { chatId: msg.chatId, html: answer.html });
  if (!sent.ok)
    log(`telegram: reply to chat ${msg.chatId} (user ${answer.userId ?? 'unknown'}) not sent: ${sent.error}`);
  return json(200, { ok: true });
}
