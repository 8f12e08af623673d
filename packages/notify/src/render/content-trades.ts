// trade_executed: one trade reads as a sentence; a burst reads as a list, newest first, with how many were left out.
import type { NotificationPayloadOf, NotifiedTrade } from '@polybot/schemas';
import { formatUsd } from '@polybot/schemas';
import type { MessageContent } from './content.ts';
import { VENUE_NAMES, count, plural, utcMinute } from './words.ts';

const VERB = { buy: 'bought', sell: 'sold' } as const;

/** "bought 12 contracts at $0.41 on “Will it rain?”" */
function deal(trade: NotifiedTrade): string {
  return `${VERB[trade.side]} ${plural(trade.size, 'contract')} at ${formatUsd(trade.price)} on “${trade.market_title}”`;
}

function where(trade: NotifiedTrade): string {
  return `${VENUE_NAMES[trade.venue]}, ${trade.mode === 'paper' ? 'paper trading' : 'live'}, ${utcMinute(trade.at)}`;
}

export function describeTrades(payload: NotificationPayloadOf<'trade_executed'>): MessageContent {
  const action = { label: 'See your trades', path: '/trades' };
  const [first] = payload.trades;
  if (payload.count === 1 && first) {
    return {
      subject: `Your bot ${VERB[first.side]} ${count(first.size)} at ${formatUsd(first.price)}`,
      tone: 'info',
      intro: `Your bot ${deal(first)} (${where(first)}).`,
      items: [],
      facts: [],
      action,
    };
  }
  const more = payload.count - payload.trades.length;
  return {
    subject: `Your bot made ${payload.count} trades`,
    tone: 'info',
    intro: `Your bot made ${payload.count} trades:`,
    items: payload.trades.map((t) => {
      const sentence = deal(t);
      return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)} (${where(t)})`;
    }),
    facts: [],
    action,
    ...(more > 0 ? { footnote: `…and ${plural(more, 'more trade')} on your trades page.` } : {}),
  };
}
