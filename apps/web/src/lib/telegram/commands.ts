// The bot's commands. A chat is only ever acted on for the user it is linked to (telegramUserForChat, a verified
// telegram channel made by /start <token>), and then as that user under RLS (withUser) through the functions the web
// app's own pages and actions call: loadStatus (the dashboard's status card), loadPnlCard (its P&L card),
// setOwnBotEnabled (its Pause/Resume button). An unlinked chat gets a sentence and nothing else happens.
import 'server-only';
import { withUser, type Db } from '@polybot/db';
import { linkTelegramChat, telegramUserForChat } from '@polybot/db/user';
import { setOwnBotEnabled } from '../bot-control.ts';
import { loadPnlCard } from '../positions-view.ts';
import { loadStatus } from '../status.ts';
import { pnlReply, replies, statusReply, toggleReply } from './replies.ts';
import { parseCommand, type IncomingText } from './update.ts';

export interface CommandContext {
  sql: Db;
  /** The web app's public origin, for links in replies. */
  appUrl: string;
  botUsername: string;
  log?: (line: string) => void;
}

export interface Answer {
  /** Telegram HTML. */
  html: string;
  /** The user the chat is linked to, when the command needed one and found one. */
  userId: string | null;
}

// A link token as create_telegram_link_token makes it; anything else cannot be one, so it is not looked up.
const LINK_TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

const USER_COMMANDS = new Set(['status', 'pnl', 'pause', 'resume']);

async function link(ctx: CommandContext, msg: IncomingText, token: string): Promise<Answer> {
  if (token === '') {
    const userId = await telegramUserForChat(ctx.sql, msg.chatId);
    return { html: userId ? replies.help() : replies.startWithoutToken(ctx.appUrl), userId };
  }
  if (!LINK_TOKEN.test(token)) return { html: replies.linkExpired(ctx.appUrl), userId: null };
  try {
    const userId = await linkTelegramChat(ctx.sql, { token, chatId: msg.chatId, username: msg.username });
    return { html: userId ? replies.linked(ctx.appUrl) : replies.linkExpired(ctx.appUrl), userId };
  } catch (e) {
    // link_telegram_chat's "at most 10 channels" (the token is not consumed: the transaction rolled back).
    if ((e as { code?: unknown }).code === '54000') return { html: replies.tooManyChannels(ctx.appUrl), userId: null };
    throw e;
  }
}

async function forUser(ctx: CommandContext, name: string, userId: string): Promise<string> {
  switch (name) {
    case 'status':
      return statusReply(await withUser(ctx.sql, userId, loadStatus));
    case 'pnl':
      return pnlReply(await withUser(ctx.sql, userId, (tx) => loadPnlCard(tx, new Date())));
    case 'pause':
    case 'resume': {
      const enabled = name === 'resume';
      return toggleReply(enabled, await setOwnBotEnabled(ctx.sql, userId, enabled));
    }
    default:
      throw new Error(`not a user command: ${name}`);
  }
}

/** The answer to one text message. Never throws: a failure is logged with the user and answered with a sentence. */
export async function answerText(ctx: CommandContext, msg: IncomingText): Promise<Answer> {
  const command = parseCommand(msg.text, ctx.botUsername);
  let userId: string | null = null;
  try {
    // Commands act on an account: a group's members are not all its owner, so only a private chat may link or act.
    if (!msg.privateChat) return { html: replies.privateOnly(), userId: null };
    if (command?.name === 'start') return await link(ctx, msg, command.args);
    if (command?.name === 'help') {
      userId = await telegramUserForChat(ctx.sql, msg.chatId);
      return { html: userId ? replies.help() : replies.notLinked(ctx.appUrl), userId };
    }
    if (!command || !USER_COMMANDS.has(command.name)) return { html: replies.unknown(msg.text.trim()), userId: null };
    userId = await telegramUserForChat(ctx.sql, msg.chatId);
    if (!userId) return { html: replies.notLinked(ctx.appUrl), userId: null };
    return { html: await forUser(ctx, command.name, userId), userId };
  } catch (e) {
    const what = command ? `/${command.name}` : 'a message';
    (ctx.log ?? console.error)(
      `telegram: ${what} from chat ${msg.chatId} failed for user ${userId ?? 'unknown'}: ${e instanceof Error ? e.stack : String(e)}`,
    );
    return { html: replies.failed(command ? what : 'your message'), userId };
  }
}
