// The four edge cases every strategy must get right — threshold included, depth below the venue minimum, stale book,
// fees turning a gross edge into a loss — for the strategies whose main cases live in other files.
import { describe, expect, it } from 'vitest';
import type { FeeSchedule, Instrument, MarketLink, OrderBook } from '@polybot/schemas';
import { crossPlatformArbitrage, overlappingArbitrage } from './arbitrage.ts';
import { copyTrades } from './copy-trading.ts';
import type { CopyParams, WalletTrade } from './copy-trading.ts';
import { newsSignals } from './news.ts';
import type { NewsItem, NewsRule } from './news.ts';
import { COPY_PARAMS, NOW, book, instrument, snapshot } from '../test/helpers.ts';
import type { ArbParams } from './types.ts';

const params: ArbParams = { minProfitPct: 0, maxTradeSizeUsd: 1000, maxBookAgeMs: 10_000 };
const pmFee: FeeSchedule = { type: 'polymarket', rate: 0.05, exponent: 1, takerOnly: true, rebateRate: 0 };
const kFee: FeeSchedule = { type: 'quadratic', takerRate: 0.07 };
const byVenue = (i: Instrument): FeeSchedule => (i.venue === 'kalshi' ? kFee : pmFee);

// Polymarket market A, Kalshi market B.
const ins = [
  instrument({ instrumentId: 'A-Y', marketId: 'A' }),
  instrument({ instrumentId: 'A-N', marketId: 'A', side: 'no' }),
  instrument({ venue: 'kalshi', instrumentId: 'B:yes', marketId: 'B' }),
  instrument({ venue: 'kalshi', instrumentId: 'B:no', marketId: 'B', side: 'no' }),
];
const books = (p: {
  aY?: [number, number][];
  aN?: [number, number][];
  bY?: [number, number][];
  bN?: [number, number][];
  staleId?: string;
}): OrderBook[] =>
  (
    [
      ['A-Y', p.aY ?? [[0.99, 100]]],
      ['A-N', p.aN ?? [[0.99, 100]]],
      ['B:yes', p.bY ?? [[0.99, 100]]],
      ['B:no', p.bN ?? [[0.99, 100]]],
    ] as const
  ).map(([id, asks]) =>
    book(id, [...asks], [], id === p.staleId ? NOW - 10_001 : NOW, id.startsWith('B') ? 'kalshi' : 'polymarket'),
  );
const equivalent: MarketLink = {
  id: 1,
  relation: 'equivalent',
  aVenue: 'polymarket',
  aMarketId: 'A',
  bVenue: 'kalshi',
  bMarketId: 'B',
  approved: true,
};
const implies: MarketLink = { ...equivalent, id: 2, relation: 'implies' };

describe('cross-platform edge cases', () => {
  const run = (b: OrderBook[], fees: FeeSchedule | ((i: Instrument) => FeeSchedule), p: ArbParams = params) =>
    crossPlatformArbitrage({ ...snapshot(ins, b, fees), links: [equivalent] }, p, NOW);
  it('threshold included: A-YES 0.40 + B-NO 0.40, no fees → 20 on 80 = 25 %', () => {
    const b = books({ aY: [[0.4, 100]], bN: [[0.4, 100]] });
    expect(run(b, { type: 'none' }, { ...params, minProfitPct: 25 })[0]?.profitPct).toBe(25);
    expect(run(b, { type: 'none' }, { ...params, minProfitPct: 25.01 })).toEqual([]);
  });
  it('depth below the Polymarket 5-share minimum: 4 shares → nothing', () => {
    expect(run(books({ aY: [[0.4, 4]], bN: [[0.4, 100]] }), { type: 'none' })).toEqual([]);
  });
  it('stale book → nothing', () => {
    expect(run(books({ aY: [[0.4, 100]], bN: [[0.4, 100]], staleId: 'A-Y' }), { type: 'none' })).toEqual([]);
  });
});

