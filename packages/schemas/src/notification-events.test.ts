import { describe, expect, it } from 'vitest';
import {
  ALWAYS_ON_EVENT_KINDS,
  ChannelKindSchema,
  DeliveryStatusSchema,
  NOTIFICATION_MAX_TRADES,
  NotificationEventKindSchema,
  NotificationPayloadSchema,
  isAlwaysOnEventKind,
} from './notification-events.ts';

const trade = {
  venue: 'polymarket',
  market_title: 'Will it rain in Paris tomorrow?',
  side: 'buy',
  size: 10,
  price: 0.42,
  mode: 'paper',
  at: '2026-12-09T10:00:00.000Z',
} as const;

describe('notification event kinds', () => {
  it('names every kind of the contract, in order', () => {
    expect(NotificationEventKindSchema.options).toEqual([
      'trade_executed',
      'opportunity_found',
      'daily_summary',
      'bot_stopped',
      'bot_error',
      'key_invalid',
      'loss_limit_reached',
      'monthly_limit_reached',
      'payment_failed',
      'plan_ended',
      'suspended',
      'resumed',
    ]);
  });

  it('makes every kind but the first three always on', () => {
    expect(ALWAYS_ON_EVENT_KINDS).toEqual(NotificationEventKindSchema.options.slice(3));
    expect(isAlwaysOnEventKind('bot_error')).toBe(true);
    expect(isAlwaysOnEventKind('trade_executed')).toBe(false);
    expect(isAlwaysOnEventKind('daily_summary')).toBe(false);
  });

  it('names the channel kinds and delivery states of the contract', () => {
    expect(ChannelKindSchema.options).toEqual(['email', 'webhook', 'slack', 'discord', 'telegram']);
    expect(DeliveryStatusSchema.options).toEqual(['pending', 'sent', 'retrying', 'dead', 'skipped']);
  });
});

describe('NotificationPayloadSchema', () => {
  it('accepts a payload of each shape', () => {
    const payloads = [
      { kind: 'trade_executed', count: 3, trades: [trade] },
      { kind: 'opportunity_found', strategy: 'single_platform', description: 'YES+NO < 1', expected_profit_usd: 1.2 },
      {
        kind: 'daily_summary',
        date: '2026-12-08',
        time_zone: 'Europe/Paris',
        pnl_usd: -3.5,
        trades: 4,
        open_positions: 2,
        trades_this_month: 40,
        monthly_trade_limit: 100,
      },
      { kind: 'bot_error', reason: 'The venue rejected your keys.', code: 'keys_rejected' },
      { kind: 'key_invalid', reason: 'Kalshi refused your live key.', code: 'invalid', venue: 'kalshi', mode: 'live' },
      { kind: 'resumed', reason: 'Your account was reinstated.', code: 'resumed' },
    ];
    for (const payload of payloads) expect(NotificationPayloadSchema.parse(payload)).toEqual(payload);
  });

  it('refuses a payload whose fields belong to another kind, unknown keys and oversize lists', () => {
    expect(() => NotificationPayloadSchema.parse({ kind: 'bot_error', count: 1, trades: [trade] })).toThrow();
    expect(() => NotificationPayloadSchema.parse({ kind: 'bot_error', reason: 'x', code: 'y', extra: 1 })).toThrow();
    expect(() =>
      NotificationPayloadSchema.parse({
        kind: 'trade_executed',
        count: 99,
        trades: Array.from({ length: NOTIFICATION_MAX_TRADES + 1 }, () => trade),
      }),
    ).toThrow();
    expect(() => NotificationPayloadSchema.parse({ kind: 'trade_executed', count: 1, trades: [] })).toThrow();
    expect(() => NotificationPayloadSchema.parse({ kind: 'key_invalid', reason: 'x', code: 'y' })).toThrow();
  });
});
