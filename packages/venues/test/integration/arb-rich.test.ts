// arb-rich end to end: the venue simulator (both venues) → the REAL adapters (Gamma + CLOB REST + market WebSocket;
// kalshi-typescript REST + the authenticated Kalshi WebSocket) → the REAL strategies → paper execution.
//
// Parameters. `minProfitPct: 0` — every positive arbitrage counts, so "exactly the listed opportunities" leaves no
// room for a small unlisted one to hide under a threshold. Repeated with an unlimited budget it finds the same
// baskets at the same sizes; at the strategies README's example threshold (0.5 %) the same minus the one listed
// basket that earns less (the Polymarket Fed NO basket, 0.428 %).
// `maxTradeSizeUsd: 1000` cuts nothing (the dearest listed basket, the Fed NO basket, costs $398.30): every size below is
// set by book depth — each listed basket takes the whole of its planted levels, and the levels behind them are
// unprofitable — so each can be recomputed by hand (the `note`/`hand_check` fields of links.json/kalshi.json).
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
import {
  crossPlatformArbitrage,
  overlappingArbitrage,
  singlePlatformArbitrage,
  walkAsks,
  type ArbParams,
  type LinkedSnapshot,
} from '@polybot/strategies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvedLinks, startUniverse, type Universe } from './harness.ts';
import { basketKey, kalshiNotedWindows, listedOpportunities, type Listed } from './listing.ts';
import { paperInEveryWorld, worldsFor } from './worlds.ts';

const TOL = 1e-6;
const PARAMS: ArbParams = { minProfitPct: 0, maxTradeSizeUsd: 1000, maxBookAgeMs: 3_600_000 };
/** The strategies README's example threshold. */
const README_PARAMS: ArbParams = { ...PARAMS, minProfitPct: 0.5 };
const UNLIMITED_BUDGET: ArbParams = { ...PARAMS, maxTradeSizeUsd: 1e9 };

const BTC_MARKET = '0xba3509c3c29a52bb2f8cf8204755314a38461825e61e77e6350f5abd4b848e05';
const FED_NO_CHANGE = '0xde04b189b3f19eaccda02529a3ea67abfc46bff5c0c8fc42d8a2d0ed7b8f0d41';
const FED_NO_CHANGE_NO = '40302938956091099752849867077837976978448552504757012372843872340644441002059';
const POLY_FED_EVENT = '101772';
const POLY_ELON_EVENT = '22240';
const KALSHI_FED_EVENT = 'KXFEDDECISION-26JUN';
const H0 = 'KXFEDDECISION-26JUN-H0';

function scan(u: Universe, links: readonly MarketLink[], params: ArbParams): Opportunity[] {
  const snapshot: LinkedSnapshot = {
    instruments: u.instruments,
    books: u.books,
    fees: (i) => u.feeOf(i.instrumentId),
    links,
  };
  const nowMs = u.sim.now();
  return [
    ...singlePlatformArbitrage(snapshot, params, nowMs),
    ...crossPlatformArbitrage(snapshot, params, nowMs),
    ...overlappingArbitrage(snapshot, params, nowMs),
  ];
}

const keyOf = (o: Opportunity): string =>
  basketKey(
    o.strategy,
    o.legs.map((l) => l.instrumentId),
  );
const keyOfListed = (l: Listed): string =>
  basketKey(
    l.strategy,
    l.legs.map((x) => x.instrumentId),
  );

