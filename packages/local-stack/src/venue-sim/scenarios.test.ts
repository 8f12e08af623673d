// The planted opportunities in links.json hold against the live books the simulator serves (both venues,
// over HTTP), are exactly as big as listed (the level behind each is unprofitable), disappear when the scenario
// says, and neither scenario holds an unlisted arbitrage at the top of any book: quiet none at all, including
// NO on every market of a neg-risk event (which pays n − 1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { takerFee } from './polymarket/fees.ts';
import { loadScenario } from './scenario.ts';
import { startVenueSim, type VenueSim } from './server.ts';
import { venueSimForSuite } from '../../testing/venue-sim-suite.ts';

const Leg = z.object({
  venue: z.enum(['polymarket', 'kalshi']),
  instrumentId: z.string(),
  marketId: z.string(),
  side: z.literal('buy'),
  price: z.number(),
  size: z.number(),
  fee: z.number(),
});
const Links = z.object({
  links: z.array(
    z.object({
      id: z.number(),
      relation: z.enum(['equivalent', 'implies']),
      aVenue: z.string(),
      aMarketId: z.string(),
      bVenue: z.string(),
      bMarketId: z.string(),
    }),
  ),
  expected: z.array(
    z.object({
      strategy: z.string(),
      fromMs: z.number(),
      untilMs: z.number().nullable(),
      payout: z.number(),
      legs: z.array(Leg).min(1),
      cost: z.number(),
      expectedProfit: z.number().positive(),
    }),
  ),
});
type Ask = { price: number; size: number };

const kalshiFee = (c: number, p: number): number =>
  Math.ceil(Math.round(0.07 * c * p * (1 - p) * 1e5) / 1e3 - 1e-9) / 100;

async function polyBook(sim: VenueSim, tokenId: string): Promise<{ asks: Ask[]; market: string }> {
  const book = (await (await fetch(`${sim.origin}/book?token_id=${tokenId}`)).json()) as {
    market: string;
    asks: { price: string; size: string }[];
  };
  return {
    market: book.market,
    asks: book.asks.map((l) => ({ price: Number(l.price), size: Number(l.size) })).reverse(),
  };
}
async function kalshiYesAsks(sim: VenueSim, ticker: string): Promise<Ask[]> {
  const res = (await (await fetch(`${sim.origin}/trade-api/v2/markets/${ticker}/orderbook`)).json()) as {
    orderbook_fp: { no_dollars: [string, string][] };
  };
  // A YES ask is 1 − a NO bid.
  return res.orderbook_fp.no_dollars
    .map(([p, s]) => ({ price: Math.round((1 - Number(p)) * 1e4) / 1e4, size: Number(s) }))
    .sort((a, b) => a.price - b.price);
}

/** The ask a buyer pays for the next contract after `taken` contracts (undefined once the book is exhausted). */
function priceAfter(asks: readonly Ask[], taken: number): number | undefined {
  let left = taken;
  for (const level of asks) {
    if (level.size > left + 1e-9) return level.price;
    left -= level.size;
  }
  return undefined;
}

type GammaEvent = {
  id: string;
  negRisk: boolean;
  markets: { conditionId: string; clobTokenIds: string; feeSchedule?: { rate: number; exponent: number } }[];
};
const tokensOf = (m: GammaEvent['markets'][number]): [string, string] => {
  const [yes = '', no = ''] = z.array(z.string()).parse(JSON.parse(m.clobTokenIds));
  return [yes, no];
};
const takerSchedule = (
  m: GammaEvent['markets'][number],
): { rate: number; exponent: number; takerOnly: true; rebateRate: number } | null =>
  m.feeSchedule ? { ...m.feeSchedule, takerOnly: true, rebateRate: 0 } : null;
/** Polymarket's taker fee per contract at price p before rounding (the marginal fee of one more contract). */
const feeSlope = (schedule: { rate: number; exponent: number } | null | undefined, p: number): number =>
  schedule ? schedule.rate * (p * (1 - p)) ** schedule.exponent : 0;

