// The P&L model: hand-checked cases for each rule, and the property that holds it together — for random fills and
// resolutions, realized + unrealized = cash delta + mark value (every dollar is either realized, or still in an open
// position's cost basis).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  markPrice,
  replayFills,
  summarizePnl,
  valueOpenPositions,
  type MarketResolution,
  type PnlFill,
  type PnlPosition,
} from './index.ts';

const at = '2026-12-05T10:00:00.000Z';
const fill = (over: Partial<PnlFill> & Pick<PnlFill, 'side' | 'size' | 'price'>): PnlFill => ({
  at,
  platform: 'polymarket',
  marketId: 'm1',
  instrumentId: 'm1-yes',
  outcome: 'Yes',
  mode: 'paper',
  fee: 0,
  strategy: 'news',
  legGroupId: null,
  ...over,
});
const resolution = (over: Partial<MarketResolution> = {}): MarketResolution => ({
  platform: 'polymarket',
  marketId: 'm1',
  status: 'resolved',
  payouts: { 'm1-yes': 1, 'm1-no': 0 },
  winningOutcome: 'Yes',
  resolvedAt: new Date(at),
  source: 'venue',
  ...over,
});

describe('realized P&L', () => {
  it('a sale realizes against the average cost per contract (buy fees included); a settlement pays the rest', () => {
    const r = replayFills(
      [fill({ side: 'buy', size: 10, price: 0.4, fee: 0.1 }), fill({ side: 'sell', size: 5, price: 0.6, fee: 0.05 })],
      [resolution()],
    );
    // sale: 3 − 0.05 − 0.41 × 5 = 0.9; settlement: 5 × 1 − 2.05 = 2.95
    expect(r.events.filter((e) => e.kind !== 'fee').map((e) => e.realizedUsd)).toEqual([0.9, 2.95]);
    expect(r.realizedUsd).toBeCloseTo(3.85, 9);
    expect(r.cashDeltaUsd).toBeCloseTo(3.85, 9);
    expect(r.feesUsd).toBeCloseTo(0.15, 9);
    expect(r.settlements).toMatchObject([{ rule: 'won', payoutPerContract: 1, payoutUsd: 5, realizedPnlUsd: 2.95 }]);
  });

  it('voided: money back at the average entry price, fees lost; 50-50: half a dollar each', () => {
    const voided = replayFills(
      [fill({ side: 'buy', size: 10, price: 0.4, fee: 0.1 })],
      [resolution({ status: 'voided', payouts: {} })],
    );
    expect(voided.settlements).toMatchObject([{ rule: 'voided', payoutPerContract: 0.4, payoutUsd: 4 }]);
    expect(voided.realizedUsd).toBeCloseTo(-0.1, 9);
    const split = replayFills(
      [fill({ side: 'buy', size: 10, price: 0.4 })],
      [resolution({ payouts: { 'm1-yes': 0.5, 'm1-no': 0.5 }, winningOutcome: null })],
    );
    expect(split.settlements).toMatchObject([{ rule: 'split', payoutUsd: 5, realizedPnlUsd: 1 }]);
  });
});

describe('mark rule', () => {
  it('resolved → payout; else best bid; no bid → last stored mark; none → average entry price', () => {
    expect(markPrice({ payout: 1, bestBid: 0.3, lastMark: 0.2, avgPrice: 0.5 })).toBe(1);
    expect(markPrice({ bestBid: 0.3, lastMark: 0.2, avgPrice: 0.5 })).toBe(0.3);
    expect(markPrice({ bestBid: null, lastMark: 0.2, avgPrice: 0.5 })).toBe(0.2);
    expect(markPrice({ avgPrice: 0.5 })).toBe(0.5);
  });
});

