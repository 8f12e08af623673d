// For every reported arbitrage, buying the reported legs at the books pays at least cost + fees in every world.
// The checker re-walks the books itself and settles each leg against explicit truth assignments per market.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OpportunitySchema, fee } from '@polybot/schemas';
import type { FeeSchedule, Instrument, MarketLink, Opportunity, OrderBook, VenueId } from '@polybot/schemas';
import { crossPlatformArbitrage, overlappingArbitrage, singlePlatformArbitrage } from './arbitrage.ts';
import { NOW, instrument } from '../test/helpers.ts';
import type { ArbParams, MarketSnapshot } from './types.ts';

const levelsArb = fc
  .array(fc.record({ cents: fc.integer({ min: 1, max: 99 }), size: fc.integer({ min: 1, max: 400 }) }), {
    minLength: 1,
    maxLength: 6,
  })
  .map((ls) => {
    const byPrice = new Map<number, number>();
    for (const l of ls) byPrice.set(l.cents, (byPrice.get(l.cents) ?? 0) + l.size);
    return [...byPrice].sort((a, b) => a[0] - b[0]).map(([c, size]) => ({ price: c / 100, size }));
  });

const scheduleArb: fc.Arbitrary<FeeSchedule> = fc.oneof(
  fc.constant<FeeSchedule>({ type: 'none' }),
  fc
    .record({ rate: fc.constantFrom(0.02, 0.05, 0.25), exponent: fc.constantFrom(1, 2) })
    .map((r): FeeSchedule => ({ type: 'polymarket', ...r, takerOnly: true, rebateRate: 0 })),
  fc.constant<FeeSchedule>({ type: 'quadratic', takerRate: 0.07 }),
  fc.constant<FeeSchedule>({ type: 'quadratic_with_maker_fees', takerRate: 0.07, makerRate: 0.0175 }),
  fc.constant<FeeSchedule>({ type: 'flat', takerPerContract: 0.01, makerPerContract: 0 }),
);

const paramsArb = fc.record({
  minProfitPct: fc.constantFrom(0, 0.5, 2),
  maxTradeSizeUsd: fc.integer({ min: 5, max: 2000 }),
  maxBookAgeMs: fc.constant(10_000),
});

const bk = (venue: VenueId, instrumentId: string, asks: { price: number; size: number }[]): OrderBook => ({
  venue,
  instrumentId,
  asks,
  bids: [],
  timestampMs: NOW,
  seq: 1,
});

/** Independent re-pricing of an opportunity's legs, then its payout in each world. */
function checkOpportunity(
  opp: Opportunity,
  snap: MarketSnapshot,
  params: ArbParams,
  worlds: ReadonlyMap<string, boolean>[],
): void {
  expect(OpportunitySchema.safeParse(opp).success).toBe(true);
  let cost = 0;
  for (const leg of opp.legs) {
    const ins = snap.instruments.get(leg.instrumentId);
    const b = snap.books.get(leg.instrumentId);
    if (!ins || !b) throw new Error('leg on unknown instrument');
    const schedule = snap.fees(ins);
    let left = leg.size;
    for (const level of b.asks) {
      if (left <= 1e-9) break;
      const take = Math.min(left, level.size);
      expect(level.price).toBeLessThanOrEqual(leg.limitPrice);
      cost += take * level.price + fee(schedule, take, level.price);
      left -= take;
    }
    expect(left).toBeLessThanOrEqual(1e-9); // the book really holds the reported size
    expect(leg.size).toBeGreaterThanOrEqual(ins.minOrderSize);
  }
  expect(opp.cost).toBeCloseTo(cost, 6);
  expect(cost).toBeLessThanOrEqual(params.maxTradeSizeUsd + 1e-6);
  expect(opp.profitPct).toBeGreaterThanOrEqual(params.minProfitPct - 1e-6);
  for (const world of worlds) {
    let payout = 0;
    for (const leg of opp.legs) {
      const ins = snap.instruments.get(leg.instrumentId);
      if (!ins) throw new Error('unknown');
      const truth = world.get(`${ins.venue}:${ins.marketId}`);
      if (truth === undefined) throw new Error(`world lacks ${ins.marketId}`);
      if ((ins.side === 'yes') === truth) payout += leg.size;
    }
    expect(payout).toBeGreaterThanOrEqual(cost - 1e-9);
    expect(payout - cost).toBeGreaterThanOrEqual(opp.expectedProfit - 1e-6);
  }
}

function snap(ins: Instrument[], books: OrderBook[], schedules: Map<string, FeeSchedule>): MarketSnapshot {
  return {
    instruments: new Map(ins.map((i) => [i.instrumentId, i])),
    books: new Map(books.map((b) => [b.instrumentId, b])),
    fees: (i) => schedules.get(i.instrumentId) ?? { type: 'none' },
  };
}

