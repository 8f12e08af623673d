import { describe, expect, it } from 'vitest';
import type { MarketLink } from '@polybot/schemas';
import { crossPlatformArbitrage, overlappingArbitrage } from './arbitrage.ts';
import { NOW, book, instrument, snapshot } from '../test/helpers.ts';
import type { ArbParams } from './types.ts';

const params: ArbParams = { minProfitPct: 0, maxTradeSizeUsd: 1000, maxBookAgeMs: 10_000 };
const kalshi = { type: 'quadratic', takerRate: 0.07 } as const;
const fees = (i: { venue: string }) => (i.venue === 'kalshi' ? kalshi : ({ type: 'none' } as const));

const pmYes = instrument({ instrumentId: 'PM1-Y', marketId: 'PM1', complementId: 'PM1-N' });
const pmNo = instrument({ instrumentId: 'PM1-N', marketId: 'PM1', side: 'no', complementId: 'PM1-Y' });
const kYes = instrument({ venue: 'kalshi', instrumentId: 'KXA-1:yes', marketId: 'KXA-1', complementId: 'KXA-1:no' });
const kNo = instrument({
  venue: 'kalshi',
  instrumentId: 'KXA-1:no',
  marketId: 'KXA-1',
  side: 'no',
  complementId: 'KXA-1:yes',
});
const link = (p: Partial<MarketLink> = {}): MarketLink => ({
  id: 1,
  relation: 'equivalent',
  aVenue: 'polymarket',
  aMarketId: 'PM1',
  bVenue: 'kalshi',
  bMarketId: 'KXA-1',
  approved: true,
  ...p,
});

const crossBooks = [
  book('PM1-Y', [[0.4, 100]]),
  book('PM1-N', [[0.62, 100]]),
  book('KXA-1:yes', [[0.47, 100]], [], NOW, 'kalshi'),
  book('KXA-1:no', [[0.55, 100]], [], NOW, 'kalshi'),
];

describe('cross-platform arbitrage', () => {
  it('buys PM YES + Kalshi NO: 100 × (0.40 + 0.55) + ceil(0.07×100×0.55×0.45×100)/100 = 95 + 1.74', () => {
    const s = { ...snapshot([pmYes, pmNo, kYes, kNo], crossBooks, fees), links: [link()] };
    const opps = crossPlatformArbitrage(s, params, NOW);
    // The other direction, PM NO 0.62 + Kalshi YES 0.47 = 1.09, is no arb.
    expect(opps).toHaveLength(1);
    const [opp] = opps;
    expect(opp?.strategy).toBe('cross_platform');
    expect(opp?.legs.map((l) => [l.venue, l.instrumentId, l.size, l.limitPrice, l.fee])).toEqual([
      ['polymarket', 'PM1-Y', 100, 0.4, 0],
      ['kalshi', 'KXA-1:no', 100, 0.55, 1.74],
    ]);
    expect(opp?.cost).toBeCloseTo(96.74, 9);
    expect(opp?.expectedProfit).toBeCloseTo(3.26, 9);
    // Said with the markets' questions (the dashboard lists it), not condition ids and tickers.
    expect(opp?.description).toBe(`Buy YES "${pmYes.title}" on polymarket + NO "${kNo.title}" on kalshi (link 1)`);
  });

  it('finds the reverse direction when that is the cheap one', () => {
    const books = [
      book('PM1-Y', [[0.6, 100]]),
      book('PM1-N', [[0.38, 100]]),
      book('KXA-1:yes', [[0.5, 20]], [], NOW, 'kalshi'),
      book('KXA-1:no', [[0.6, 100]], [], NOW, 'kalshi'),
    ];
    // 20 × (0.38 + 0.50) = 17.6, Kalshi fee ceil(0.07×20×0.25×100)/100 = 0.35 → cost 17.95, profit 2.05
    const [opp, ...rest] = crossPlatformArbitrage(
      { ...snapshot([pmYes, pmNo, kYes, kNo], books, fees), links: [link()] },
      params,
      NOW,
    );
    expect(rest).toEqual([]);
    expect(opp?.legs.map((l) => l.instrumentId)).toEqual(['PM1-N', 'KXA-1:yes']);
    expect(opp?.cost).toBeCloseTo(17.95, 9);
    expect(opp?.expectedProfit).toBeCloseTo(2.05, 9);
  });

  it('an unapproved link yields nothing, nor does an implies link', () => {
    const s = snapshot([pmYes, pmNo, kYes, kNo], crossBooks, fees);
    expect(crossPlatformArbitrage({ ...s, links: [link({ approved: false })] }, params, NOW)).toEqual([]);
    expect(crossPlatformArbitrage({ ...s, links: [link({ relation: 'implies' })] }, params, NOW)).toEqual([]);
  });

  it('fees of both venues turn a 0.99 gross into a loss', () => {
    // PM YES 0.45 (fee 0.05×0.45×0.55 = 0.012375) + Kalshi NO 0.54 (0.07×0.54×0.46 = 0.017388): 1.019763 per set.
    const pmFees = { type: 'polymarket', rate: 0.05, exponent: 1, takerOnly: true, rebateRate: 0 } as const;
    const books = [
      book('PM1-Y', [[0.45, 100]]),
      book('PM1-N', [[0.6, 100]]),
      book('KXA-1:yes', [[0.5, 100]], [], NOW, 'kalshi'),
      book('KXA-1:no', [[0.54, 100]], [], NOW, 'kalshi'),
    ];
    const s = {
      ...snapshot([pmYes, pmNo, kYes, kNo], books, (i) => (i.venue === 'kalshi' ? kalshi : pmFees)),
      links: [link()],
    };
    expect(crossPlatformArbitrage(s, params, NOW)).toEqual([]);
    expect(crossPlatformArbitrage({ ...s, fees: () => ({ type: 'none' }) }, params, NOW)).toHaveLength(1);
  });

  it('a stale Kalshi book blocks the pair', () => {
    const books = crossBooks.map((b) => (b.instrumentId === 'KXA-1:no' ? { ...b, timestampMs: NOW - 60_000 } : b));
    expect(
      crossPlatformArbitrage({ ...snapshot([pmYes, pmNo, kYes, kNo], books, fees), links: [link()] }, params, NOW),
    ).toEqual([]);
  });
});

