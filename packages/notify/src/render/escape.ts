// Event text (market titles, reasons) comes from venues and users: it is data, never markup, in every format.

/** HTML text and attribute values (email HTML, Telegram's HTML parse mode). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Slack mrkdwn: the three characters Slack reserves for links and mentions (<@U123>, <!channel>). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Discord markdown: backslash every formatting character so a title cannot bold, link, spoil or quote. */
export function escapeDiscord(text: string): string {
  return text.replace(/[\\*_~`|>#[\]()-]/g, '\\$&').replace(/@/g, '@\u200b');
}