describe('overlapping edge cases (A implies B: B-YES + A-NO)', () => {
  const run = (b: OrderBook[], fees: FeeSchedule | ((i: Instrument) => FeeSchedule), p: ArbParams = params) =>
    overlappingArbitrage({ ...snapshot(ins, b, fees), links: [implies] }, p, NOW);
  it('threshold included: B-YES 0.30 + A-NO 0.50 → 20 on 80 = 25 %', () => {
    const b = books({ bY: [[0.3, 100]], aN: [[0.5, 100]] });
    const [opp] = run(b, { type: 'none' }, { ...params, minProfitPct: 25 });
    expect(opp?.cost).toBe(80);
    expect(opp?.profitPct).toBe(25);
    expect(run(b, { type: 'none' }, { ...params, minProfitPct: 25.01 })).toEqual([]);
  });
  it('fees turn 0.45 + 0.54 = 0.99 into a loss: + 0.07×0.45×0.55 (0.017325) + 0.05×0.54×0.46 (0.01242)', () => {
    const b = books({ bY: [[0.45, 100]], aN: [[0.54, 100]] });
    expect(run(b, byVenue)).toEqual([]);
    expect(run(b, { type: 'none' })[0]?.expectedProfit).toBeCloseTo(1, 9);
  });
  it('depth below the minimum: A-NO holds 3 shares → nothing', () => {
    expect(run(books({ bY: [[0.3, 100]], aN: [[0.5, 3]] }), { type: 'none' })).toEqual([]);
  });
  it('stale A-NO book → nothing', () => {
    expect(run(books({ bY: [[0.3, 100]], aN: [[0.5, 100]], staleId: 'A-N' }), { type: 'none' })).toEqual([]);
  });
});

describe('news edge cases', () => {
  const rule: NewsRule = {
    id: 'r',
    feed: 'ap',
    keywords: ['approved'],
    instrumentId: 'A-Y',
    maxPrice: 0.9,
    confidence: 0.5,
    windowMs: 60_000,
  };
  const item: NewsItem = { id: 'i', feed: 'ap', headline: 'Merger approved', body: '', publishedAtMs: NOW - 1 };
  const run = (asks: [number, number][], r: NewsRule, fees: FeeSchedule, p: ArbParams = params, ts = NOW) =>
    newsSignals({ snapshot: snapshot(ins, [book('A-Y', asks, [], ts)], fees), rules: [r], items: [item] }, p, NOW);
  it('threshold included: confidence 0.5 at 0.40 → 100 × 0.5 − 40 = 10 on 40 = 25 %', () => {
    expect(run([[0.4, 100]], rule, { type: 'none' }, { ...params, minProfitPct: 25 })[0]?.profitPct).toBe(25);
    expect(run([[0.4, 100]], rule, { type: 'none' }, { ...params, minProfitPct: 25.01 })).toEqual([]);
  });
  it('fees erase the edge: confidence 0.41 vs 0.40 + 0.05×0.4×0.6 = 0.412', () => {
    expect(run([[0.4, 100]], { ...rule, confidence: 0.41 }, pmFee)).toEqual([]);
    expect(run([[0.4, 100]], { ...rule, confidence: 0.41 }, { type: 'none' })[0]?.expectedProfit).toBeCloseTo(1, 9);
  });
  it('depth below the 5-share minimum (3 at ≤ maxPrice) → nothing', () => {
    expect(
      run(
        [
          [0.4, 3],
          [0.95, 100],
        ],
        rule,
        { type: 'none' },
      ),
    ).toEqual([]);
  });
  it('stale book → nothing', () => {
    expect(run([[0.4, 100]], rule, { type: 'none' }, params, NOW - 10_001)).toEqual([]);
  });
});

describe('copy-trading edge cases', () => {
  const trade: WalletTrade = {
    wallet: '0xabc',
    instrumentId: 'A-Y',
    side: 'buy',
    price: 0.9,
    size: 50,
    timestampMs: NOW - 1_000,
    txHash: '0xt1',
  };
  const cp: CopyParams = COPY_PARAMS;
  const run = (asks: [number, number][], fees: FeeSchedule, ts = NOW) =>
    copyTrades(
      {
        snapshot: snapshot(ins, [book('A-Y', asks, [], ts)], fees),
        trades: [trade],
        followedWallets: new Set(['0xABC']),
        seenTxHashes: new Set(),
      },
      cp,
      NOW,
    );
  it('fees show up as a loss against the leader: (0.90 − 0.90) × 50 − 50×0.05×0.9×0.1 = −0.225', () => {
    const [opp] = run([[0.9, 100]], pmFee);
    expect(opp?.legs[0]?.fee).toBeCloseTo(0.225, 9);
    expect(opp?.cost).toBeCloseTo(45.225, 9);
    expect(opp?.expectedProfit).toBeCloseTo(-0.225, 9);
  });
  it('depth below the minimum within the slippage cap (3 at ≤ 0.92) → nothing', () => {
    expect(
      run(
        [
          [0.9, 3],
          [0.95, 100],
        ],
        { type: 'none' },
      ),
    ).toEqual([]);
  });
  it('stale book → nothing', () => {
    expect(run([[0.9, 100]], { type: 'none' }, NOW - 10_001)).toEqual([]);
  });
});
