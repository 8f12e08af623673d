// The inbox a person opens in a browser: a list of messages and one message's view. Everything from a message is
// escaped; its HTML part is shown only inside a sandboxed iframe (no scripts, no same-origin), so a message cannot
// act on the inbox. Links found in the message are listed as plain anchors, the quick way to follow a sign-in link.
import type { SinkMessage } from './store.ts';
import { escapeHtml } from '../html.ts';

/** http(s) links in the message: hrefs of the HTML part, then URLs in the text part; each once, in order. */
export function messageLinks(message: SinkMessage): string[] {
  const found: string[] = [];
  for (const match of (message.html ?? '').matchAll(/href\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
    found.push(decodeEntities(match[1] ?? match[2] ?? ''));
  }
  for (const match of message.text.matchAll(/https?:\/\/[^\s<>"')\]]+/g)) found.push(match[0]);
  return [...new Set(found.filter((link) => /^https?:\/\//i.test(link)))];
}

function decodeEntities(value: string): string {
  return value
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

const STYLE = `
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #f6f6f4; }
  header { background: #1a1a1a; color: #fff; padding: 12px 16px; display: flex; gap: 16px; align-items: baseline; }
  header a { color: #fff; }
  main { max-width: 960px; margin: 0 auto; padding: 16px; }
  table { width: 100%; border-collapse: collapse; background: #fff; }
  th, td { text-align: left; padding: 8px; border-bottom: 1px solid #e4e4e0; vertical-align: top; overflow-wrap: anywhere; }
  .muted { color: #666; font-size: 13px; }
  iframe { width: 100%; min-height: 420px; border: 1px solid #e4e4e0; background: #fff; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #fff; padding: 12px; border: 1px solid #e4e4e0; }
  section { margin: 20px 0; }
  li a { overflow-wrap: anywhere; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; }
  dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
`;

function page(title: string, body: string, refreshSeconds?: number): string {
  const refresh = refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">${refresh}
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header><strong>Local mail inbox</strong><a href="/">All messages</a>
<span class="muted">nothing here leaves this machine</span></header><main>${body}</main></body></html>`;
}

export function renderInbox(messages: readonly SinkMessage[]): string {
  if (messages.length === 0) {
    return page('Local mail inbox', '<p>No mail yet. This page refreshes every 5 seconds.</p>', 5);
  }
  const rows = [...messages]
    .reverse()
    .map(
      (m) => `<tr><td class="muted">${escapeHtml(m.receivedAt.replace('T', ' ').slice(0, 19))}</td>
<td>${escapeHtml(m.to.join(', '))}</td><td><a href="/messages/${encodeURIComponent(m.id)}">${escapeHtml(m.subject || '(no subject)')}</a></td>
<td class="muted">${escapeHtml(m.from)}</td></tr>`,
    )
    .join('');
  return page(
    `Local mail inbox (${messages.length})`,
    `<p class="muted">${messages.length} message(s), newest first. Refreshes every 5 seconds. JSON: <a href="/api/messages">/api/messages</a></p>
<table><thead><tr><th>Received</th><th>To</th><th>Subject</th><th>From</th></tr></thead><tbody>${rows}</tbody></table>`,
    5,
  );
}

export function renderMessage(message: SinkMessage): string {
  const links = messageLinks(message);
  const linkList = links.length
    ? `<section><h2>Links</h2><ul>${links
        .map((l) => `<li><a href="${escapeHtml(l)}" rel="noreferrer">${escapeHtml(l)}</a></li>`)
        .join('')}</ul></section>`
    : '';
  // <base target=_blank>: a click inside the sandbox opens a new tab (allow-popups) instead of navigating the frame.
  const html =
    message.html === null
      ? ''
      : `<section><h2>HTML</h2><iframe title="HTML part" sandbox="allow-popups allow-popups-to-escape-sandbox"
 srcdoc="${escapeHtml(`<base target="_blank">${message.html}`)}"></iframe></section>`;
  const headers = Object.entries(message.headers)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join('');
  return page(
    message.subject || '(no subject)',
    `<h1>${escapeHtml(message.subject || '(no subject)')}</h1>
<dl><dt>From</dt><dd>${escapeHtml(message.from)}</dd><dt>To</dt><dd>${escapeHtml(message.to.join(', '))}</dd>
<dt>Received</dt><dd>${escapeHtml(message.receivedAt)}</dd></dl>
${linkList}${html}
<section><h2>Plain text</h2><pre>${escapeHtml(message.text)}</pre></section>
<section><h2>Headers</h2><dl>${headers}</dl></section>
<p class="muted">JSON: <a href="/api/messages/${encodeURIComponent(message.id)}">/api/messages/${escapeHtml(message.id)}</a></p>`,
  );
}

export function renderNotFound(): string {
  return page('Not found', '<p>No such message (the sink forgets its mail when it restarts).</p>');
}