describe('arbitrage payout property', () => {
  it('single-platform binary and exclusive events pay at least cost in every outcome', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(levelsArb, scheduleArb, levelsArb), { minLength: 2, maxLength: 5 }),
        fc.constantFrom<VenueId>('polymarket', 'kalshi'),
        fc.boolean(),
        paramsArb,
        (legs, venue, binary, params) => {
          const ins: Instrument[] = [];
          const books: OrderBook[] = [];
          const schedules = new Map<string, FeeSchedule>();
          let worlds: Map<string, boolean>[];
          if (binary) {
            const [y, n] = legs;
            if (!y || !n) return;
            ins.push(
              instrument({ instrumentId: 'Y', marketId: 'M', complementId: 'N' }),
              instrument({ instrumentId: 'N', marketId: 'M', side: 'no', complementId: 'Y' }),
            );
            books.push(bk('polymarket', 'Y', y[0]), bk('polymarket', 'N', n[0]));
            schedules.set('Y', y[1]).set('N', n[1]);
            worlds = [new Map([['polymarket:M', true]]), new Map([['polymarket:M', false]])];
          } else {
            legs.forEach(([asks, schedule, noAsks], k) => {
              const id = `E-${k}:yes`;
              const noId = `E-${k}:no`;
              ins.push(
                instrument({ venue, instrumentId: id, marketId: `E-${k}`, eventId: 'E', mutuallyExclusive: true }),
              );
              ins.push(
                instrument({
                  venue,
                  instrumentId: noId,
                  marketId: `E-${k}`,
                  eventId: 'E',
                  side: 'no',
                  mutuallyExclusive: true,
                }),
              );
              books.push(
                bk(venue, id, asks),
                bk(
                  venue,
                  noId,
                  noAsks.map((l) => ({ price: Math.min(0.99, l.price + 0.5), size: l.size })),
                ),
              );
              schedules.set(id, schedule).set(noId, schedule);
            });
            // Exactly one outcome of the event happens.
            worlds = legs.map((_, winner) => new Map(legs.map((__, k) => [`${venue}:E-${k}`, k === winner])));
          }
          const s = snap(ins, books, schedules);
          for (const opp of singlePlatformArbitrage(s, params, NOW)) checkOpportunity(opp, s, params, worlds);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('cross-platform (equivalent) and overlapping (implies) pay at least cost in every consistent world', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(levelsArb, scheduleArb), { minLength: 4, maxLength: 4 }),
        fc.constantFrom<MarketLink['relation']>('equivalent', 'implies'),
        paramsArb,
        (legs, relation, params) => {
          const ids = [
            ['polymarket', 'A', 'yes'],
            ['polymarket', 'A', 'no'],
            ['kalshi', 'B', 'yes'],
            ['kalshi', 'B', 'no'],
          ] as const;
          const ins: Instrument[] = [];
          const books: OrderBook[] = [];
          const schedules = new Map<string, FeeSchedule>();
          ids.forEach(([venue, m, side], k) => {
            const leg = legs[k];
            if (!leg) return;
            const id = `${m}:${side}`;
            ins.push(instrument({ venue, instrumentId: id, marketId: m, side }));
            books.push(bk(venue, id, leg[0]));
            schedules.set(id, leg[1]);
          });
          const links: MarketLink[] = [
            { id: 1, relation, aVenue: 'polymarket', aMarketId: 'A', bVenue: 'kalshi', bMarketId: 'B', approved: true },
          ];
          const s = { ...snap(ins, books, schedules), links };
          const w = (a: boolean, b: boolean) =>
            new Map([
              ['polymarket:A', a],
              ['kalshi:B', b],
            ]);
          if (relation === 'equivalent') {
            for (const opp of crossPlatformArbitrage(s, params, NOW))
              checkOpportunity(opp, s, params, [w(true, true), w(false, false)]);
            expect(overlappingArbitrage(s, params, NOW)).toEqual([]);
          } else {
            // A implies B: the world (A true, B false) cannot happen.
            for (const opp of overlappingArbitrage(s, params, NOW))
              checkOpportunity(opp, s, params, [w(true, true), w(false, true), w(false, false)]);
            expect(crossPlatformArbitrage(s, params, NOW)).toEqual([]);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('the property is not vacuous: the generators do produce arbitrages', () => {
    let found = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(levelsArb, scheduleArb), { minLength: 2, maxLength: 2 }),
        paramsArb,
        (legs, params) => {
          const [y, n] = legs;
          if (!y || !n) return;
          const ins = [
            instrument({ instrumentId: 'Y', marketId: 'M', complementId: 'N' }),
            instrument({ instrumentId: 'N', marketId: 'M', side: 'no', complementId: 'Y' }),
          ];
          const s = snap(
            ins,
            [bk('polymarket', 'Y', y[0]), bk('polymarket', 'N', n[0])],
            new Map([
              ['Y', y[1]],
              ['N', n[1]],
            ]),
          );
          found += singlePlatformArbitrage(s, params, NOW).length;
        },
      ),
      { numRuns: 300, seed: 42 },
    );
    expect(found).toBeGreaterThan(20);
  });
});