describe('basket valuation', () => {
  const leg = (instrumentId: string, size: number, cost: number, over: Partial<PnlPosition> = {}): PnlPosition => ({
    platform: 'polymarket',
    marketId: 'm1',
    instrumentId,
    outcome: null,
    mode: 'paper',
    status: 'open',
    size,
    avgPrice: cost / size,
    costBasisUsd: cost,
    realizedPnlUsd: 0,
    markPrice: null,
    strategy: 'single_platform',
    legGroupId: 'g1',
    ...over,
  });

  it('an arbitrage locked in shows its locked profit, not a loss from marking each leg at its bid', () => {
    // YES + NO bought for 0.952 a set (fees included); each bid is far below the ask.
    const legs = [leg('m1-yes', 10, 4.6), leg('m1-no', 12, 5.52)];
    const v = valueOpenPositions(legs, () => 0.3);
    expect(v.baskets).toHaveLength(1);
    const b = v.baskets[0];
    expect(b?.sets).toBe(10);
    expect(b?.lockedPayoutUsd).toBe(10);
    expect(b?.lockedProfitUsd).toBeCloseTo(10 - 4.6 - 4.6, 9);
    // The 2 NO contracts beyond the complete sets are marked at their bid.
    expect(b?.excess.map((e) => [e.position.instrumentId, e.size, e.markValueUsd])).toEqual([['m1-no', 2, 0.6]]);
    expect(v.unrealizedUsd).toBeCloseTo(10 + 0.6 - 10.12, 9);
    expect(v.lockedProfitUsd).toBeCloseTo(0.8, 9);
  });

  it('NO on each of k mutually exclusive outcomes pays k − 1 per set: a profit, not a loss of most of the cost', () => {
    // The demo bot's basket: NO on all 5 outcomes of an event, 12.55 sets for $49.99; 4 of the 5 NOs pay.
    const legs = ['a', 'b', 'c', 'd', 'e'].map((m) =>
      leg(`${m}-no`, 12.55, 49.99 / 5, { marketId: m, outcome: 'No', legGroupId: 'g-no' }),
    );
    const v = valueOpenPositions(legs, () => 0.7);
    expect(v.baskets[0]?.lockedPayoutUsd).toBeCloseTo(4 * 12.55, 9);
    expect(v.lockedProfitUsd).toBeCloseTo(50.2 - 49.99, 9);
    // YES + NO of one market (Kalshi ids) still pays 1 a set.
    const pair = [
      leg('KX-1:yes', 10, 4.6, { platform: 'kalshi', marketId: 'KX-1', outcome: 'yes' }),
      leg('KX-1:no', 10, 5, { platform: 'kalshi', marketId: 'KX-1', outcome: 'no' }),
    ];
    expect(valueOpenPositions(pair, () => 0.3).baskets[0]?.lockedPayoutUsd).toBe(10);
  });

  it('marks per leg when the group is not a complete set (one leg, a sold leg, or not an arbitrage)', () => {
    expect(valueOpenPositions([leg('m1-yes', 10, 4.6)], () => 0.3).baskets).toEqual([]);
    const sold = [leg('a', 10, 4), leg('b', 10, 4), leg('c', 0, 0, { status: 'closed' })];
    expect(valueOpenPositions(sold, () => 0.3).baskets).toEqual([]);
    const news = [leg('a', 10, 4, { strategy: 'news' }), leg('b', 10, 4, { strategy: 'news' })];
    const v = valueOpenPositions(news, () => 0.3);
    expect(v.baskets).toEqual([]);
    expect(v.unrealizedUsd).toBeCloseTo(6 - 8, 9);
  });
});

