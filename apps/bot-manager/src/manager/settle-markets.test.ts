// The platform's resolution of a market the watcher found decided, from the venue's own fields.
import { expect, test } from 'vitest';
import type { DecidedMarket } from './market-lifecycle.ts';
import { resolutionOf } from './settle-markets.ts';

const NOW = new Date('2026-12-05T00:00:00Z');
const poly = (prices: number[]): DecidedMarket => ({
  platform: 'polymarket',
  marketId: '0xc1',
  state: {
    conditionId: '0xc1',
    closed: true,
    resolved: true,
    tokens: ['111', '222'],
    outcomes: ['Yes', 'No'],
    outcomePrices: prices,
    umaResolutionStatus: 'resolved',
  },
});
const kalshi = (result: string, cents: number | null, settledAt: string | null = null): DecidedMarket => ({
  platform: 'kalshi',
  marketId: 'T-A',
  state: {
    ticker: 'T-A',
    status: 'finalized',
    result,
    settlementValueCents: cents,
    settledAt,
    decided: true,
    closed: true,
  },
});

test('Polymarket: the winner pays 1 and is named; a 50-50 pays 0.5 each and names none', () => {
  expect(resolutionOf(poly([0, 1]), NOW)).toEqual({
    platform: 'polymarket',
    marketId: '0xc1',
    status: 'resolved',
    payouts: { '111': 0, '222': 1 },
    winningOutcome: 'No',
    resolvedAt: NOW,
    source: 'venue',
  });
  expect(resolutionOf(poly([0.5, 0.5]), NOW)).toMatchObject({
    status: 'resolved',
    payouts: { '111': 0.5, '222': 0.5 },
    winningOutcome: null,
  });
  // Prices that are not final are no resolution at all.
  expect(() => resolutionOf(poly([0.6, 0.4]), NOW)).toThrow();
});

test('Kalshi: yes/no from result and settlement value, the venue settlement time, a void', () => {
  expect(resolutionOf(kalshi('yes', 100, '2026-12-04T10:00:00Z'), NOW)).toEqual({
    platform: 'kalshi',
    marketId: 'T-A',
    status: 'resolved',
    payouts: { 'T-A:yes': 1, 'T-A:no': 0 },
    winningOutcome: 'yes',
    resolvedAt: new Date('2026-12-04T10:00:00Z'),
    source: 'venue',
  });
  expect(resolutionOf(kalshi('no', null), NOW)).toMatchObject({ payouts: { 'T-A:yes': 0, 'T-A:no': 1 } });
  expect(resolutionOf(kalshi('void', null), NOW)).toMatchObject({
    status: 'voided',
    payouts: {},
    winningOutcome: null,
  });
});