/** The listed basket priced by the strategies' own book walk at the listed size: an Opportunity paper can execute. */
function atListedSize(u: Universe, listed: Listed): Opportunity {
  const legs: OpportunityLeg[] = listed.legs.map((l) => {
    const book = u.books.get(l.instrumentId);
    if (!book) throw new Error(`no book for ${l.instrumentId}`);
    const w = walkAsks(book, listed.size, u.feeOf(l.instrumentId));
    if (w.filled < listed.size || w.vwap === null || w.worstPrice === null)
      throw new Error(`book too thin for ${listed.size} of ${l.instrumentId}`);
    return {
      venue: l.venue,
      instrumentId: l.instrumentId,
      side: 'buy',
      size: listed.size,
      vwap: w.vwap,
      limitPrice: w.worstPrice,
      fee: w.fee,
    };
  });
  const cost = legs.reduce((s, l) => s + l.vwap * l.size + l.fee, 0);
  const expectedProfit = listed.payout - cost;
  return {
    id: `listed:${keyOfListed(listed)}`,
    strategy: listed.strategy,
    legs,
    cost,
    expectedProfit,
    profitPct: (expectedProfit / cost) * 100,
    detectedAtMs: 0,
    description: 'listed',
  };
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
    expect(
      all.filter(
        (i) => i.venue === 'polymarket' && i.eventId === POLY_ELON_EVENT && i.side === 'yes' && i.mutuallyExclusive,
      ),
    ).toHaveLength(16);
    expect(
      all.filter(
        (i) => i.venue === 'polymarket' && i.eventId === POLY_FED_EVENT && i.side === 'yes' && i.mutuallyExclusive,
      ),
    ).toHaveLength(5);
    expect(
      all.filter(
        (i) => i.venue === 'kalshi' && i.eventId === KALSHI_FED_EVENT && i.side === 'yes' && i.mutuallyExclusive,
      ),
    ).toHaveLength(5);
    // Fee schedules as Gamma publishes them.
    expect(u.polymarket.markets.get(BTC_MARKET)?.feeSchedule).toMatchObject({ rate: 0.25, exponent: 2 });
    expect(u.polymarket.markets.get(FED_NO_CHANGE)?.feeSchedule).toMatchObject({ rate: 0.05, exponent: 1 });
    expect(u.feeOf(`${H0}:yes`)).toEqual({ type: 'quadratic', takerRate: 0.07 });

    expect(u.books.size).toBe(u.instruments.size);
    for (const id of u.instruments.keys()) {
      const rest = await u.restBook(id);
      expect({ id, bids: u.books.get(id)?.bids, asks: u.books.get(id)?.asks }).toEqual({
        id,
        bids: rest.bids,
        asks: rest.asks,
      });
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
    const snapshot: LinkedSnapshot = {
      instruments: u.instruments,
      books: u.books,
      fees: (i) => u.feeOf(i.instrumentId),
      links: unapproved,
    };
    expect(crossPlatformArbitrage(snapshot, PARAMS, u.sim.now())).toEqual([]);
    expect(overlappingArbitrage(snapshot, PARAMS, u.sim.now())).toEqual([]);
    // With the approved links the very same books do hold linked opportunities.
    expect(crossPlatformArbitrage({ ...snapshot, links }, PARAMS, u.sim.now())).toHaveLength(1);
    expect(overlappingArbitrage({ ...snapshot, links }, PARAMS, u.sim.now())).toHaveLength(1);
  });

  it('the listings recompute: each listed basket priced by the strategies at its listed size gives the listed cost and profit', () => {
    expect(listed.map((l) => `${l.source}:${l.strategy}`).sort()).toEqual([
      'kalshi.json:single_platform',
      'links.json:cross_platform',
      'links.json:overlapping',
      'links.json:single_platform',
      'links.json:single_platform',
      'links.json:single_platform',
    ]);
    for (const l of listed) {
      const priced = atListedSize(u, l);
      expect(priced.cost, keyOfListed(l)).toBeCloseTo(l.cost, 6);
      expect(priced.expectedProfit, keyOfListed(l)).toBeCloseTo(l.expectedProfit, 6);
    }
  });

  it('at time 0 and 0 % minimum profit the strategies find exactly the listed opportunities (no misses, no extras), at the listed sizes', () => {
    const found = scan(u, links, PARAMS);
    expect(found.map(keyOf).sort()).toEqual(listed.map(keyOfListed).sort());
    const byKey = new Map(found.map((o) => [keyOf(o), o]));
    const get = (l: Listed): Opportunity => {
      const o = byKey.get(keyOfListed(l));
      if (!o) throw new Error(`missing ${keyOfListed(l)}`);
      return o;
    };
    const listedOf = (strategy: string, source: Listed['source'], marketHint: string): Listed => {
      const l = listed.find(
        (x) =>
          x.strategy === strategy &&
          x.source === source &&
          x.legs.some(
            (leg) =>
              leg.instrumentId.includes(marketHint) ||
              u.instruments.get(leg.instrumentId)?.marketId === marketHint ||
              u.instruments.get(leg.instrumentId)?.eventId === marketHint,
          ),
      );
      if (!l) throw new Error(`no listing ${strategy} ${marketHint}`);
      return l;
    };

    // Each found opportunity IS its listing: same size on every leg, every leg filled at the listed price alone (one
    // level), same cost and profit.
    for (const l of listed) {
      const o = get(l);
      const byId = (a: { instrumentId: string }, b: { instrumentId: string }): number =>
        a.instrumentId.localeCompare(b.instrumentId);
      expect(
        [...o.legs].sort(byId).map((x) => [x.instrumentId, x.size, x.vwap, x.limitPrice]),
        keyOfListed(l),
      ).toEqual([...l.legs].sort(byId).map((x) => [x.instrumentId, l.size, expect.closeTo(x.price, 9), x.price]));
      expect(o.cost, keyOfListed(l)).toBeCloseTo(l.cost, 6);
      expect(o.expectedProfit, keyOfListed(l)).toBeCloseTo(l.expectedProfit, 6);
    }

    // The same numbers by hand. Each basket takes the whole of its planted levels; the level behind is unprofitable.
    // BTC Up/Down: Up 200 @ 0.47 + Down 200 @ 0.48 (next asks 0.50 + 0.52 = 1.02 > 1).
    //   fees 200·0.25·(0.47·0.53)² = 3.10254, 200·0.25·(0.48·0.52)² = 3.115; cost 190 + 6.21754 = 196.21754;
    //   profit 200 − 196.21754 = 3.78246.
    const btc = get(listedOf('single_platform', 'links.json', BTC_MARKET));
    expect(btc.legs.map((l) => l.size)).toEqual([200, 200]);
    expect(btc.expectedProfit).toBeCloseTo(3.78246, 6);
    // Elon neg-risk, 16 YES asks summing to 0.989 with 100 each and no fee schedule; every next level is 0.02 dearer
    //   (0.989 + 16 × 0.02 = 1.309). Profit 100 − 98.9 = 1.1.
    const elon = get(listedOf('single_platform', 'links.json', POLY_ELON_EVENT));
    expect(elon.legs).toHaveLength(16);
    expect(elon.legs.every((l) => l.size === 100)).toBe(true);
    expect(elon.expectedProfit).toBeCloseTo(1.1, 6);
    // Overlap (Polymarket '300-324' ⇒ Kalshi '300 to 349'): Kalshi YES 100 @ 0.25 (fee ceil(1.3125) = 1.32) +
    //   Polymarket NO 100 @ 0.72 (no fees); the next Polymarket NO level 0.74 + 0.25 + Kalshi's 0.013125 fee slope
    //   = 1.003 > 1. Profit 100 − 98.32 = 1.68.
    const overlap = get(listedOf('overlapping', 'links.json', 'KXELONTWEETS-26APR10-324.5'));
    expect(overlap.legs.map((l) => l.size)).toEqual([100, 100]);
    expect(overlap.expectedProfit).toBeCloseTo(1.68, 6);
    // Cross-platform Fed 'No change' (link 1): Polymarket NO 100 @ 0.02 (the whole planted level; the NO ladder
    //   behind it starts at 0.15) + Kalshi H0 YES 100 @ 0.85 (of 120). The 101st pair would cost 0.15 + 0.85 = 1.00
    //   before fees. Fees floor5(0.05·100·0.02·0.98) = 0.098 and ceil(0.07·100·0.85·0.15 = 0.8925) = 0.90;
    //   cost 2 + 85 + 0.998 = 87.998; profit 100 − 87.998 = 12.002.
    const cross = get(listedOf('cross_platform', 'links.json', FED_NO_CHANGE_NO));
    const noLadder = u.books.get(FED_NO_CHANGE_NO)?.asks ?? [];
    expect(noLadder.slice(0, 2).map((l) => l.price)).toEqual([0.02, 0.15]);
    expect(noLadder[0]?.size).toBe(100);
    expect(cross.legs.map((l) => [l.instrumentId, l.size, l.limitPrice, l.fee])).toEqual(
      expect.arrayContaining([
        [FED_NO_CHANGE_NO, 100, 0.02, expect.closeTo(0.098, 6)],
        [`${H0}:yes`, 100, 0.85, expect.closeTo(0.9, 6)],
      ]),
    );
    expect(cross.cost).toBeCloseTo(87.998, 6);
    expect(cross.expectedProfit).toBeCloseTo(12.002, 6);
    // Kalshi Fed event YES basket: every market's best YES ask holds 120 (0.85 + 0.03 + 0.02 + 0.02 + 0.01 = 0.93);
    //   the second levels sum to 0.86 + 0.05 + 0.04 + 0.04 + 0.03 = 1.02 > 1. Notional 111.60; fees (one fill each)
    //   ceil(1.071) + ceil(0.24444) + 2 × ceil(0.16464) + ceil(0.08316) = 1.08 + 0.25 + 0.34 + 0.09 = 1.76;
    //   cost 113.36; profit 120 − 113.36 = 6.64.
    const kalshiEvent = get(listedOf('single_platform', 'kalshi.json', KALSHI_FED_EVENT));
    expect(kalshiEvent.legs).toHaveLength(5);
    expect(kalshiEvent.legs.every((l) => l.size === 120)).toBe(true);
    expect(kalshiEvent.legs.reduce((s, l) => s + l.fee, 0)).toBeCloseTo(1.76, 6);
    expect(kalshiEvent.cost).toBeCloseTo(113.36, 6);
    expect(kalshiEvent.expectedProfit).toBeCloseTo(6.64, 6);
    // Polymarket Fed NO basket (NO on all 5 markets of the neg-risk event pays 4 in every world): NO asks 0.98 +
    //   0.988 + 0.994 + 0.998 + 0.02 = 3.98 for 100 sets ('No change' NO holds exactly 100 @ 0.02, then 0.15:
    //   0.98 + 0.988 + 0.994 + 0.998 + 0.15 = 4.11 > 4). Fees (rate 0.05, exponent 1) 0.098 + 0.05928 + 0.02982 +
    //   0.00998 + 0.098 = 0.29508; cost 398.29508; profit 400 − 398.29508 = 1.70492 (0.428 %).
    const fedNo = get(listedOf('single_platform', 'links.json', FED_NO_CHANGE_NO));
    expect(
      fedNo.legs
        .map((l) => u.instruments.get(l.instrumentId))
        .every((i) => i?.eventId === POLY_FED_EVENT && i.side === 'no'),
    ).toBe(true);
    expect(fedNo.legs).toHaveLength(5);
    expect(fedNo.legs.every((l) => l.size === 100)).toBe(true);
    expect(fedNo.legs.reduce((s, l) => s + l.fee, 0)).toBeCloseTo(0.29508, 6);
    expect(fedNo.cost).toBeCloseTo(398.29508, 6);
    expect(fedNo.expectedProfit).toBeCloseTo(1.70492, 6);
    expect(fedNo.profitPct).toBeCloseTo(0.428, 3);
  });

  it('the same baskets with an unlimited budget (nothing is budget-bound); at the README threshold (0.5 %) all but the Fed NO basket', () => {
    const at = (params: ArbParams): string[] =>
      scan(u, links, params)
        .map((o) => `${keyOf(o)}@${o.legs.map((l) => l.size).join(',')}:${o.expectedProfit.toFixed(6)}`)
        .sort();
    const base = at(PARAMS);
    expect(base).toHaveLength(listed.length);
    expect(at(UNLIMITED_BUDGET)).toEqual(base);
    const fedNoKey = basketKey(
      'single_platform',
      [...u.instruments.values()]
        .filter((i) => i.eventId === POLY_FED_EVENT && i.side === 'no')
        .map((i) => i.instrumentId),
    );
    expect(base.filter((k) => k.startsWith(`${fedNoKey}@`))).toHaveLength(1);
    expect(at(README_PARAMS)).toEqual(base.filter((k) => !k.startsWith(`${fedNoKey}@`)));
    // Every other listed return is at least Elon's 1.1 / 98.9 = 1.11 %.
    expect(Math.min(...scan(u, links, README_PARAMS).map((o) => o.profitPct))).toBeGreaterThan(1);
  });

  it('NO on every market of the other exclusive events is no arbitrage: their best NO asks cost at least what they pay (n − 1)', () => {
    const bestNoAsks = (venue: 'polymarket' | 'kalshi', eventId: string): (number | undefined)[] =>
      [...u.instruments.values()]
        .filter((i) => i.venue === venue && i.eventId === eventId && i.side === 'no')
        .map((i) => u.books.get(i.instrumentId)?.asks[0]?.price);
    const sum = (xs: (number | undefined)[]): number => xs.reduce<number>((s, p) => s + (p ?? 1), 0);
    // Polymarket Elon (16 buckets, pays 15) and Kalshi Elon (13, pays 12), before fees.
    expect(sum(bestNoAsks('polymarket', POLY_ELON_EVENT))).toBeGreaterThanOrEqual(15);
    expect(sum(bestNoAsks('kalshi', 'KXELONTWEETS-26APR10'))).toBeGreaterThanOrEqual(12);
    // Kalshi Fed: H26 has no YES bid, so no NO ask: the basket cannot be bought at all.
    expect(bestNoAsks('kalshi', KALSHI_FED_EVENT)).toContain(undefined);
    const found = scan(u, links, PARAMS).map(keyOf);
    for (const eventId of [POLY_ELON_EVENT, KALSHI_FED_EVENT, 'KXELONTWEETS-26APR10']) {
      const ids = [...u.instruments.values()]
        .filter((i) => i.eventId === eventId && i.side === 'no')
        .map((i) => i.instrumentId);
      expect(ids.length, eventId).toBeGreaterThan(1);
      expect(found).not.toContain(basketKey('single_platform', ids));
    }
  });

  it('paper execution (PaperTrading on the streamed books + executeArbitrage) books every found opportunity in every resolution', async () => {
    for (const opp of scan(u, links, PARAMS)) {
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
      // World counts: binary 2, Elon 16 buckets, Kalshi Fed 5 outcomes, Polymarket Fed 5 outcomes, equivalent pair 2,
      // A ⇒ B 3.
      expect(results.length).toBe(worldsFor(opp, u.instruments, links).length);
      for (const r of results) expect(r.execution.status).toBe('complete');
      expect(Math.min(...results.map((r) => r.realizedPnl)), keyOfListed(l)).toBeCloseTo(l.expectedProfit, 6);
    }
    const counts = listed.map((l) => worldsFor(atListedSize(u, l), u.instruments, links).length).sort((a, b) => a - b);
    expect(counts).toEqual([2, 2, 3, 5, 5, 16]);
  });

  it('time-limited opportunities are gone once scenario time passes their window; the others stay', async () => {
    const windows = new Map(listed.map((l) => [keyOfListed(l), l.untilMs]));
    // kalshi.json states its window only in prose; the price path says the same.
    expect(kalshiNotedWindows(u.scenario.kalshi)).toEqual([60_000]);
    expect(listed.map((l) => l.untilMs ?? Infinity).sort((a, b) => a - b)).toEqual([
      60_000,
      60_000,
      120_000,
      Infinity,
      Infinity,
      Infinity,
    ]);
    const keysAt = (): string[] => scan(u, links, PARAMS).map(keyOf).sort();
    const alive = (tMs: number): string[] =>
      listed
        .filter((l) => l.untilMs === null || l.untilMs > tMs)
        .map(keyOfListed)
        .sort();

    await u.advance(60_000);
    // Scenario time is now past 60 s; while it is also still short of 120 s (true unless setup took a minute), the
    // BTC window is still open.
    for (const [k, until] of windows) if (until === 60_000) expect(keysAt()).not.toContain(k);
    expect(u.books.get(`${H0}:yes`)?.asks[0]).toEqual({ price: 0.99, size: 500 });
    if (u.sim.now() - startedNoLaterThan < 120_000) expect(keysAt()).toEqual(alive(60_000));

    await u.advance(60_000);
    expect(keysAt()).toEqual(alive(120_000));
    expect(alive(120_000)).toHaveLength(3);
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

  it('every arbitrage strategy over the same links finds nothing, even at 0 % minimum profit and an unlimited budget', () => {
    const links = approvedLinks(u.scenario.links);
    expect(links).toHaveLength(6);
    // 30 Gamma markets and 18 Kalshi markets, two instruments each, every one with a streamed book.
    expect([...u.instruments.values()].filter((i) => i.venue === 'polymarket')).toHaveLength(60);
    expect([...u.instruments.values()].filter((i) => i.venue === 'kalshi')).toHaveLength(36);
    expect(u.books.size).toBe(u.instruments.size);
    expect(listedOpportunities(u.scenario.links, u.scenario.kalshi)).toEqual([]);
    expect(scan(u, links, PARAMS)).toEqual([]);
    expect(scan(u, links, UNLIMITED_BUDGET)).toEqual([]);
  });

  it('NO on every market of each exclusive event costs at least what it pays (n − 1) at the best asks, before fees', () => {
    const bestNoAsks = (venue: 'polymarket' | 'kalshi', eventId: string): number[] =>
      [...u.instruments.values()]
        .filter((i) => i.venue === venue && i.eventId === eventId && i.side === 'no')
        .map((i) => u.books.get(i.instrumentId)?.asks[0]?.price ?? 1);
    const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);
    // Polymarket Fed (pays 4): 0.99 + 0.995 + 0.997 + 0.02 + 0.999 = 4.001 — its YES bids (mirrors) sum to 0.999.
    expect(sum(bestNoAsks('polymarket', POLY_FED_EVENT))).toBeCloseTo(4.001, 9);
    // Kalshi Fed (pays 4): NO ask = 1 − best YES bid: H0 1 − 0.95 = 0.05, C25/C26/H25/H26 1 − 0.01 = 0.99 → 4.01.
    expect(sum(bestNoAsks('kalshi', KALSHI_FED_EVENT))).toBeCloseTo(4.01, 9);
    // Elon (Polymarket 16 buckets pay 15; Kalshi 13 pay 12).
    expect(sum(bestNoAsks('polymarket', POLY_ELON_EVENT))).toBeGreaterThanOrEqual(15);
    expect(sum(bestNoAsks('kalshi', 'KXELONTWEETS-26APR10'))).toBeGreaterThanOrEqual(12);
  });
});
