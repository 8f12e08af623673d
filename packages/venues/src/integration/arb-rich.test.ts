// arb-rich end to end: the venue simulator (both venues) → the REAL adapters (Gamma + CLOB REST + market WebSocket;
// kalshi-typescript REST + the authenticated Kalshi WebSocket) → the REAL strategies → paper execution.
//
// Parameters. `maxTradeSizeUsd: 1000` is large enough that no listed opportunity is cut by the budget (the biggest
// one the strategies find costs $957.73), so every size below is set by book depth and can be recomputed by hand;
// `minProfitPct: 0.5` is the threshold the strategies README uses as its example. The scan is repeated at
// `minProfitPct: 0` (every positive arbitrage), which is where the one arbitrage the listing omits shows up.
// Books never go stale here (the simulator's clock only moves on /_sim/advance), so `maxBookAgeMs` is an hour:
// staleness is covered by the strategies' own tests.
//
// Fees (packages/schemas/src/fees.ts, same as both listings state): Polymarket taker fee =
// floor5(C × rate × (p(1−p))^exponent) from the market's Gamma feeSchedule (BTC Up/Down: rate 0.25, exponent 2;
// Fed decision: rate 0.05, exponent 1; Elon buckets: none → 0); Kalshi taker fee = ceil-to-the-cent of
// 0.07 × C × P × (1 − P) per fill (each book level is its own fill).
//
// Tolerances. Strategy vs hand computation / listing: 1e-6 — the listings state Polymarket amounts to 5 decimals
// (pUSD fees are floored to 1e-5) and Kalshi amounts to the cent, so any honest difference would be ≥ 1e-5; 1e-6
// only absorbs binary floating point. Paper P&L vs the opportunity's expected profit: 1e-6 as well — paper fills
// walk the same streamed book levels with the same fee function, so the cent the brief allows is never needed;
// anything above 1e-6 would be a real disagreement between pricing and execution.
import type { MarketLink, Opportunity, OpportunityLeg } from '@polybot/schemas';
import { crossPlatformArbitrage, overlappingArbitrage, singlePlatformArbitrage, walkAsks, type ArbParams, type LinkedSnapshot } from '@polybot/strategies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvedLinks, startUniverse, type Universe } from './harness.ts';
import { basketKey, kalshiNotedWindows, listedOpportunities, type Listed } from './listing.ts';
import { paperInEveryWorld, worldsFor } from './worlds.ts';

const TOL = 1e-6;
const PARAMS: ArbParams = { minProfitPct: 0.5, maxTradeSizeUsd: 1000, maxBookAgeMs: 3_600_000 };
const ANY_PROFIT: ArbParams = { ...PARAMS, minProfitPct: 0 };

const BTC_MARKET = '0xba3509c3c29a52bb2f8cf8204755314a38461825e61e77e6350f5abd4b848e05';
const FED_NO_CHANGE = '0xde04b189b3f19eaccda02529a3ea67abfc46bff5c0c8fc42d8a2d0ed7b8f0d41';
const FED_NO_CHANGE_NO = '40302938956091099752849867077837976978448552504757012372843872340644441002059';
const POLY_FED_EVENT = '101772';
const POLY_ELON_EVENT = '22240';
const KALSHI_FED_EVENT = 'KXFEDDECISION-26JUN';
const H0 = 'KXFEDDECISION-26JUN-H0';

function scan(u: Universe, links: readonly MarketLink[], params: ArbParams): Opportunity[] {
  const snapshot: LinkedSnapshot = { instruments: u.instruments, books: u.books, fees: (i) => u.feeOf(i.instrumentId), links };
  const nowMs = u.sim.now();
  return [...singlePlatformArbitrage(snapshot, params, nowMs), ...crossPlatformArbitrage(snapshot, params, nowMs), ...overlappingArbitrage(snapshot, params, nowMs)];
}

