import { describe, expect, it } from 'vitest';
import { FeeConfigSchema, FeeScheduleSchema, fee, feePerContract, kalshiSeriesOf, resolveFeeSchedule } from './fees.ts';
import type { FeeSchedule } from './fees.ts';

const fed: FeeSchedule = { type: 'polymarket', rate: 0.05, exponent: 1, takerOnly: true, rebateRate: 0.25 };

describe('Polymarket fee', () => {
  it('100 contracts at 0.42, rate 0.05, exponent 1: 100 × 0.05 × 0.42 × 0.58 = 1.218', () => {
    expect(fee(fed, 100, 0.42)).toBe(1.218);
  });
  it('floors to 5 decimals: 7 at 0.5, rate 0.25, exponent 2 → 7 × 0.25 × 0.25² = 0.109375 → 0.10937', () => {
    expect(fee({ type: 'polymarket', rate: 0.25, exponent: 2, takerOnly: true, rebateRate: 0 }, 7, 0.5)).toBe(0.10937);
  });
  it('3 at 0.006 (Fed fixture best ask): 3 × 0.05 × 0.006 × 0.994 = 0.0008946 → 0.00089', () => {
    expect(fee(fed, 3, 0.006)).toBe(0.00089);
  });
  it('makers pay nothing, markets without a schedule pay nothing', () => {
    expect(fee(fed, 100, 0.42, 'maker')).toBe(0);
    expect(fee({ type: 'none' }, 100, 0.42)).toBe(0);
  });
});

describe('Kalshi fee', () => {
  const q: FeeSchedule = { type: 'quadratic', takerRate: 0.07 };
  it('10 at 0.55: ceil(0.07 × 10 × 0.55 × 0.45 × 100)/100 = ceil(17.325)/100 = 0.18', () => {
    expect(fee(q, 10, 0.55)).toBe(0.18);
  });
  it('100 at 0.50: 0.07 × 100 × 0.25 = 1.75 exactly, no rounding up', () => {
    expect(fee(q, 100, 0.5)).toBe(1.75);
  });
  it('1 at 0.50: 0.0175 rounds up to 0.02', () => {
    expect(fee(q, 1, 0.5)).toBe(0.02);
  });
  it('maker fees only on series that charge them: 10 at 0.55 × 0.0175 = 0.0433125 → 0.05', () => {
    expect(fee(q, 10, 0.55, 'maker')).toBe(0);
    const m = FeeScheduleSchema.parse({ type: 'quadratic_with_maker_fees' });
    expect(m).toEqual({ type: 'quadratic_with_maker_fees', takerRate: 0.07, makerRate: 0.0175 });
    expect(fee(m, 10, 0.55, 'maker')).toBe(0.05);
    expect(fee(m, 10, 0.55, 'taker')).toBe(0.18);
  });
  it('flat: 3 contracts × 0.01 = 0.03', () => {
    expect(fee({ type: 'flat', takerPerContract: 0.01, makerPerContract: 0 }, 3, 0.7)).toBe(0.03);
  });
  it('slope used by strategies is unrounded: 0.07 × 0.55 × 0.45 = 0.017325', () => {
    expect(feePerContract(q, 0.55)).toBeCloseTo(0.017325, 12);
  });
});

describe('resolveFeeSchedule', () => {
  const config = FeeConfigSchema.parse({
    kalshiSeries: { KXELONTWEETS: { type: 'quadratic_with_maker_fees' } },
    markets: { 'kalshi:KXELONTWEETS-25APR11-B300': { type: 'flat', takerPerContract: 0.02 } },
  });
  it('Polymarket: Gamma schedule when present, none otherwise', () => {
    expect(
      resolveFeeSchedule(
        {
          venue: 'polymarket',
          marketId: '0xabc',
          polymarketSchedule: { rate: 0.05, exponent: 1, takerOnly: true, rebateRate: 0.25 },
        },
        config,
      ),
    ).toEqual(fed);
    expect(resolveFeeSchedule({ venue: 'polymarket', marketId: '0xabc', polymarketSchedule: null }, config)).toEqual({
      type: 'none',
    });
    const fedSchedule = { rate: 0.05, exponent: 1, takerOnly: true, rebateRate: 0.25 };
    expect(
      resolveFeeSchedule(
        { venue: 'polymarket', marketId: '0xabc', polymarketSchedule: fedSchedule, feesEnabled: false },
        config,
      ),
    ).toEqual({ type: 'none' });
    expect(
      resolveFeeSchedule(
        { venue: 'polymarket', marketId: '0xabc', polymarketSchedule: fedSchedule, feesEnabled: true },
        config,
      ),
    ).toEqual(fed);
    expect(
      resolveFeeSchedule(
        { venue: 'polymarket', marketId: '0xabc', polymarketSchedule: fedSchedule },
        FeeConfigSchema.parse({ markets: { 'polymarket:0xabc': { type: 'none' } } }),
      ),
    ).toEqual({ type: 'none' });
  });
  it('Kalshi: market override > series override > default 0.07 quadratic', () => {
    expect(resolveFeeSchedule({ venue: 'kalshi', marketId: 'KXELONTWEETS-25APR11-B300' }, config).type).toBe('flat');
    expect(resolveFeeSchedule({ venue: 'kalshi', marketId: 'KXELONTWEETS-25APR11-B350' }, config).type).toBe(
      'quadratic_with_maker_fees',
    );
    expect(resolveFeeSchedule({ venue: 'kalshi', marketId: 'KXFED-26JUN-T4.00' }, config)).toEqual({
      type: 'quadratic',
      takerRate: 0.07,
    });
  });
  it('series is the event ticker prefix', () => {
    expect(kalshiSeriesOf('KXELONTWEETS-25APR11')).toBe('KXELONTWEETS');
    expect(kalshiSeriesOf('PLAIN')).toBe('PLAIN');
  });
  it('rejects an unknown fee type', () => {
    expect(FeeScheduleSchema.safeParse({ type: 'percent', rate: 1 }).success).toBe(false);
  });
});
