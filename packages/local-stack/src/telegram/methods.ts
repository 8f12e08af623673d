// The Bot API methods the stand-in answers, with Telegram's parameter names and errors.
import type { UpdateQueue } from './updates.ts';
import { checkHtml } from './html-entities.ts';
import type { TgChat, TgMessage, TgUser } from './wire.ts';
import { ApiError, badRequest, unixNow } from './wire.ts';

export interface SentMessage {
  chatId: number;
  messageId: number;
  text: string;
  /** The text as a person sees it (markup removed, entities decoded). */
  plainText: string;
  parseMode?: string;
  date: number;
}

/** A message a user wrote to the bot (injectMessage), kept for the chat page's conversation. */
export interface ReceivedMessage {
  chatId: number;
  messageId: number;
  text: string;
  date: number;
}

export interface BotState {
  bot: TgUser;
  updates: UpdateQueue;
  /** Chats that have talked to the bot (sendMessage to any other is "chat not found", as in Telegram). */
  chats: Map<number, TgChat>;
  /** Chats that blocked the bot: sendMessage answers 403. */
  blocked: Set<number>;
  sent: SentMessage[];
  received: ReceivedMessage[];
  nextMessageId: number;
}

type Params = Record<string, unknown>;

function int(params: Params, name: string): number | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n)) throw badRequest(`invalid ${name}`);
  return n;
}

function bool(params: Params, name: string): boolean {
  return params[name] === true || params[name] === 'true';
}

function sendMessage(state: BotState, params: Params): TgMessage {
  const chatId = int(params, 'chat_id');
  if (chatId === undefined) throw badRequest('chat_id is empty');
  const text = typeof params.text === 'string' ? params.text : '';
  const parseMode = typeof params.parse_mode === 'string' ? params.parse_mode : undefined;
  if (parseMode !== undefined && parseMode !== 'HTML')
    throw badRequest(`unsupported parse_mode ${parseMode} (the stand-in speaks HTML)`);
  const plainText = parseMode === 'HTML' ? checkHtml(text) : text;
  if (plainText.trim() === '') throw badRequest('message text is empty');
  if (plainText.length > 4096) throw badRequest('message is too long');
  const chat = state.chats.get(chatId);
  if (!chat) throw badRequest('chat not found');
  if (state.blocked.has(chatId)) throw new ApiError(403, 'Forbidden: bot was blocked by the user');
  const message: TgMessage = {
    message_id: state.nextMessageId++,
    date: unixNow(),
    chat,
    from: state.bot,
    text: plainText,
  };
  state.sent.push({
    chatId,
    messageId: message.message_id,
    text,
    plainText,
    date: message.date,
    ...(parseMode ? { parseMode } : {}),
  });
  return message;
}

export async function callMethod(
  state: BotState,
  method: string,
  params: Params,
  signal: AbortSignal,
): Promise<unknown> {
  switch (method) {
    case 'getMe':
      return {
        ...state.bot,
        can_join_groups: false,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
      };
    case 'getUpdates': {
      const limit = Math.min(Math.max(int(params, 'limit') ?? 100, 1), 100);
      return state.updates.getUpdates(int(params, 'offset'), limit, int(params, 'timeout') ?? 0, signal);
    }
    case 'setWebhook': {
      const url = typeof params.url === 'string' ? params.url : '';
      if (url === '') {
        state.updates.deleteWebhook(bool(params, 'drop_pending_updates'));
        return true;
      }
      if (!/^https?:\/\//.test(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
      const secret = typeof params.secret_token === 'string' ? params.secret_token : undefined;
      if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret))
        throw badRequest('secret token contains unallowed characters');
      state.updates.setWebhook(url, secret, bool(params, 'drop_pending_updates'));
      return true;
    }
    case 'deleteWebhook':
      state.updates.deleteWebhook(bool(params, 'drop_pending_updates'));
      return true;
    case 'getWebhookInfo':
      return state.updates.webhookInfo;
    case 'sendMessage':
      return sendMessage(state, params);
    default:
      throw new ApiError(404, 'Not Found');
  }
}
