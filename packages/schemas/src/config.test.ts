import { describe, expect, it } from 'vitest';
import {
  CONFIG_LIMITS,
  configBounds,
  NOTHING_ENABLED_ERROR,
  planLimitErrors,
  refuseNothingEnabled,
  UserConfigPatchSchema,
} from './config.ts';

const FREE = { max_trade_size_usd: 50, max_daily_loss_usd: 100, max_positions: 5 };

describe("configBounds / planLimitErrors: the table's bounds, the maximum lowered to the plan's cap", () => {
  it('caps the three plan-limited fields and leaves minimum profit to the table', () => {
    expect(configBounds('max_trade_size_usd', FREE)).toEqual({ min: 1, max: 50, capped: true });
    expect(configBounds('max_daily_loss_usd', FREE)).toEqual({ min: 1, max: 100, capped: true });
    expect(configBounds('max_open_positions', FREE)).toEqual({ min: 1, max: 5, capped: true });
    expect(configBounds('min_profit_pct', FREE)).toEqual({ ...CONFIG_LIMITS.min_profit_pct, capped: false });
    // a plan cap above the table's bound never widens it
    expect(configBounds('max_open_positions', { ...FREE, max_positions: 10_000 })).toEqual({
      min: 1,
      max: 500,
      capped: false,
    });
  });

  it('refuses values above the cap, naming the plan and the limit; at the cap and absent values pass', () => {
    expect(
      planLimitErrors({ max_trade_size_usd: 50, max_daily_loss_usd: 100, max_open_positions: 5 }, FREE, 'Free'),
    ).toEqual({});
    expect(planLimitErrors({}, FREE, 'Free')).toEqual({});
    expect(planLimitErrors({ max_trade_size_usd: 50.01, max_open_positions: 6 }, FREE, 'Free')).toEqual({
      max_trade_size_usd: [
        'Max trade size (USD) can be at most 50 on your Free plan. Upgrade on the billing page for a higher limit.',
      ],
      max_open_positions: [
        'Max open positions can be at most 5 on your Free plan. Upgrade on the billing page for a higher limit.',
      ],
    });
  });
});

describe('refuseNothingEnabled: a saved config leaves the bot a venue and a strategy', () => {
  const Schema = UserConfigPatchSchema.superRefine(refuseNothingEnabled);
  const venues = { enable_polymarket: true, enable_kalshi: false };
  const strategies = {
    enable_single_platform_arb: true,
    enable_cross_platform_arb: false,
    enable_overlapping_arb: false,
    enable_news_arbitrage: false,
    enable_copy_trading: false,
  };
  const formError = (input: unknown) =>
    Schema.safeParse(input).error?.issues.map((i) => ({ path: i.path, message: i.message }));

  it('accepts one venue and one strategy, and a patch that is not about the toggles', () => {
    expect(formError({ ...venues, ...strategies })).toBeUndefined();
    expect(formError({ bot_enabled: false })).toBeUndefined();
  });

  it('refuses no venue, or no strategy, with one form-level error', () => {
    const expected = [{ path: [], message: NOTHING_ENABLED_ERROR }];
    expect(formError({ enable_polymarket: false, enable_kalshi: false, ...strategies })).toEqual(expected);
    expect(formError({ ...venues, ...strategies, enable_single_platform_arb: false })).toEqual(expected);
    expect(formError({ enable_polymarket: false, enable_kalshi: false })).toEqual(expected);
  });
});
