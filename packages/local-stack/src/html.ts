// The stand-ins' pages for people (the mail inbox, the Telegram chat, Stripe's hosted pages) are plain server-rendered
// HTML: everything they show from a message or a request goes through this one escape.

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