/**
 * Buying NO on every market of a neg-risk event pays n − 1 whichever market resolves YES. At the best NO asks
 * (asks only get dearer behind them) it must cost at least that, fees included, for every such event whose NO
 * basket is not a listed opportunity. Returns how many events it checked.
 */
async function checkNoOnEveryMarketBaskets(
  sim: VenueSim,
  listedEventIds: ReadonlySet<string> = new Set(),
): Promise<number> {
  const events = (await (await fetch(`${sim.origin}/gamma/events?limit=1000`)).json()) as GammaEvent[];
  let checked = 0;
  for (const e of events.filter((ev) => ev.negRisk && !listedEventIds.has(ev.id))) {
    let cost = 0;
    for (const m of e.markets) {
      const n = (await polyBook(sim, tokensOf(m)[1])).asks[0]?.price;
      if (n === undefined) throw new Error(`neg-risk event ${e.id}: a NO book is empty`);
      cost += n + feeSlope(m.feeSchedule, n);
    }
    expect(cost, `NO on all ${e.markets.length} markets of event ${e.id}`).toBeGreaterThanOrEqual(e.markets.length - 1);
    checked += 1;
  }
  return checked;
}

describe('arb-rich planted opportunities', () => {
  let sim: VenueSim;
  const links = Links.parse(loadScenario('arb-rich').links);
  const fees = new Map<string, { rate: number; exponent: number }>();
  beforeAll(async () => {
    sim = await startVenueSim({ scenario: 'arb-rich', autoAdvance: false });
    const markets = (await (await fetch(`${sim.origin}/gamma/markets?limit=1000`)).json()) as {
      conditionId: string;
      feeSchedule?: { rate: number; exponent: number };
    }[];
    for (const m of markets) if (m.feeSchedule) fees.set(m.conditionId, m.feeSchedule);
  });
  afterAll(async () => {
    await sim.close();
  });

  const bestAsk = async (leg: z.infer<typeof Leg>): Promise<Ask | undefined> =>
    leg.venue === 'polymarket'
      ? (await polyBook(sim, leg.instrumentId)).asks[0]
      : (await kalshiYesAsks(sim, leg.marketId))[0];

  it('lists one opportunity of each Polymarket-side kind (binary, neg-risk YES, neg-risk NO) and of each linked kind', () => {
    expect(links.expected.map((e) => e.strategy).sort()).toEqual([
      'cross_platform',
      'overlapping',
      'single_platform',
      'single_platform',
      'single_platform',
    ]);
  });

  it('every leg is the best ask with enough depth, and the fees and profit recompute', async () => {
    for (const opp of links.expected) {
      let cost = 0;
      for (const leg of opp.legs) {
        const ask = await bestAsk(leg);
        expect(ask?.price, `${opp.strategy} ${leg.instrumentId}`).toBe(leg.price);
        expect(ask?.size ?? 0).toBeGreaterThanOrEqual(leg.size);
        const schedule = fees.get(leg.marketId) ?? null;
        const fee =
          leg.venue === 'polymarket'
            ? takerFee(schedule ? { ...schedule, takerOnly: true, rebateRate: 0 } : null, leg.size, leg.price)
            : kalshiFee(leg.size, leg.price);
        expect(fee).toBeCloseTo(leg.fee, 5);
        cost += leg.price * leg.size + fee;
      }
      expect(cost).toBeCloseTo(opp.cost, 4);
      expect(opp.payout - cost).toBeCloseTo(opp.expectedProfit, 4);
    }
  });

  it('each listed size is the profit-maximizing one: one more basket, at the levels behind, costs at least its payout', async () => {
    for (const opp of links.expected) {
      const [first] = opp.legs;
      if (!first || opp.legs.some((l) => l.size !== first.size)) throw new Error(`${opp.strategy}: not a basket`);
      let unitCost = 0;
      for (const leg of opp.legs) {
        const asks =
          leg.venue === 'polymarket'
            ? (await polyBook(sim, leg.instrumentId)).asks
            : await kalshiYesAsks(sim, leg.marketId);
        const p = priceAfter(asks, leg.size);
        // An exhausted book cannot sell one more basket at all.
        if (p === undefined) {
          unitCost = Infinity;
          break;
        }
        // Plus the marginal fee of one more contract (before the venues' rounding, which only adds).
        unitCost += p + (leg.venue === 'kalshi' ? 0.07 * p * (1 - p) : feeSlope(fees.get(leg.marketId), p));
      }
      expect(unitCost, opp.strategy).toBeGreaterThanOrEqual(opp.payout / first.size);
    }
  });

  it('has no NO-on-every-market arbitrage on a neg-risk event but the listed one (Fed, event 101772)', async () => {
    // The one listed basket paying more than 1 a set: NO on all 5 Fed markets, 4 a set.
    const listedNo = links.expected.filter((e) => e.payout > (e.legs[0]?.size ?? Infinity));
    expect(listedNo.map((e) => [e.legs.length, e.payout / (e.legs[0]?.size ?? 1)])).toEqual([[5, 4]]);
    expect(await checkNoOnEveryMarketBaskets(sim, new Set(['101772']))).toBe(1);
  });

  it('time-limited opportunities are gone after their untilMs', async () => {
    sim.advance(120_001);
    for (const opp of links.expected.filter((e) => e.untilMs !== null)) {
      let cost = 0;
      for (const leg of opp.legs) {
        const price = (await bestAsk(leg))?.price ?? 1;
        const schedule = fees.get(leg.marketId) ?? null;
        const fee =
          leg.venue === 'polymarket'
            ? takerFee(schedule ? { ...schedule, takerOnly: true, rebateRate: 0 } : null, leg.size, price)
            : kalshiFee(leg.size, price);
        cost += price * leg.size + fee;
      }
      expect(cost, opp.strategy).toBeGreaterThan(opp.payout);
    }
  });
});

