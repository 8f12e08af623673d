// The venue rules that turn a venue's resolution into payouts per contract.
import { describe, expect, it } from 'vitest';
import { MarketResolutionSchema, payoutsFromKalshi, payoutsFromPolymarket } from './resolution.ts';

describe('payoutsFromPolymarket', () => {
  it('reads Gamma outcomePrices and clobTokenIds as the JSON strings Gamma sends', () => {
    expect(payoutsFromPolymarket('["1","0"]', '["tok-yes","tok-no"]')).toEqual({ 'tok-yes': 1, 'tok-no': 0 });
    expect(payoutsFromPolymarket(['0', '1'], ['tok-yes', 'tok-no'])).toEqual({ 'tok-yes': 0, 'tok-no': 1 });
  });
  it('a 50-50 pays 0.5 each (Polymarket has no voided market)', () => {
    expect(payoutsFromPolymarket('["0.5","0.5"]', '["a","b"]')).toEqual({ a: 0.5, b: 0.5 });
  });
  it('refuses prices that are not final, and mismatched lists', () => {
    expect(() => payoutsFromPolymarket('["0.53","0.47"]', '["a","b"]')).toThrow(/not final/);
    expect(() => payoutsFromPolymarket('["1","1"]', '["a","b"]')).toThrow(/not final/);
    expect(() => payoutsFromPolymarket('["1","0"]', '["a"]')).toThrow(/2 prices for 1 tokens/);
  });
});

describe('payoutsFromKalshi', () => {
  it('yes / no without a settlement value: the winner pays 1', () => {
    expect(payoutsFromKalshi('yes', null, 'KX')).toEqual({ status: 'resolved', payouts: { 'KX:yes': 1, 'KX:no': 0 } });
    expect(payoutsFromKalshi('no', undefined, 'KX')).toEqual({
      status: 'resolved',
      payouts: { 'KX:yes': 0, 'KX:no': 1 },
    });
  });
  it('a settlement value in cents pays YES v/100 and NO the rest', () => {
    expect(payoutsFromKalshi('yes', 100, 'KX').payouts).toEqual({ 'KX:yes': 1, 'KX:no': 0 });
    expect(payoutsFromKalshi('scalar', 37, 'KX').payouts).toEqual({ 'KX:yes': 0.37, 'KX:no': 0.63 });
  });
  it('void is a voided market; an undetermined one throws', () => {
    expect(payoutsFromKalshi('void', null, 'KX')).toEqual({ status: 'voided', payouts: {} });
    expect(() => payoutsFromKalshi('', null, 'KX')).toThrow(/not determined/);
    expect(() => payoutsFromKalshi('yes', 140, 'KX')).toThrow(/0..100/);
  });
});

describe('MarketResolutionSchema', () => {
  const base = {
    platform: 'kalshi',
    marketId: 'KX',
    winningOutcome: null,
    resolvedAt: '2026-12-05T12:00:00Z',
    source: 'venue',
  };
  it('a resolved market needs payouts; a voided one does not', () => {
    expect(MarketResolutionSchema.safeParse({ ...base, status: 'resolved', payouts: {} }).success).toBe(false);
    expect(MarketResolutionSchema.safeParse({ ...base, status: 'voided', payouts: {} }).success).toBe(true);
    expect(MarketResolutionSchema.safeParse({ ...base, status: 'resolved', payouts: { 'KX:yes': 1.5 } }).success).toBe(
      false,
    );
  });
});
