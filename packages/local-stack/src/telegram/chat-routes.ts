// HTTP side of the chat page (chat-page.ts): GET /chat, GET /chat/<bot username>?start=<token>, POST /chat/send.
// The page remembers who you are in a cookie (the last chat id and username used), so a deep link opened later in
// the same browser continues the same chat, as it would in one Telegram app.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomInt } from 'node:crypto';
import type { ChatLine } from './chat-page.ts';
import { renderChat, renderChats, renderUnknownBot } from './chat-page.ts';

export interface ChatPageDeps {
  botUsername: string;
  /** The conversation of one chat, oldest first. */
  lines(chatId: number): ChatLine[];
  /** Chats that have written to the bot. */
  chats(): { chatId: number; username: string }[];
  inject(message: { chatId: number; text: string; username?: string }): void;
  /** How many messages the bot has sent to the chat (a reply is awaited by watching it grow). */
  botMessageCount(chatId: number): number;
}

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const COOKIE = 'tg_standin_chat';
/** How long sending waits for the bot's answer before showing the chat anyway (a refresh shows later ones). */
const REPLY_WAIT_MS = 5000;
const MAX_FORM_BYTES = 16 * 1024;

const CHAT_ID = /^[0-9]{1,15}$/;
const USERNAME = /^[A-Za-z0-9_]{0,32}$/;
// Telegram's own rule for a deep link's start parameter.
const START_PARAM = /^[A-Za-z0-9_-]{1,64}$/;

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  res.end(html);
}

function identityFromCookie(req: IncomingMessage): { chatId: number; username: string } | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, value = ''] = part.trim().split('=');
    if (name !== COOKIE) continue;
    const [id = '', username = ''] = decodeURIComponent(value).split('.');
    if (CHAT_ID.test(id) && USERNAME.test(username)) return { chatId: Number(id), username };
  }
  return null;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function waitForReply(deps: ChatPageDeps, chatId: number, before: number): Promise<void> {
  const deadline = Date.now() + REPLY_WAIT_MS;
  while (deps.botMessageCount(chatId) === before && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 25));
}

function chooseChat(deps: ChatPageDeps, req: IncomingMessage, res: ServerResponse, draft: string, notice?: string) {
  const me = identityFromCookie(req);
  sendHtml(
    res,
    200,
    renderChats({
      botUsername: deps.botUsername,
      chats: deps.chats(),
      // A fresh visitor gets an id of their own, so two people on one stand-in are two chats.
      chatId: me?.chatId ?? randomInt(100_000_000, 999_999_999),
      username: me?.username ?? 'local_user',
      draft,
      ...(notice ? { notice } : {}),
    }),
  );
}

/** Serves the chat page's paths; false for any other path (the Bot API's). */
export async function serveChatPage(deps: ChatPageDeps, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const path = url.pathname.replace(/\/+$/, '');
  if (path !== '/chat' && !path.startsWith('/chat/')) return false;
  const method = req.method ?? 'GET';

  if (path === '/chat/send') {
    if (method !== 'POST') {
      sendHtml(res, 405, 'POST a message here from /chat');
      return true;
    }
    const form = await readForm(req);
    const chatId = form?.get('chat_id')?.trim() ?? '';
    const username = form?.get('username')?.trim().replace(/^@/, '') ?? '';
    const text = form?.get('text') ?? '';
    if (!form || !CHAT_ID.test(chatId) || !USERNAME.test(username) || text.trim() === '' || text.length > 4096) {
      chooseChat(
        deps,
        req,
        res,
        text.slice(0, 4096),
        'Choose a chat id (digits), a username (letters, digits, _) and write a message of at most 4096 characters.',
      );
      return true;
    }
    const id = Number(chatId);
    const before = deps.botMessageCount(id);
    deps.inject({ chatId: id, text, ...(username ? { username } : {}) });
    await waitForReply(deps, id, before);
    res.writeHead(303, {
      location: `/chat?chat=${id}&username=${encodeURIComponent(username)}`,
      'set-cookie': `${COOKIE}=${encodeURIComponent(`${id}.${username}`)}; Path=/chat; HttpOnly; SameSite=Lax`,
    });
    res.end();
    return true;
  }
  if (method !== 'GET') {
    sendHtml(res, 405, 'Only GET here');
    return true;
  }

  const start = url.searchParams.get('start');
  const draft = start !== null && START_PARAM.test(start) ? `/start ${start}` : '';
  const badStart =
    start !== null && draft === '' ? 'That link carries no start parameter Telegram would accept.' : undefined;
  if (path === '/chat') {
    const chat = url.searchParams.get('chat') ?? '';
    const username = url.searchParams.get('username') ?? '';
    if (!CHAT_ID.test(chat) || !USERNAME.test(username)) {
      chooseChat(deps, req, res, draft, badStart);
      return true;
    }
    const chatId = Number(chat);
    sendHtml(
      res,
      200,
      renderChat({ botUsername: deps.botUsername, chatId, username, lines: deps.lines(chatId), draft }),
    );
    return true;
  }
  // /chat/<bot username>: where t.me/<bot> links land locally.
  let asked = path.slice('/chat/'.length);
  try {
    asked = decodeURIComponent(asked);
  } catch {
    // shown as it came
  }
  if (asked.toLowerCase() !== deps.botUsername.toLowerCase()) {
    sendHtml(res, 404, renderUnknownBot(deps.botUsername, asked));
    return true;
  }
  chooseChat(deps, req, res, draft, badStart);
  return true;
}