const keyOf = (o: Opportunity): string => basketKey(o.strategy, o.legs.map((l) => l.instrumentId));
const keyOfListed = (l: Listed): string => basketKey(l.strategy, l.legs.map((x) => x.instrumentId));

/** The listed basket priced by the strategies' own book walk at the listed size: an Opportunity paper can execute. */
function atListedSize(u: Universe, listed: Listed): Opportunity {
  const legs: OpportunityLeg[] = listed.legs.map((l) => {
    const book = u.books.get(l.instrumentId);
    if (!book) throw new Error(`no book for ${l.instrumentId}`);
    const w = walkAsks(book, listed.size, u.feeOf(l.instrumentId));
    if (w.filled < listed.size || w.vwap === null || w.worstPrice === null) throw new Error(`book too thin for ${listed.size} of ${l.instrumentId}`);
    return { venue: l.venue, instrumentId: l.instrumentId, side: 'buy', size: listed.size, vwap: w.vwap, limitPrice: w.worstPrice, fee: w.fee };
  });
  const cost = legs.reduce((s, l) => s + l.vwap * l.size + l.fee, 0);
  const expectedProfit = listed.size - cost;
  return { id: `listed:${keyOfListed(listed)}`, strategy: listed.strategy, legs, cost, expectedProfit, profitPct: (expectedProfit / cost) * 100, detectedAtMs: 0, description: 'listed' };
}

