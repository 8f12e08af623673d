// What the webhook accepts from Telegram (core.telegram.org/bots/api#update), parsed with zod at the boundary: the
// fields the commands read, checked; everything else Telegram adds kept but ignored. A command is read from the text
// of a message in a private chat.
import { z } from 'zod';

const ChatSchema = z.looseObject({ id: z.number().int(), type: z.string() });
const FromSchema = z.looseObject({
  id: z.number().int(),
  is_bot: z.boolean(),
  username: z.string().max(64).optional(),
});
const MessageSchema = z.looseObject({
  message_id: z.number().int(),
  date: z.number().int(),
  chat: ChatSchema,
  from: FromSchema.optional(),
  // Telegram's own limit for a message's text.
  text: z.string().max(4096).optional(),
});

export const TelegramUpdateSchema = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: MessageSchema.optional(),
});
export type TelegramUpdate = z.infer<typeof TelegramUpdateSchema>;

/** A text message to the bot: who wrote it (chat), as whom (username) and what. */
export interface IncomingText {
  chatId: string;
  privateChat: boolean;
  username: string | null;
  text: string;
}

/** The message's text and where it came from, or null for an update the bot does not answer (no text, a bot). */
export function incomingText(update: TelegramUpdate): IncomingText | null {
  const m = update.message;
  if (!m || m.text === undefined || m.from?.is_bot) return null;
  return {
    chatId: String(m.chat.id),
    privateChat: m.chat.type === 'private',
    username: m.from?.username ?? null,
    text: m.text,
  };
}

export interface Command {
  /** Lower case, without the slash: "start", "status", … */
  name: string;
  /** What follows the command ("/start abc" → "abc"), trimmed; "" when nothing does. */
  args: string;
}

/**
 * "/pause", "/start <token>", "/status@polybot_bot" (as Telegram clients write commands in groups). A command
 * addressed to another bot is not ours: null, as for text that is no command at all.
 */
export function parseCommand(text: string, botUsername: string): Command | null {
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match) return null;
  if (match[2] !== undefined && match[2].toLowerCase() !== botUsername.toLowerCase()) return null;
  return { name: (match[1] as string).toLowerCase(), args: (match[3] ?? '').trim() };
}