describe('quiet scenario', () => {
  let sim: VenueSim;
  venueSimForSuite('quiet', (s) => (sim = s));

  it('has no binary, neg-risk or linked opportunity at the top of any book', async () => {
    const events = (await (await fetch(`${sim.origin}/gamma/events?limit=1000`)).json()) as GammaEvent[];
    const asks = new Map<string, number>();
    for (const m of events.flatMap((e) => e.markets)) {
      const schedule = takerSchedule(m);
      const [yes, no] = tokensOf(m);
      const y = (await polyBook(sim, yes)).asks[0]?.price ?? 1;
      const n = (await polyBook(sim, no)).asks[0]?.price ?? 1;
      asks.set(m.conditionId, y);
      asks.set(`${m.conditionId}:no`, n);
      expect(y + n + takerFee(schedule, 1, y) + takerFee(schedule, 1, n)).toBeGreaterThanOrEqual(1);
    }
    for (const e of events.filter((ev) => ev.negRisk)) {
      expect(e.markets.reduce((s, m) => s + (asks.get(m.conditionId) ?? 1), 0)).toBeGreaterThanOrEqual(1);
    }
    const links = Links.parse(loadScenario('quiet').links);
    expect(links.expected).toEqual([]);
    for (const link of links.links) {
      const k = await kalshiYesAsks(sim, link.bMarketId);
      const kYes = k[0]?.price ?? 1;
      // Buy Kalshi YES + Polymarket NO (both relations); for 'equivalent' also the mirror pair.
      expect(kYes + (asks.get(`${link.aMarketId}:no`) ?? 1), `link ${link.id}`).toBeGreaterThanOrEqual(1);
      if (link.relation === 'equivalent') {
        const res = (await (await fetch(`${sim.origin}/trade-api/v2/markets/${link.bMarketId}/orderbook`)).json()) as {
          orderbook_fp: { yes_dollars: [string, string][] };
        };
        const bestYesBid = Math.max(...res.orderbook_fp.yes_dollars.map(([p]) => Number(p)));
        expect(1 - bestYesBid + (asks.get(link.aMarketId) ?? 1), `link ${link.id} mirror`).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('has no NO-on-every-market arbitrage on any neg-risk event (Fed: NO asks 0.99 + 0.995 + 0.997 + 0.02 + 0.999 = 4.001 ≥ 4)', async () => {
    expect(await checkNoOnEveryMarketBaskets(sim)).toBe(2);
  });
});
