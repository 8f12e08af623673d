// Local stand-in for the Telegram Bot API (https://core.telegram.org/bots/api): `${url}/bot<token>/<method>` with
// JSON, form or query parameters, answering `{ok: true, result}` or `{ok: false, error_code, description}`, so grammy
// (or any client) runs unmodified with `apiRoot` pointed here. Tests and `npm start` inject a user's messages with
// injectMessage and read what the bot sent with sent(); a person does both on the chat page, `${url}/chat`. Dev and
// tests only — production talks to api.telegram.org.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { botLine, type ChatLine } from './chat-page.ts';
import { serveChatPage, type ChatPageDeps } from './chat-routes.ts';
import type { BotState, SentMessage } from './methods.ts';
import { callMethod } from './methods.ts';
import { UpdateQueue } from './updates.ts';
import type { ApiAnswer, TgUpdate } from './wire.ts';
import { ApiError, commandEntities, unixNow } from './wire.ts';

export type { SentMessage } from './methods.ts';
export type { TgUpdate } from './wire.ts';

export interface TelegramStandInOptions {
  /** Default 0 (a free port). */
  port?: number;
  host?: string;
  /** The bot's token, `<bot id>:<secret>` as BotFather issues them. */
  token?: string;
  botUsername?: string;
  onError?: (error: unknown) => void;
}

export interface TelegramStandIn {
  /** The API root for clients: grammy `new Api(token, { apiRoot: url })` / `new Bot(token, { client: { apiRoot: url } })`. */
  url: string;
  token: string;
  botUsername: string;
  /**
   * `${url}/chat`: the page where a person chats with the bot (chat-page.ts). The web app's TELEGRAM_LINK_BASE locally:
   * its deep links `${chatUrl}/<botUsername>?start=<token>` open there.
   */
  chatUrl: string;
  /** Messages the bot sent, oldest first (to one chat if given). */
  sent(chatId?: number): SentMessage[];
  /** A user writes to the bot from a private chat (the chat exists from then on). */
  injectMessage(message: { chatId: number; text: string; username?: string }): TgUpdate;
  /** The user blocks the bot: sendMessage to the chat answers 403 from then on. */
  blockChat(chatId: number): void;
  close(): Promise<void>;
}

export const DEFAULT_TELEGRAM_TOKEN = '7000000001:LOCAL-stand-in-token-not-a-secret';

async function readParams(req: http.IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  if (body === '') return params;
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    try {
      return { ...params, ...(JSON.parse(body) as Record<string, unknown>) };
    } catch {
      throw new ApiError(400, 'Bad Request: invalid JSON');
    }
  }
  if (type.includes('application/x-www-form-urlencoded'))
    return { ...params, ...Object.fromEntries(new URLSearchParams(body)) };
  throw new ApiError(400, 'Bad Request: the stand-in accepts JSON, form or query parameters');
}

export async function startTelegramStandIn(options: TelegramStandInOptions = {}): Promise<TelegramStandIn> {
  const token = options.token ?? DEFAULT_TELEGRAM_TOKEN;
  const botId = Number(token.split(':')[0]);
  if (!Number.isSafeInteger(botId)) throw new Error('a bot token starts with the bot id: "<digits>:<secret>"');
  const botUsername = options.botUsername ?? 'polybot_local_bot';
  const onError = options.onError ?? ((error: unknown) => console.error('[telegram stand-in]', error));
  const state: BotState = {
    bot: { id: botId, is_bot: true, first_name: 'PolyBot', username: botUsername },
    updates: new UpdateQueue(onError),
    chats: new Map(),
    blocked: new Set(),
    sent: [],
    received: [],
    nextMessageId: 1,
  };
  const pathPattern = /^\/bot([^/]+)\/([A-Za-z]+)$/;

  function injectMessage({ chatId, text, username }: { chatId: number; text: string; username?: string }): TgUpdate {
    const from = {
      id: chatId,
      is_bot: false,
      first_name: username ?? `User ${chatId}`,
      ...(username ? { username } : {}),
    };
    const chat = {
      id: chatId,
      type: 'private' as const,
      first_name: from.first_name,
      ...(username ? { username } : {}),
    };
    state.chats.set(chatId, chat);
    const entities = commandEntities(text);
    return state.updates.add((update_id) => {
      const message = {
        message_id: state.nextMessageId++,
        date: unixNow(),
        chat,
        from,
        text,
        ...(entities ? { entities } : {}),
      };
      state.received.push({ chatId, messageId: message.message_id, text, date: message.date });
      return { update_id, message };
    });
  }

  const chatPage: ChatPageDeps = {
    botUsername,
    lines: (chatId) =>
      [
        ...state.received
          .filter((m) => m.chatId === chatId)
          .map((m): ChatLine => ({ from: 'you', messageId: m.messageId, date: m.date, text: m.text, links: [] })),
        ...state.sent.filter((m) => m.chatId === chatId).map(botLine),
      ].sort((a, b) => a.messageId - b.messageId),
    chats: () => [...state.chats.values()].map((c) => ({ chatId: c.id, username: c.username ?? '' })),
    inject: (message) => void injectMessage(message),
    botMessageCount: (chatId) => state.sent.filter((m) => m.chatId === chatId).length,
  };

  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/chat')) {
      serveChatPage(chatPage, req, res).then(
        (served) => {
          if (!served) res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
        },
        (error: unknown) => {
          onError(error);
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('Internal Server Error');
        },
      );
      return;
    }
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    const answer = (status: number, body: ApiAnswer) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const match = pathPattern.exec(url.pathname);
    const run = async () => {
      if (!match) throw new ApiError(404, 'Not Found');
      if (match[1] !== token) throw new ApiError(401, 'Unauthorized');
      const params = await readParams(req, url);
      return callMethod(state, match[2] as string, params, controller.signal);
    };
    run()
      .then((result) => answer(200, { ok: true, result }))
      .catch((error: unknown) => {
        if (error instanceof ApiError)
          answer(error.errorCode, { ok: false, error_code: error.errorCode, description: error.description });
        else {
          onError(error);
          answer(500, { ok: false, error_code: 500, description: 'Internal Server Error' });
        }
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    chatUrl: `http://${options.host ?? '127.0.0.1'}:${port}/chat`,
    token,
    botUsername,
    sent: (chatId) => state.sent.filter((m) => chatId === undefined || m.chatId === chatId),
    injectMessage,
    blockChat: (chatId) => void state.blocked.add(chatId),
    close: () =>
      new Promise<void>((resolve) => {
        state.updates.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
