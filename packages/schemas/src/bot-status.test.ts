import { describe, expect, it } from 'vitest';
import { BotStatsSchema, readBotStats, type BotStats, type BotStatsRead } from './bot-status.ts';

const written: BotStats = {
  plan_tier: 'pro',
  plan_monthly_trade_limit: 1000,
  pnl_today_usd: -1.5,
  open_positions: 2,
  trades_placed: 3,
  opportunities_seen: 9,
  mode_reason: 'paper: dry run',
  decision_p99_ms: null,
  recent_opportunities: [
    { strategy: 'news', description: 'x', expected_profit_usd: 0.5, detected_at_ms: 10, acted: true },
  ],
  ignored_news_rules: [{ rule_id: 'r1', reason: 'no such instrument' }],
};

describe('BotStatsSchema', () => {
  it('accepts what a heartbeat writes and refuses unknown keys (one casing: snake_case)', () => {
    expect(BotStatsSchema.parse(written)).toEqual(written);
    expect(BotStatsSchema.safeParse({ ...written, recentOpportunities: [] }).success).toBe(false);
    const { plan_tier: _t, plan_monthly_trade_limit: _l, ...planless } = written;
    expect(BotStatsSchema.safeParse(planless).success).toBe(true);
  });
});

describe('readBotStats', () => {
  it('reads a full row, with the counter the heartbeat SQL adds', () => {
    expect(readBotStats({ ...written, trades_this_month: 4 })).toEqual({ ...written, trades_this_month: 4 });
  });

  it('reads an empty, partial or malformed row as what it can: never throws', () => {
    expect(readBotStats({})).toEqual({});
    expect(readBotStats(null)).toEqual({});
    expect(readBotStats('nope')).toEqual({});
    const read: BotStatsRead = readBotStats({ open_positions: 'two', pnl_today_usd: 3, other: 1 });
    expect(read).toEqual({ open_positions: undefined, pnl_today_usd: 3 });
    expect(readBotStats({ recent_opportunities: [{ strategy: 'nope' }] }).recent_opportunities).toBeUndefined();
  });
});
