// daily_summary and opportunity_found: the numbers a person checks, labelled.
import type { NotificationPayloadOf } from '@polybot/schemas';
import { formatSignedUsd } from '@polybot/schemas';
import type { MessageContent } from './content.ts';
import { longDay } from './words.ts';

export function describeDailySummary(payload: NotificationPayloadOf<'daily_summary'>): MessageContent {
  return {
    subject: `Your PolyBot day: ${formatSignedUsd(payload.pnl_usd)} on ${payload.date}`,
    tone: payload.pnl_usd < 0 ? 'bad' : 'good',
    intro: `Here is how your bot did on ${longDay(payload.date)} (${payload.time_zone}).`,
    items: [],
    facts: [
      { label: 'Realized P&L', value: formatSignedUsd(payload.pnl_usd) },
      { label: 'Trades', value: String(payload.trades) },
      { label: 'Open positions', value: String(payload.open_positions) },
      {
        label: 'Trades this month',
        value: `${payload.trades_this_month} of ${payload.monthly_trade_limit} your plan allows`,
      },
    ],
    action: { label: 'Open your dashboard', path: '/dashboard' },
  };
}

export function describeOpportunity(payload: NotificationPayloadOf<'opportunity_found'>): MessageContent {
  return {
    subject: `Opportunity found: ${formatSignedUsd(payload.expected_profit_usd)} expected`,
    tone: 'info',
    intro: payload.description,
    items: [],
    facts: [
      { label: 'Strategy', value: payload.strategy },
      { label: 'Expected profit', value: formatSignedUsd(payload.expected_profit_usd) },
    ],
    action: { label: 'Open your dashboard', path: '/dashboard' },
  };
}