// Generous per-test limits: two cores are shared with other builds; no assertion depends on time.
describe('arb-rich: real adapters + real strategies + paper execution', { timeout: 30_000 }, () => {
  let u: Universe;
  let links: MarketLink[];
  let listed: Listed[];
  /** Upper bound on scenario time elapsed before any advance: the simulator's start is at or after this. */
  let startedNoLaterThan: number;

  beforeAll(async () => {
    startedNoLaterThan = Date.now();
    u = await startUniverse('arb-rich');
    links = approvedLinks(u.scenario.links);
    listed = listedOpportunities(u.scenario.links, u.scenario.kalshi);
  }, 60_000);
  afterAll(async () => {
    // Undefined only when beforeAll failed; that failure is the one to see.
    if (u !== undefined) await u.close();
  });

  it('discovers both venues through the adapters and streams every book, equal to the REST snapshot', async () => {
    const all = [...u.instruments.values()];
    // 26 Gamma markets (5 Fed neg-risk, 16 Elon neg-risk, BTC Up/Down, 4 binaries) and 18 Kalshi markets, two
    // instruments each.
    expect(all.filter((i) => i.venue === 'polymarket')).toHaveLength(52);
    expect(all.filter((i) => i.venue === 'kalshi')).toHaveLength(36);
    // Neg-risk / mutually exclusive grouping comes from discovery.
    expect(all.filter((i) => i.venue === 'polymarket' && i.eventId === POLY_ELON_EVENT && i.side === 'yes' && i.mutuallyExclusive)).toHaveLength(16);
    expect(all.filter((i) => i.venue === 'polymarket' && i.eventId === POLY_FED_EVENT && i.side === 'yes' && i.mutuallyExclusive)).toHaveLength(5);
    expect(all.filter((i) => i.venue === 'kalshi' && i.eventId === KALSHI_FED_EVENT && i.side === 'yes' && i.mutuallyExclusive)).toHaveLength(5);
    // Fee schedules as Gamma publishes them.
    expect(u.polymarket.markets.get(BTC_MARKET)?.feeSchedule).toMatchObject({ rate: 0.25, exponent: 2 });
    expect(u.polymarket.markets.get(FED_NO_CHANGE)?.feeSchedule).toMatchObject({ rate: 0.05, exponent: 1 });
    expect(u.feeOf(`${H0}:yes`)).toEqual({ type: 'quadratic', takerRate: 0.07 });

    expect(u.books.size).toBe(u.instruments.size);
    for (const id of u.instruments.keys()) {
      const rest = await u.restBook(id);
      expect({ id, bids: u.books.get(id)?.bids, asks: u.books.get(id)?.asks }).toEqual({ id, bids: rest.bids, asks: rest.asks });
    }
    // Every listed leg is a discovered instrument whose streamed best ask is the listed price with the listed depth.
    for (const l of listed) {
      for (const leg of l.legs) {
        expect(u.instruments.get(leg.instrumentId)?.venue, leg.instrumentId).toBe(leg.venue);
        const best = u.books.get(leg.instrumentId)?.asks[0];
        expect(best?.price, leg.instrumentId).toBe(leg.price);
        expect(best?.size ?? 0, leg.instrumentId).toBeGreaterThanOrEqual(l.size);
      }
    }
    expect(u.streamErrors).toEqual([]);
  });

  it('turns links.json into MarketLink objects; only approved links are kept, and an unapproved link trades nothing', () => {
    expect(links.map((l) => [l.id, l.relation])).toEqual([
      [1, 'equivalent'],
      [2, 'equivalent'],
      [3, 'equivalent'],
      [4, 'implies'],
      [5, 'implies'],
      [6, 'implies'],
    ]);
    // arb-rich's file has no unapproved link; the same links marked unapproved must produce no opportunity at all.
    expect(approvedLinks({ links: links.map((l) => ({ ...l, approved: false })) })).toEqual([]);
    const unapproved = links.map((l) => ({ ...l, approved: false }));
    const snapshot: LinkedSnapshot = { instruments: u.instruments, books: u.books, fees: (i) => u.feeOf(i.instrumentId), links: unapproved };
    expect(crossPlatformArbitrage(snapshot, ANY_PROFIT, u.sim.now())).toEqual([]);
    expect(overlappingArbitrage(snapshot, ANY_PROFIT, u.sim.now())).toEqual([]);
    // With the approved links the very same books do hold linked opportunities.
    expect(crossPlatformArbitrage({ ...snapshot, links }, ANY_PROFIT, u.sim.now())).toHaveLength(1);
    expect(overlappingArbitrage({ ...snapshot, links }, ANY_PROFIT, u.sim.now())).toHaveLength(1);
  });

  it('the listings recompute: each listed basket priced by the strategies at its listed size gives the listed cost and profit', () => {
    expect(listed.map((l) => `${l.source}:${l.strategy}`).sort()).toEqual([
      'kalshi.json:single_platform',
      'links.json:cross_platform',
      'links.json:overlapping',
      'links.json:single_platform',
      'links.json:single_platform',
    ]);
    for (const l of listed) {
      const priced = atListedSize(u, l);
      expect(priced.cost, keyOfListed(l)).toBeCloseTo(l.cost, 6);
      expect(priced.expectedProfit, keyOfListed(l)).toBeCloseTo(l.expectedProfit, 6);
    }
  });

  it('at time 0 the strategies find exactly the listed opportunities (no misses, no extras), with hand-checked profits', () => {
    const found = scan(u, links, PARAMS);
    expect(found.map(keyOf).sort()).toEqual(listed.map(keyOfListed).sort());
    const byKey = new Map(found.map((o) => [keyOf(o), o]));
    const get = (l: Listed): Opportunity => {
      const o = byKey.get(keyOfListed(l));
      if (!o) throw new Error(`missing ${keyOfListed(l)}`);
      return o;
    };
    const listedOf = (strategy: string, source: Listed['source'], marketHint: string): Listed => {
      const l = listed.find((x) => x.strategy === strategy && x.source === source && x.legs.some((leg) => leg.instrumentId.includes(marketHint) || u.instruments.get(leg.instrumentId)?.marketId === marketHint || u.instruments.get(leg.instrumentId)?.eventId === marketHint));
      if (!l) throw new Error(`no listing ${strategy} ${marketHint}`);
      return l;
    };

    // Depth-bound exactly at the listed size — the strategies agree with the listing to the 1e-5 unit:
    // BTC Up/Down: Up 200 @ 0.47 + Down 200 @ 0.48 (next asks 0.50 / 0.52 make the pair cost > 1).
    //   fees 200·0.25·(0.47·0.53)² = 3.10254, 200·0.25·(0.48·0.52)² = 3.115; cost 190 + 6.21754 = 196.21754;
    //   profit 200 − 196.21754 = 3.78246.
    const btc = get(listedOf('single_platform', 'links.json', BTC_MARKET));
    expect(btc.legs.map((l) => l.size)).toEqual([200, 200]);
    expect(btc.expectedProfit).toBeCloseTo(3.78246, 6);
    // Elon neg-risk, 16 YES asks summing to 0.989 with 100 each and no fee schedule; the next levels sum far above 1.
    //   profit 100 − 98.9 = 1.1.
    const elon = get(listedOf('single_platform', 'links.json', POLY_ELON_EVENT));
    expect(elon.legs).toHaveLength(16);
    expect(elon.legs.every((l) => l.size === 100)).toBe(true);
    expect(elon.expectedProfit).toBeCloseTo(1.1, 6);
    // Overlap (Polymarket '300-324' ⇒ Kalshi '300 to 349'): Kalshi YES 100 @ 0.25 (fee ceil(1.3125) = 1.32) +
    //   Polymarket NO 100 @ 0.72 (no fees); the next Polymarket NO level 0.74 + 0.25 + fee > 1. Profit 100 − 98.32 = 1.68.
    const overlap = get(listedOf('overlapping', 'links.json', 'KXELONTWEETS-26APR10-324.5'));
    expect(overlap.legs.map((l) => l.size)).toEqual([100, 100]);
    expect(overlap.expectedProfit).toBeCloseTo(1.68, 6);

    // DISCREPANCY 1 — cross-platform Fed 'No change' (links.json lists 100 contracts, profit 12.002). The listing
    // sizes it by Polymarket's first NO level (100 @ 0.02), but the NO ladder behind it (0.021, 0.022, … with
    // hundreds of shares each) keeps the pair far below $1, so the profit-maximizing basket takes ALL of Kalshi's
    // H0 YES asks: 1,070 contracts.
    //   Kalshi YES: 120 @ 0.85 + 300 @ 0.86 + 650 @ 0.87 = 925.50; fees ceil(1.071) + ceil(2.5284) + ceil(5.14605)
    //     = 1.08 + 2.53 + 5.15 = 8.76.
    //   Polymarket NO: 100 @ 0.02 + 970 @ 0.021 = 22.37; fees floor5(0.05·100·0.02·0.98 = 0.098)
    //     + floor5(0.05·970·0.021·0.979 = 0.9971115) = 0.098 + 0.99711 = 1.09511.
    //   cost 925.50 + 8.76 + 22.37 + 1.09511 = 957.72511; profit 1070 − 957.72511 = 112.27489 (11.7 %).
    // The listed 12.002 is right for 100 contracts (previous test) but is not the opportunity the book holds.
    const crossListed = listedOf('cross_platform', 'links.json', FED_NO_CHANGE_NO);
    const cross = get(crossListed);
    expect(crossListed).toMatchObject({ size: 100, expectedProfit: 12.002 });
    const noLadder = u.books.get(FED_NO_CHANGE_NO)?.asks ?? [];
    expect(noLadder[0]).toEqual({ price: 0.02, size: 100 });
    expect(noLadder[1]?.price).toBe(0.021);
    expect(noLadder[1]?.size ?? 0).toBeGreaterThanOrEqual(970);
    expect(cross.legs.map((l) => l.size)).toEqual([1070, 1070]);
    expect(cross.legs.map((l) => [l.instrumentId, l.limitPrice, l.fee])).toEqual(
      expect.arrayContaining([
        [FED_NO_CHANGE_NO, 0.021, expect.closeTo(1.09511, 6)],
        [`${H0}:yes`, 0.87, expect.closeTo(8.76, 6)],
      ]),
    );
    expect(cross.cost).toBeCloseTo(957.72511, 6);
    expect(cross.expectedProfit).toBeCloseTo(112.27489, 6);

    // DISCREPANCY 2 — Kalshi Fed event YES basket (kalshi.json lists 100 sets, fees 1.46, profit 5.54). The first
    // level holds 120 sets, and the second level (YES asks 0.86 + 0.04 + 0.03 + 0.03 + 0.02 = 0.98, fee slope
    // 0.07·Σp(1−p) = 0.01656/set) still earns ~0.0034/set, so the best basket is 420 sets:
    //   notional H0 120·0.85 + 300·0.86 = 360.00, C25 120·0.03 + 300·0.04 = 15.60, C26 and H25 120·0.02 + 300·0.03
    //     = 11.40 each, H26 120·0.01 + 300·0.02 = 7.20 → 405.60;
    //   fees (per level, each ceil to the cent) H0 1.08 + 2.53, C25 0.25 + 0.81, C26/H25 0.17 + 0.62 each,
    //     H26 0.09 + 0.42 → 6.76;
    //   cost 412.36; profit 420 − 412.36 = 7.64 (third level 0.87 + 0.05 + 0.04 + 0.04 + 0.03 = 1.03 > 1 stops it).
    // (At the listed 100 sets: 100 − 93.00 − (0.90 + 0.21 + 0.14 + 0.14 + 0.07) = 5.54, as listed.)
    const kalshiListed = listedOf('single_platform', 'kalshi.json', KALSHI_FED_EVENT);
    const kalshiEvent = get(kalshiListed);
    expect(kalshiListed).toMatchObject({ size: 100, expectedProfit: 5.54 });
    expect(kalshiEvent.legs).toHaveLength(5);
    expect(kalshiEvent.legs.every((l) => l.size === 420)).toBe(true);
    expect(kalshiEvent.legs.reduce((s, l) => s + l.fee, 0)).toBeCloseTo(6.76, 6);
    expect(kalshiEvent.cost).toBeCloseTo(412.36, 6);
    expect(kalshiEvent.expectedProfit).toBeCloseTo(7.64, 6);

    // Every found opportunity is at least as good as its listing (the listing is a feasible, smaller basket).
    for (const l of listed) expect(get(l).expectedProfit + TOL).toBeGreaterThanOrEqual(l.expectedProfit);
  });

  it('at any positive profit the strategies also find one real arbitrage the scenario does not list: the Polymarket Fed NO basket', () => {
    const found = scan(u, links, ANY_PROFIT);
    const extra = found.filter((o) => !listed.some((l) => keyOfListed(l) === keyOf(o)));
    // DISCREPANCY 3 — Buying NO on all 5 markets of the Fed neg-risk event pays 4 in every world (exactly one
    // market resolves YES). The Fed event's NO asks (the same in `quiet`, so not a side effect of the planted
    // cross-venue pair) sum below 4:
    //   NO asks 0.98 (25 bps cut) + 0.988 (25 bps hike) + 0.994 (50+ cut) + 0.998 (50+ hike) + 0.02 (no change) = 3.980;
    //   fees at 100 sets (rate 0.05, exponent 1): 0.098 + 0.05928 + 0.02982 + 0.00998 + 0.098 = 0.29508;
    //   profit at 100 sets 400 − 398 − 0.29508 = 1.70492 (0.428 %), i.e. 0.0170492 per set. With the $1000
    //   budget the strategies take ~251 sets (the 'No change' leg then also buys at 0.021): see the assertions.
    // It stays under the README's example threshold of 0.5 %, which is why the scan above matches the listing,
    // but it is a genuine arbitrage: the scenario should list it, or raise those NO asks until they sum, with fees,
    // to at least 4 (e.g. the 25 bps cut NO from 0.98 to 0.999 is not enough on its own: +0.019 leaves 3.999 + fees).
    expect(extra.map(keyOf)).toEqual([basketKey('single_platform', [...u.instruments.values()].filter((i) => i.eventId === POLY_FED_EVENT && i.side === 'no').map((i) => i.instrumentId))]);
    const [noBasket] = extra;
    if (!noBasket) throw new Error('unreachable');
    const hundred = noBasket.legs.map((l) => {
      const book = u.books.get(l.instrumentId);
      if (!book) throw new Error(`no book ${l.instrumentId}`);
      return walkAsks(book, 100, u.feeOf(l.instrumentId));
    });
    expect(hundred.map((w) => w.worstPrice).sort()).toEqual([0.02, 0.98, 0.988, 0.994, 0.998]);
    expect(hundred.reduce((s, w) => s + w.fee, 0)).toBeCloseTo(0.29508, 6);
    expect(400 - hundred.reduce((s, w) => s + w.notional + w.fee, 0)).toBeCloseTo(1.70492, 6);
    expect(noBasket.expectedProfit).toBeGreaterThan(0);
    expect(noBasket.profitPct).toBeLessThan(PARAMS.minProfitPct);
    expect(noBasket.cost).toBeLessThanOrEqual(PARAMS.maxTradeSizeUsd);
  });

  it('paper execution (PaperTrading on the streamed books + executeArbitrage) books every found opportunity in every resolution', async () => {
    for (const opp of scan(u, links, ANY_PROFIT)) {
      const results = await paperInEveryWorld(u, opp, links);
      expect(results.length, opp.id).toBeGreaterThanOrEqual(2);
      const worst = Math.min(...results.map((r) => r.realizedPnl));
      for (const r of results) {
        expect(r.execution.status, opp.id).toBe('complete');
        // Realized P&L = payout − cost: every world pays at least the basket's guaranteed payout.
        expect(r.realizedPnl, opp.id).toBeCloseTo(r.payout - opp.cost, 6);
        expect(r.realizedPnl + TOL, opp.id).toBeGreaterThanOrEqual(opp.expectedProfit);
      }
      // …and the worst world books exactly the expected profit.
      expect(worst, opp.id).toBeCloseTo(opp.expectedProfit, 6);
    }
  });

  it('paper execution at the listed sizes books the listed profits', async () => {
    for (const l of listed) {
      const opp = atListedSize(u, l);
      const results = await paperInEveryWorld(u, opp, links);
      // World counts: binary 2, Elon 16 buckets, Kalshi Fed 5 outcomes, equivalent pair 2, A ⇒ B 3.
      expect(results.length).toBe(worldsFor(opp, u.instruments, links).length);
      for (const r of results) expect(r.execution.status).toBe('complete');
      expect(Math.min(...results.map((r) => r.realizedPnl)), keyOfListed(l)).toBeCloseTo(l.expectedProfit, 6);
    }
    const counts = listed.map((l) => worldsFor(atListedSize(u, l), u.instruments, links).length).sort((a, b) => a - b);
    expect(counts).toEqual([2, 2, 3, 5, 16]);
  });

  it('time-limited opportunities are gone once scenario time passes their window; the others stay', async () => {
    const windows = new Map(listed.map((l) => [keyOfListed(l), l.untilMs]));
    // kalshi.json states its window only in prose; the price path says the same.
    expect(kalshiNotedWindows(u.scenario.kalshi)).toEqual([60_000]);
    expect(listed.map((l) => l.untilMs ?? Infinity).sort((a, b) => a - b)).toEqual([60_000, 60_000, 120_000, Infinity, Infinity]);
    const keysAt = (): string[] => scan(u, links, PARAMS).map(keyOf).sort();
    const alive = (tMs: number): string[] => listed.filter((l) => l.untilMs === null || l.untilMs > tMs).map(keyOfListed).sort();

    await u.advance(60_000);
    // Scenario time is now past 60 s; while it is also still short of 120 s (true unless setup took a minute), the
    // BTC window is still open.
    for (const [k, until] of windows) if (until === 60_000) expect(keysAt()).not.toContain(k);
    expect(u.books.get(`${H0}:yes`)?.asks[0]).toEqual({ price: 0.99, size: 500 });
    if (u.sim.now() - startedNoLaterThan < 120_000) expect(keysAt()).toEqual(alive(60_000));

    await u.advance(60_000);
    expect(keysAt()).toEqual(alive(120_000));
    expect(alive(120_000)).toHaveLength(2);
    expect(u.streamErrors).toEqual([]);
  });
});