describe('overlapping arbitrage (A implies B)', () => {
  // A = "Fed cuts 50+ bps" (Polymarket CUT50), B = "Fed cuts at all" (Kalshi KXCUT): A implies B.
  const aYes = instrument({ instrumentId: 'CUT50-Y', marketId: 'CUT50' });
  const aNo = instrument({ instrumentId: 'CUT50-N', marketId: 'CUT50', side: 'no' });
  const bYes = instrument({ venue: 'kalshi', instrumentId: 'KXCUT:yes', marketId: 'KXCUT' });
  const bNo = instrument({ venue: 'kalshi', instrumentId: 'KXCUT:no', marketId: 'KXCUT', side: 'no' });
  const implies: MarketLink = {
    id: 7,
    relation: 'implies',
    aVenue: 'polymarket',
    aMarketId: 'CUT50',
    bVenue: 'kalshi',
    bMarketId: 'KXCUT',
    approved: true,
  };
  const books = [
    book('CUT50-Y', [[0.2, 100]]),
    book('CUT50-N', [[0.65, 80]]),
    book(
      'KXCUT:yes',
      [
        [0.3, 50],
        [0.4, 100],
      ],
      [],
      NOW,
      'kalshi',
    ),
    book('KXCUT:no', [[0.75, 100]], [], NOW, 'kalshi'),
  ];
  const s = { ...snapshot([aYes, aNo, bYes, bNo], books, fees), links: [implies] };

  it('buys B-YES + A-NO: 50 × (0.30 + 0.65) + ceil(0.07×50×0.3×0.7×100)/100 = 47.5 + 0.74; stops before B at 0.40', () => {
    // Next segment would be 0.40 + 0.65 = 1.05 per set: a loss, so the size stays 50.
    const [opp, ...rest] = overlappingArbitrage(s, params, NOW);
    expect(rest).toEqual([]);
    expect(opp?.strategy).toBe('overlapping');
    expect(opp?.legs.map((l) => [l.instrumentId, l.size, l.limitPrice, l.fee])).toEqual([
      ['KXCUT:yes', 50, 0.3, 0.74],
      ['CUT50-N', 50, 0.65, 0],
    ]);
    expect(opp?.cost).toBeCloseTo(48.24, 9);
    expect(opp?.expectedProfit).toBeCloseTo(1.76, 9);
  });

  it('ignores unapproved and equivalent links', () => {
    expect(overlappingArbitrage({ ...s, links: [{ ...implies, approved: false }] }, params, NOW)).toEqual([]);
    expect(overlappingArbitrage({ ...s, links: [{ ...implies, relation: 'equivalent' }] }, params, NOW)).toEqual([]);
  });
});
