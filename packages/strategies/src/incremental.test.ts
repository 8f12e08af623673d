import { describe, expect, it } from 'vitest';
import type { MarketLink, OrderBook } from '@polybot/schemas';
import { IncrementalArbEvaluator } from './incremental.ts';
import { NOW, book, instrument, snapshot } from '../test/helpers.ts';

// Two Polymarket outcomes of a neg-risk event (binary + event baskets) and one of them linked to Kalshi.
const ins = [
  instrument({ instrumentId: 'A-Y', marketId: 'A', eventId: 'E', mutuallyExclusive: true, complementId: 'A-N' }),
  instrument({
    instrumentId: 'A-N',
    marketId: 'A',
    eventId: 'E',
    mutuallyExclusive: true,
    side: 'no',
    complementId: 'A-Y',
  }),
  instrument({ instrumentId: 'B-Y', marketId: 'B', eventId: 'E', mutuallyExclusive: true, complementId: 'B-N' }),
  instrument({
    instrumentId: 'B-N',
    marketId: 'B',
    eventId: 'E',
    mutuallyExclusive: true,
    side: 'no',
    complementId: 'B-Y',
  }),
  instrument({ venue: 'kalshi', instrumentId: 'KA:yes', marketId: 'KA' }),
  instrument({ venue: 'kalshi', instrumentId: 'KA:no', marketId: 'KA', side: 'no' }),
];
const links: MarketLink[] = [
  {
    id: 1,
    relation: 'equivalent',
    aVenue: 'polymarket',
    aMarketId: 'A',
    bVenue: 'kalshi',
    bMarketId: 'KA',
    approved: true,
  },
];
const params = { minProfitPct: 0, maxTradeSizeUsd: 1000, maxBookAgeMs: 10_000 };
const books = new Map<string, OrderBook>([
  ['A-Y', book('A-Y', [[0.5, 100]])],
  ['A-N', book('A-N', [[0.51, 100]])],
  ['B-Y', book('B-Y', [[0.51, 100]])],
  ['B-N', book('B-N', [[0.5, 100]])],
  ['KA:yes', book('KA:yes', [[0.5, 100]], [], NOW, 'kalshi')],
  ['KA:no', book('KA:no', [[0.51, 100]], [], NOW, 'kalshi')],
]);
const snap = () => snapshot(ins, [...books.values()]);

describe('IncrementalArbEvaluator', () => {
  it('indexes baskets by instrument: A-Y is in binary A, event E and cross aYes-bNo', () => {
    const ev = IncrementalArbEvaluator.forUniverse(snap().instruments, links);
    expect(ev.plans.map((p) => p.id).sort()).toEqual([
      'cross:1:aNo-bYes',
      'cross:1:aYes-bNo',
      'single:binary:A',
      'single:binary:B',
      'single:event-no:polymarket|E',
      'single:event:polymarket|E',
    ]);
    expect(
      ev
        .plansFor('A-Y')
        .map((p) => p.id)
        .sort(),
    ).toEqual(['cross:1:aYes-bNo', 'single:binary:A', 'single:event:polymarket|E']);
    expect(ev.plansFor('B-N').map((p) => p.id)).toEqual(['single:binary:B', 'single:event-no:polymarket|E']);
  });

  it('re-prices only the touched baskets and tracks appearing and vanishing opportunities', () => {
    const ev = IncrementalArbEvaluator.forUniverse(snap().instruments, links);
    expect(ev.evaluateAll(snap(), params, NOW)).toEqual([]); // every basket costs ≥ 1.01
    // A-Y drops to 0.45: binary A = 0.45 + 0.51 = 0.96, event = 0.45 + 0.51 = 0.96, cross = 0.45 + 0.51 = 0.96
    books.set('A-Y', book('A-Y', [[0.45, 100]]));
    const u = ev.onBookUpdate('A-Y', snap(), params, NOW);
    expect(u.evaluated).toBe(3);
    expect(u.opportunities.map((o) => o.expectedProfit)).toEqual([4, 4, 4].map((x) => expect.closeTo(x, 9)));
    expect(ev.current()).toHaveLength(3);
    // A B-N change touches only binary B and the all-NO basket (0.51 + 0.50 for a payout of 1) and leaves the three alone.
    expect(ev.onBookUpdate('B-N', snap(), params, NOW)).toEqual({ evaluated: 2, opportunities: [], removed: [] });
    expect(ev.current()).toHaveLength(3);
    // A-N rises to 0.56: binary A (1.01) vanishes; A-N is also in cross aNo-bYes and the all-NO basket (still none).
    books.set('A-N', book('A-N', [[0.56, 100]]));
    const v = ev.onBookUpdate('A-N', snap(), params, NOW);
    expect(v).toMatchObject({ evaluated: 3, removed: ['single:binary:A'] });
    expect(
      ev
        .current()
        .map((o) => o.id.split('@')[0])
        .sort(),
    ).toEqual(['cross:1:aYes-bNo', 'single:event:polymarket|E']);
  });

  it('revalidate retires opportunities whose books went stale without an update', () => {
    books.set('A-Y', book('A-Y', [[0.45, 100]]));
    books.set('A-N', book('A-N', [[0.51, 100]]));
    const ev = IncrementalArbEvaluator.forUniverse(snap().instruments, links);
    ev.evaluateAll(snap(), params, NOW);
    const before = ev.current().length;
    expect(before).toBe(3); // binary A, event E, cross aYes-bNo
    // Nothing changed, 10 s later: still fresh at exactly maxBookAgeMs.
    expect(ev.revalidate(snap(), params, NOW + 10_000)).toMatchObject({ evaluated: before, removed: [] });
    const r = ev.revalidate(snap(), params, NOW + 10_001);
    expect(r.removed).toHaveLength(before);
    expect(ev.current()).toEqual([]);
  });

  it('an instrument in no basket costs nothing', () => {
    const ev = IncrementalArbEvaluator.forUniverse(snap().instruments, []);
    expect(ev.onBookUpdate('KA:yes', snap(), params, NOW).evaluated).toBe(0);
  });
});