describe('summaries', () => {
  it('groups realized and fees by strategy, venue, mode and UTC day', () => {
    const r = replayFills(
      [
        fill({ side: 'buy', size: 10, price: 0.4, fee: 0.1, strategy: 'news' }),
        fill({ side: 'sell', size: 10, price: 0.5, fee: 0.1, strategy: 'unwind', at: '2026-12-06T01:00:00Z' }),
        fill({
          side: 'buy',
          size: 5,
          price: 0.5,
          platform: 'kalshi',
          instrumentId: 'K:yes',
          marketId: 'K',
          strategy: 'copy_trading',
        }),
      ],
      [resolution({ platform: 'kalshi', marketId: 'K', payouts: { 'K:yes': 0, 'K:no': 1 } })],
    );
    // The unwind's sale counts for the strategy that opened the position.
    expect(summarizePnl(r.events, 'strategy').map((s) => [s.key, +s.realizedUsd.toFixed(6), s.count])).toEqual([
      ['copy_trading', -2.5, 1],
      ['news', 0.8, 1],
    ]);
    expect(summarizePnl(r.events, 'venue').map((s) => [s.key, +s.feesUsd.toFixed(6)])).toEqual([
      ['kalshi', 0],
      ['polymarket', 0.2],
    ]);
    expect(summarizePnl(r.events, 'day').map((s) => s.key)).toEqual(['2026-12-05', '2026-12-06']);
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------------------------------------------------
const MARKETS = [
  { platform: 'polymarket', marketId: 'p1', instruments: ['p1-yes', 'p1-no'] },
  { platform: 'polymarket', marketId: 'p2', instruments: ['p2-yes', 'p2-no'] },
  { platform: 'kalshi', marketId: 'K1', instruments: ['K1:yes', 'K1:no'] },
] as const;

const cents = (min: number, max: number) => fc.integer({ min, max }).map((c) => c / 100);
const opArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('fill' as const),
      market: fc.integer({ min: 0, max: 2 }),
      leg: fc.integer({ min: 0, max: 1 }),
      side: fc.constantFrom('buy' as const, 'sell' as const),
      size: fc.integer({ min: 1, max: 2000 }).map((s) => s / 10),
      price: cents(1, 99),
      fee: cents(0, 30),
      mode: fc.constantFrom('paper' as const, 'live' as const),
      group: fc.integer({ min: 0, max: 3 }),
      strategy: fc.constantFrom('single_platform' as const, 'news' as const, 'cross_platform' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('resolve' as const),
      market: fc.integer({ min: 0, max: 2 }),
      how: fc.constantFrom('yes', 'no', 'split', 'void', 'kalshi37'),
    }),
  },
);

type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

function build(ops: readonly Op[]) {
  const fills: PnlFill[] = [];
  const resolutions: MarketResolution[] = [];
  const resolved = new Set<number>();
  for (const op of ops) {
    const m = MARKETS[op.market] as (typeof MARKETS)[number];
    if (resolved.has(op.market)) continue; // nothing trades a resolved market
    if (op.kind === 'fill') {
      fills.push({
        at,
        platform: m.platform,
        marketId: m.marketId,
        instrumentId: m.instruments[op.leg] as string,
        outcome: null,
        mode: op.mode,
        side: op.side,
        size: op.size,
        price: op.price,
        fee: op.fee,
        strategy: op.strategy,
        legGroupId: `g${op.group}`,
      });
      continue;
    }
    resolved.add(op.market);
    const [yes, no] = m.instruments;
    const payouts: Record<string, number> =
      op.how === 'yes'
        ? { [yes]: 1, [no]: 0 }
        : op.how === 'no'
          ? { [yes]: 0, [no]: 1 }
          : op.how === 'split'
            ? { [yes]: 0.5, [no]: 0.5 }
            : { [yes]: 0.37, [no]: 0.63 };
    resolutions.push(
      resolution({
        platform: m.platform,
        marketId: m.marketId,
        status: op.how === 'void' ? 'voided' : 'resolved',
        payouts: op.how === 'void' ? {} : payouts,
      }),
    );
  }
  return { fills, resolutions };
}

describe('property: realized + unrealized = cash delta + mark value', () => {
  it('holds for random fills, resolutions and marks', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 60 }),
        fc.array(fc.option(cents(0, 100), { nil: null }), { minLength: 6, maxLength: 6 }),
        (ops, bids) => {
          const { fills, resolutions } = build(ops);
          const r = replayFills(fills, resolutions);
          const instruments: string[] = MARKETS.flatMap((m) => [...m.instruments]);
          const v = valueOpenPositions(r.positions, (p) =>
            markPrice({
              bestBid: bids[instruments.indexOf(p.instrumentId)],
              lastMark: p.markPrice,
              avgPrice: p.avgPrice,
            }),
          );
          // Rounding to 6 decimals at each stored step is the only slack: far below a cent.
          expect(Math.abs(r.realizedUsd + v.unrealizedUsd - (r.cashDeltaUsd + v.markValueUsd))).toBeLessThan(1e-4);
          // The realized total is what the positions and the summaries say too.
          const byPosition = r.positions.reduce((s, p) => s + p.realizedPnlUsd, 0);
          const orphanSales = fills.length === 0 ? 0 : r.realizedUsd - byPosition;
          expect(Math.abs(orphanSales - sumOrphanSales(fills))).toBeLessThan(1e-4);
          const byDay = summarizePnl(r.events, 'day').reduce((s, d) => s + d.realizedUsd, 0);
          expect(Math.abs(byDay - r.realizedUsd)).toBeLessThan(1e-6);
        },
      ),
      { numRuns: 500, seed: 12_05 },
    );
  });
});

/** Sales with nothing held realize on no position: proceeds less fee (replayed independently here). */
function sumOrphanSales(fills: readonly PnlFill[]): number {
  const held = new Map<string, number>();
  let orphan = 0;
  for (const f of fills) {
    const key = `${f.platform}|${f.instrumentId}|${f.mode}`;
    const h = held.get(key);
    if (f.side === 'buy') held.set(key, (h ?? 0) + f.size);
    else if (h === undefined) orphan += f.size * f.price - f.fee;
    else held.set(key, Math.max(0, h - f.size));
  }
  return orphan;
}
