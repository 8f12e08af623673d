// What the Telegram bot says, in Telegram's HTML parse mode. Everything that comes from data (a halt reason, the
// database's words about toggles) is escaped with @polybot/notify's escapeHtml, the escaping every notification uses;
// the numbers are the dashboard's own (StatusView, PnlCardView) in the dashboard's money format.
import { escapeHtml } from '@polybot/notify';
import type { BotToggleOutcome } from '../bot-control.ts';
import { money } from '../labels.ts';
import type { PnlCardView } from '../positions-view.ts';
import type { StatusView } from '../status.ts';

export const COMMANDS: readonly { command: string; description: string }[] = [
  { command: 'status', description: 'what your bot is doing now' },
  { command: 'pnl', description: 'profit and loss today and this month' },
  { command: 'pause', description: 'stop trading until you resume' },
  { command: 'resume', description: 'start trading again' },
  { command: 'help', description: 'these commands' },
];

const commandList = (): string => COMMANDS.map((c) => `/${c.command} — ${c.description}`).join('\n');

const settingsLink = (appUrl: string): string =>
  `<a href="${escapeHtml(`${appUrl}/settings/notifications`)}">Notifications settings</a>`;

export const replies = {
  linked: (appUrl: string): string =>
    `Linked to your PolyBot account. Your notifications now arrive in this chat; choose which ones in ${settingsLink(appUrl)}.\n\n${commandList()}`,
  linkExpired: (appUrl: string): string =>
    `This link expired or was used. Open ${settingsLink(appUrl)} on PolyBot and link Telegram again: each link works once, for 15 minutes.`,
  tooManyChannels: (appUrl: string): string =>
    `Your PolyBot account already has 10 notification channels, the most it can have. Remove one in ${settingsLink(appUrl)}, then link Telegram again.`,
  notLinked: (appUrl: string): string =>
    `This chat is not linked to a PolyBot account, so I cannot act on it. To link it, open ${settingsLink(appUrl)} on PolyBot and choose to link Telegram.`,
  startWithoutToken: (appUrl: string): string =>
    `Hello! I am PolyBot's bot. To link this chat to your account, open ${settingsLink(appUrl)} on PolyBot and follow the Telegram link there.`,
  privateOnly: (): string => 'I only answer in a private chat with you: open a chat with me directly.',
  help: (): string => `What I can do for your PolyBot account:\n${commandList()}`,
  unknown: (text: string): string =>
    `I do not know “${escapeHtml(text.slice(0, 64))}”. What I can do:\n${commandList()}`,
  tooFast: (): string => 'That is a lot of messages at once: I will answer again in a minute.',
  failed: (what: string): string =>
    `Something went wrong on our side while answering ${escapeHtml(what)}. Please try again in a minute; if it keeps happening, contact PolyBot support.`,
};

export function statusReply(view: StatusView): string {
  const lines = [`<b>Your bot: ${escapeHtml(view.stateLabel)}</b>${view.pause === 'paused' ? ' by you' : ''}`];
  if (view.pause === 'pausing') lines.push('Pausing as you asked: it stops within seconds.');
  lines.push(`Mode: ${view.mode === 'live' ? 'live trading' : 'paper trading'} · Plan: ${escapeHtml(view.planName)}`);
  lines.push(`Trades this month: ${view.tradesThisMonth} of ${view.monthlyTradeLimit}`);
  if (view.problem) lines.push(escapeHtml(view.problem));
  if (view.reason) lines.push(`Why it is not trading: ${escapeHtml(view.reason)}`);
  if (view.advice) lines.push(escapeHtml(view.advice.text));
  if (view.heartbeatAt) lines.push(`Last heartbeat: ${view.heartbeatAt.slice(0, 16).replace('T', ' ')} UTC`);
  return lines.join('\n');
}

export function pnlReply(card: PnlCardView): string {
  const lines = [
    '<b>Profit &amp; loss</b> (realized)',
    `Today: ${money(card.today)}`,
    `This month: ${money(card.month)}`,
  ];
  const open = card.open;
  if (open.count === 0) lines.push('No open positions.');
  else {
    lines.push(
      `Open positions: ${open.count}, cost ${money(open.cost)}, worth ${money(open.markValue)} now: ` +
        `${money(open.unrealized)} unrealized` +
        (open.lockedProfit !== 0 ? `, of which ${money(open.lockedProfit)} is locked in by arbitrage` : ''),
    );
  }
  return lines.join('\n');
}

export function toggleReply(enabled: boolean, outcome: BotToggleOutcome): string {
  if (!outcome.ok && outcome.refused === 'suspended')
    return 'Your account is suspended, so your bot cannot run, pause or resume. Contact PolyBot support to have it reviewed.';
  if (!outcome.ok) return escapeHtml(outcome.message);
  if (!outcome.changed)
    return enabled
      ? 'Your bot is already on. /status shows what it is doing.'
      : 'Your bot is already paused. /resume starts it again.';
  return enabled
    ? `Resume requested (settings v${outcome.configVersion}). Your bot starts again within seconds; /status shows when it runs.`
    : `Pause requested (settings v${outcome.configVersion}). Your bot stops within seconds; /status shows when it has.`;
}
