// One MessageContent, every markup. Each format escapes the content's plain text for its own syntax and keeps within
// the channel's size limits (Telegram 4096 characters, Discord description 4096 and content 2000, Slack header 150),
// dropping list items past the limit with "…and N more" rather than letting the provider reject the message.
import type { MessageContent, Tone } from './content.ts';
import { escapeDiscord, escapeHtml, escapeSlack } from './escape.ts';
import type { DiscordMessage, SlackMessage } from './types.ts';

export interface FormatContext {
  /** Absolute URL of the action (app URL + the content's path). */
  actionUrl: string;
  /** When the event happened. */
  occurredAt: Date;
}

/** Keeps items while the joined text stays within `budget` characters. */
function fitItems(items: string[], budget: number, render: (item: string) => string): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const [i, item] of items.entries()) {
    const line = render(item);
    if (used + line.length + 1 > budget) {
      kept.push(render(`…and ${items.length - i} more`));
      break;
    }
    kept.push(line);
    used += line.length + 1;
  }
  return kept;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function toText(c: MessageContent, ctx: FormatContext): string {
  const parts = [c.intro];
  if (c.items.length) parts.push(c.items.map((i) => `- ${i}`).join('\n'));
  if (c.facts.length) parts.push(c.facts.map((f) => `${f.label}: ${f.value}`).join('\n'));
  if (c.footnote) parts.push(c.footnote);
  parts.push(`${c.action.label}: ${ctx.actionUrl}`);
  return parts.join('\n\n');
}

/** An HTML fragment (the email wraps it in a document with its footer). */
export function toHtml(c: MessageContent, ctx: FormatContext): string {
  const parts = [`<h1 style="font-size:18px">${escapeHtml(c.subject)}</h1>`, `<p>${escapeHtml(c.intro)}</p>`];
  if (c.items.length) parts.push(`<ul>${c.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`);
  if (c.facts.length) {
    const rows = c.facts.map(
      (f) => `<tr><th align="left">${escapeHtml(f.label)}</th><td>${escapeHtml(f.value)}</td></tr>`,
    );
    parts.push(`<table cellpadding="4">${rows.join('')}</table>`);
  }
  if (c.footnote) parts.push(`<p style="color:#666;font-size:12px">${escapeHtml(c.footnote)}</p>`);
  parts.push(`<p><a href="${escapeHtml(ctx.actionUrl)}">${escapeHtml(c.action.label)}</a></p>`);
  return parts.join('\n');
}

export function toSlack(c: MessageContent, ctx: FormatContext): SlackMessage {
  const body = [escapeSlack(c.intro), ...fitItems(c.items, 2500, (i) => `• ${escapeSlack(i)}`)].join('\n');
  const blocks: NonNullable<SlackMessage['blocks']> = [
    { type: 'header', text: { type: 'plain_text', text: clip(c.subject, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: body } },
  ];
  if (c.facts.length) {
    const facts = c.facts.map((f) => `*${escapeSlack(f.label)}:* ${escapeSlack(f.value)}`).join('\n');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: facts } });
  }
  const context = [`<${ctx.actionUrl}|${escapeSlack(c.action.label)}>`];
  if (c.footnote) context.push(escapeSlack(c.footnote));
  blocks.push({ type: 'context', elements: context.map((text) => ({ type: 'mrkdwn' as const, text })) });
  // `text` is what the phone notification shows: it is not mrkdwn-rendered in blocks messages, but still escaped.
  return { text: escapeSlack(`${c.subject}: ${c.intro}`).slice(0, 3000), blocks };
}

const DISCORD_COLORS: Record<Tone, number> = { info: 0x3b82f6, good: 0x16a34a, bad: 0xdc2626, alert: 0xf59e0b };

export function toDiscord(c: MessageContent, ctx: FormatContext): DiscordMessage {
  const description = [escapeDiscord(c.intro), ...fitItems(c.items, 3500, (i) => `• ${escapeDiscord(i)}`)];
  if (c.footnote) description.push(`*${escapeDiscord(c.footnote)}*`);
  return {
    content: clip(escapeDiscord(c.subject), 2000),
    embeds: [
      {
        title: clip(c.subject, 256),
        url: ctx.actionUrl,
        description: description.join('\n'),
        color: DISCORD_COLORS[c.tone],
        ...(c.facts.length
          ? { fields: c.facts.map((f) => ({ name: clip(f.label, 256), value: clip(f.value, 1024), inline: true })) }
          : {}),
        timestamp: ctx.occurredAt.toISOString(),
      },
    ],
  };
}

/** Telegram HTML parse mode: only <b>, <i>, <a> and escaped text. */
export function toTelegram(c: MessageContent, ctx: FormatContext): string {
  const parts = [`<b>${escapeHtml(c.subject)}</b>`, escapeHtml(c.intro)];
  if (c.items.length) parts.push(fitItems(c.items, 3000, (i) => `• ${escapeHtml(i)}`).join('\n'));
  if (c.facts.length)
    parts.push(c.facts.map((f) => `<b>${escapeHtml(f.label)}:</b> ${escapeHtml(f.value)}`).join('\n'));
  if (c.footnote) parts.push(`<i>${escapeHtml(c.footnote)}</i>`);
  parts.push(`<a href="${escapeHtml(ctx.actionUrl)}">${escapeHtml(c.action.label)}</a>`);
  return parts.join('\n\n');
}
