// One valid payload of every event kind (checked against NotificationPayloadSchema where used), for render and
// channel tests.
import type { NotificationEventKind, NotificationPayloadOf, NotifiedTrade } from '@polybot/schemas';

export const trade = (over: Partial<NotifiedTrade> = {}): NotifiedTrade => ({
  venue: 'polymarket',
  market_title: 'Will it rain in NYC on Dec 6?',
  side: 'buy',
  size: 12,
  price: 0.41,
  mode: 'paper',
  at: '2026-12-05T10:02:31Z',
  ...over,
});

const reason = { reason: 'Your bot stopped because you paused it from the dashboard.', code: 'user_paused' };

export const PAYLOADS: { [K in NotificationEventKind]: NotificationPayloadOf<K> } = {
  trade_executed: { kind: 'trade_executed', count: 1, trades: [trade()] },
  opportunity_found: {
    kind: 'opportunity_found',
    strategy: 'single_platform',
    description: 'YES + NO on “Fed cuts in January?” cost $0.97 together.',
    expected_profit_usd: 0.3,
  },
  daily_summary: {
    kind: 'daily_summary',
    date: '2026-12-04',
    time_zone: 'America/New_York',
    pnl_usd: -1.05,
    trades: 7,
    open_positions: 3,
    trades_this_month: 37,
    monthly_trade_limit: 500,
  },
  bot_stopped: { kind: 'bot_stopped', ...reason },
  bot_error: { kind: 'bot_error', reason: 'The bot crashed three times in a row.', code: 'crash_loop' },
  key_invalid: {
    kind: 'key_invalid',
    reason: 'Kalshi rejected your API key (401).',
    code: 'auth_failed',
    venue: 'kalshi',
    mode: 'live',
  },
  loss_limit_reached: {
    kind: 'loss_limit_reached',
    reason: 'Today’s losses reached your $50.00 limit.',
    code: 'daily_loss',
  },
  monthly_limit_reached: {
    kind: 'monthly_limit_reached',
    reason: 'You used all 500 trades of your plan.',
    code: 'monthly_trades',
  },
  payment_failed: { kind: 'payment_failed', reason: 'Your card was declined.', code: 'card_declined' },
  plan_ended: {
    kind: 'plan_ended',
    reason: 'Your Pro subscription ended; you are on Free now.',
    code: 'subscription_deleted',
  },
  suspended: { kind: 'suspended', reason: 'An administrator suspended your account.', code: 'admin' },
  resumed: { kind: 'resumed', reason: 'Your account is active again.', code: 'admin' },
};
