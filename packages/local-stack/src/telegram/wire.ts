// Telegram Bot API objects as the real API serializes them (core.telegram.org/bots/api#available-types), only the
// fields a client needs for private chats with text messages.

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
}

export interface TgChat {
  id: number;
  type: 'private';
  first_name: string;
  username?: string;
}

export interface TgMessageEntity {
  type: 'bot_command';
  offset: number;
  length: number;
}

export interface TgMessage {
  message_id: number;
  date: number;
  chat: TgChat;
  from: TgUser;
  text: string;
  entities?: TgMessageEntity[];
}

export interface TgUpdate {
  update_id: number;
  message: TgMessage;
}

export type ApiAnswer = { ok: true; result: unknown } | { ok: false; error_code: number; description: string };

export class ApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
  ) {
    super(description);
  }
}

export const badRequest = (what: string) => new ApiError(400, `Bad Request: ${what}`);

/** A command at the start of a text is what Telegram marks as a bot_command entity (grammy's bot.command needs it). */
export function commandEntities(text: string): TgMessageEntity[] | undefined {
  const match = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  return match ? [{ type: 'bot_command', offset: 0, length: match[0].length }] : undefined;
}

export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}
