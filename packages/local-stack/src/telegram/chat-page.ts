// The stand-in's page for a person (npm start): `${url}/chat` is a Telegram app in miniature. Pick who you are (a chat
// id and a username), type a message — it reaches the bot exactly as a real user's would (injectMessage: getUpdates
// or the webhook) — and read the conversation with the bot's replies. `${url}/chat/<bot username>?start=<token>` is
// where the web app's deep links land locally (TELEGRAM_LINK_BASE = `${url}/chat`): the message box holds
// `/start <token>`, as Telegram's Start button would send. Plain HTML and forms, no script; everything escaped.
import type { SentMessage } from './methods.ts';
import { escapeHtml } from '../html.ts';

export interface ChatLine {
  from: 'you' | 'bot';
  messageId: number;
  /** Unix seconds. */
  date: number;
  /** What a person sees: the user's text, or the bot's message without markup. */
  text: string;
  /** http(s) links in the bot's HTML (its <a href>), shown as plain anchors under the message. */
  links: string[];
}

function decodeEntities(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');
}

/** The bot's message as a chat line: its links are taken from the HTML it sent (parse mode HTML). */
export function botLine(message: SentMessage): ChatLine {
  const links =
    message.parseMode === 'HTML'
      ? [...message.text.matchAll(/<a\s+href="([^"]*)"/gi)]
          .map((m) => decodeEntities(m[1] ?? ''))
          .filter((href) => /^https?:\/\//i.test(href))
      : [];
  return {
    from: 'bot',
    messageId: message.messageId,
    date: message.date,
    text: message.plainText,
    links: [...new Set(links)],
  };
}

const STYLE = `
  * { box-sizing: border-box; }
  body { font: 16px/1.45 system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #e6ebee; }
  header { background: #2a7ab0; color: #fff; padding: 10px 14px; }
  header strong { display: block; }
  header .muted { color: #dceaf4; }
  header a { color: #fff; }
  main { max-width: 720px; margin: 0 auto; padding: 12px; }
  .muted { color: #5b6670; font-size: 13px; }
  .log { list-style: none; padding: 0; margin: 0 0 12px; display: flex; flex-direction: column; gap: 8px; }
  .msg { max-width: 85%; padding: 8px 10px; border-radius: 10px; background: #fff; white-space: pre-wrap;
         overflow-wrap: anywhere; }
  .msg.you { align-self: flex-end; background: #d9f5c5; }
  .msg .links { margin: 6px 0 0; padding-left: 18px; }
  .msg time { display: block; text-align: right; }
  form { background: #fff; padding: 10px; border-radius: 10px; display: grid; gap: 8px; }
  label { display: grid; gap: 2px; font-size: 14px; }
  input, textarea, button { font: inherit; padding: 8px; border: 1px solid #b9c3cb; border-radius: 6px; width: 100%; }
  textarea { min-height: 3.2em; resize: vertical; }
  button { background: #2a7ab0; color: #fff; border: 0; font-weight: 600; }
  .row { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
  .notice { background: #fff6d6; padding: 8px 10px; border-radius: 8px; }
  section { margin: 16px 0; }
`;

function page(title: string, botUsername: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header><strong>@${escapeHtml(botUsername)}</strong>
<span class="muted">Local Telegram stand-in: nothing here reaches Telegram. <a href="/chat">Chats</a></span></header>
<main>${body}</main></body></html>`;
}

const time = (date: number): string => new Date(date * 1000).toISOString().slice(11, 16);

export interface ChatView {
  botUsername: string;
  chatId: number;
  username: string;
  lines: readonly ChatLine[];
  /** Text put in the message box (`/start <token>` from a deep link). */
  draft: string;
  notice?: string;
}

function identityFields(chatId: number | null, username: string): string {
  return `<div class="row"><label>Chat id<input name="chat_id" inputmode="numeric" pattern="[0-9]{1,15}" required
 value="${chatId === null ? '' : escapeHtml(String(chatId))}"></label>
<label>Username<input name="username" pattern="[A-Za-z0-9_]{0,32}" value="${escapeHtml(username)}"></label></div>`;
}

/** One chat: the conversation, oldest first, and the box to write the next message. */
export function renderChat(view: ChatView): string {
  const log = view.lines.length
    ? `<ol class="log" aria-label="Conversation">${view.lines
        .map(
          (l) =>
            `<li class="msg ${l.from}" data-from="${l.from}">${escapeHtml(l.text)}${
              l.links.length
                ? `<ul class="links">${l.links
                    .map((href) => `<li><a href="${escapeHtml(href)}" rel="noreferrer">${escapeHtml(href)}</a></li>`)
                    .join('')}</ul>`
                : ''
            }<time class="muted">${l.from === 'you' ? 'you' : 'bot'} · ${time(l.date)} UTC</time></li>`,
        )
        .join('')}</ol>`
    : '<p class="muted">No messages yet. Say something to the bot below.</p>';
  const self = `/chat?chat=${encodeURIComponent(String(view.chatId))}&username=${encodeURIComponent(view.username)}`;
  return page(
    `Chat ${view.chatId} with @${view.botUsername}`,
    view.botUsername,
    `${view.notice ? `<p class="notice" role="status">${escapeHtml(view.notice)}</p>` : ''}
<p class="muted">You are chat ${escapeHtml(String(view.chatId))}${view.username ? ` (@${escapeHtml(view.username)})` : ''}.
<a href="${escapeHtml(self)}">Refresh</a> to see messages the bot sent since.</p>
${log}
<form method="post" action="/chat/send" aria-label="Message">
<input type="hidden" name="chat_id" value="${escapeHtml(String(view.chatId))}">
<input type="hidden" name="username" value="${escapeHtml(view.username)}">
<label>Message<textarea name="text" required maxlength="4096" autofocus>${escapeHtml(view.draft)}</textarea></label>
<button type="submit">Send</button></form>`,
  );
}

export interface ChatsView {
  botUsername: string;
  /** Chats that have written to the bot. */
  chats: readonly { chatId: number; username: string }[];
  /** Suggested identity for a new chat (the last one used in this browser, else a fresh id). */
  chatId: number | null;
  username: string;
  /** From a deep link: what the first message will be. */
  draft: string;
  notice?: string;
}

/** Choose who you are (or continue a chat), and optionally send a first message (the deep link's /start). */
export function renderChats(view: ChatsView): string {
  const known = view.chats.length
    ? `<section><h2>Chats</h2><ul>${view.chats
        .map(
          (c) =>
            `<li><a href="/chat?chat=${encodeURIComponent(String(c.chatId))}&amp;username=${encodeURIComponent(c.username)}">Chat ${escapeHtml(
              String(c.chatId),
            )}${c.username ? ` (@${escapeHtml(c.username)})` : ''}</a></li>`,
        )
        .join('')}</ul></section>`
    : '';
  const intro = view.draft.startsWith('/start ')
    ? `<p>Linking a chat to PolyBot: press <strong>Start</strong> to send the link's token to @${escapeHtml(view.botUsername)}, as Telegram's Start button does.</p>`
    : `<p>Write to @${escapeHtml(view.botUsername)} as a Telegram user: choose a chat id (any number; one per person) and a username.</p>`;
  return page(
    `Chat with @${view.botUsername}`,
    view.botUsername,
    `${view.notice ? `<p class="notice" role="status">${escapeHtml(view.notice)}</p>` : ''}${intro}
<form method="post" action="/chat/send" aria-label="Message">
${identityFields(view.chatId, view.username)}
<label>Message<textarea name="text" required maxlength="4096">${escapeHtml(view.draft)}</textarea></label>
<button type="submit">${view.draft.startsWith('/start ') ? 'Start' : 'Send'}</button></form>
${known}`,
  );
}

export function renderUnknownBot(botUsername: string, asked: string): string {
  return page(
    'No such bot',
    botUsername,
    `<p>There is no bot @${escapeHtml(asked)} here: this stand-in is @${escapeHtml(botUsername)}. <a href="/chat">Chats</a></p>`,
  );
}