describe('quiet: no arbitrage at all', { timeout: 30_000 }, () => {
  let u: Universe;
  beforeAll(async () => {
    u = await startUniverse('quiet');
  }, 60_000);
  afterAll(async () => {
    // Undefined only when beforeAll failed; that failure is the one to see.
    if (u !== undefined) await u.close();
  });

  it('every arbitrage strategy over the same links finds nothing at the 0.5 % threshold', () => {
    const links = approvedLinks(u.scenario.links);
    expect(links).toHaveLength(6);
    // 30 Gamma markets and 18 Kalshi markets, two instruments each, every one with a streamed book.
    expect([...u.instruments.values()].filter((i) => i.venue === 'polymarket')).toHaveLength(60);
    expect([...u.instruments.values()].filter((i) => i.venue === 'kalshi')).toHaveLength(36);
    expect(u.books.size).toBe(u.instruments.size);
    expect(listedOpportunities(u.scenario.links, u.scenario.kalshi)).toEqual([]);
    expect(scan(u, links, PARAMS)).toEqual([]);
  });

  it('at zero minimum profit two small NO-basket arbitrages remain (documented, below 0.5 %)', () => {
    // DISCREPANCY 4 — `quiet` is quiet only above ~0.43 %. Two real arbitrages buy NO on every market of an exclusive
    // event (pays n − 1 = 4 in every world):
    //  - Polymarket Fed event, same NO asks as arb-rich: 0.98 + 0.988 + 0.994 + 0.02 + 0.998 = 3.980 < 4
    //    (0.0170492 per set after fees; the $1000 budget caps it, ~0.43 %);
    //  - Kalshi KXFEDDECISION-26JUN: NO ask = 1 − best YES bid: H0 1 − 0.97 = 0.03, C25/C26/H25/H26 1 − 0.01 = 0.99,
    //    120 each at the first level: 0.03 + 4 × 0.99 = 3.99 < 4; fees ceil(0.07·120·0.03·0.97 = 0.24444) = 0.25 and
    //    4 × ceil(0.07·120·0.99·0.01 = 0.08316) = 4 × 0.09; cost 478.80 + 0.61 = 479.41; profit 480 − 479.41 = 0.59
    //    (0.123 %); C25, C26, H25 and H26 have a single YES bid level of 120, so 120 NO is all their books offer.
    const links = approvedLinks(u.scenario.links);
    const found = scan(u, links, ANY_PROFIT);
    const noBasket = (venue: 'polymarket' | 'kalshi', eventId: string): string =>
      basketKey('single_platform', [...u.instruments.values()].filter((i) => i.venue === venue && i.eventId === eventId && i.side === 'no').map((i) => i.instrumentId));
    expect(found.map(keyOf).sort()).toEqual([noBasket('kalshi', KALSHI_FED_EVENT), noBasket('polymarket', POLY_FED_EVENT)].sort());
    const kalshi = found.find((o) => keyOf(o) === noBasket('kalshi', KALSHI_FED_EVENT));
    expect(kalshi?.legs.every((l) => l.size === 120)).toBe(true);
    expect(kalshi?.cost).toBeCloseTo(479.41, 6);
    expect(kalshi?.expectedProfit).toBeCloseTo(0.59, 6);
    for (const o of found) expect(o.profitPct).toBeLessThan(PARAMS.minProfitPct);
  });
});
