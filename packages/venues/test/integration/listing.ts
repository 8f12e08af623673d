// The opportunities a scenario says it plants, from its two listings, in one shape:
// - links.json `expected`: Polymarket-side and cross-venue ones, legs with instrumentId/price/size/fee;
// - kalshi.json `expected`: Kalshi-only ones (`kind: single_platform`, legs by ticker + side, dollar strings),
//   with the window end given only in prose ("note") and in the scripted `price_path`.
import type { StrategyKind, VenueId } from '@polybot/schemas';
import { z } from 'zod';

export interface ListedLeg {
  venue: VenueId;
  instrumentId: string;
  price: number;
  size: number;
}

export interface Listed {
  source: 'links.json' | 'kalshi.json';
  strategy: StrategyKind;
  legs: ListedLeg[];
  /** Same size on every leg (a basket). */
  size: number;
  /** What the basket pays in every resolution (size × 1, or size × (n − 1) for NO on all n markets of an event). */
  payout: number;
  cost: number;
  expectedProfit: number;
  /** Scenario time after which the opportunity is gone; null = lasts. */
  untilMs: number | null;
}

const Dollars = z
  .string()
  .regex(/^\d+(\.\d+)?$/)
  .transform(Number);

const LinksExpected = z.object({
  expected: z.array(
    z.object({
      strategy: z.enum(['single_platform', 'cross_platform', 'overlapping']),
      untilMs: z.number().nullable(),
      payout: z.number(),
      legs: z
        .array(
          z.object({
            venue: z.enum(['polymarket', 'kalshi']),
            instrumentId: z.string(),
            price: z.number(),
            size: z.number(),
          }),
        )
        .min(1),
      cost: z.number(),
      expectedProfit: z.number(),
    }),
  ),
});

const KalshiExpected = z.object({
  price_path: z.array(z.object({ at_ms: z.number(), ticker: z.string() })),
  expected: z.array(
    z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('single_platform'),
        contracts: z.number(),
        legs: z.array(z.object({ ticker: z.string(), buy: z.enum(['yes', 'no']), price: Dollars })).min(1),
        cost_dollars: Dollars,
        fees_dollars: Dollars,
        payout_dollars: Dollars,
        expected_profit_dollars: Dollars,
      }),
      z.object({ kind: z.literal('note'), text: z.string() }),
    ]),
  ),
});

export function listedOpportunities(linksFile: unknown, kalshiFile: unknown): Listed[] {
  const out: Listed[] = [];
  for (const e of LinksExpected.parse(linksFile).expected) {
    const sizes = new Set(e.legs.map((l) => l.size));
    const [size] = [...sizes];
    if (sizes.size !== 1 || size === undefined)
      throw new Error(`listed ${e.strategy} is not a basket (sizes ${[...sizes].join(',')})`);
    out.push({
      source: 'links.json',
      strategy: e.strategy,
      legs: e.legs,
      size,
      payout: e.payout,
      cost: e.cost,
      expectedProfit: e.expectedProfit,
      untilMs: e.untilMs,
    });
  }
  const k = KalshiExpected.parse(kalshiFile);
  for (const e of k.expected) {
    if (e.kind !== 'single_platform') continue;
    const tickers = new Set(e.legs.map((l) => l.ticker));
    // The window ends at the first scripted book change on one of its markets (the note says so in prose).
    const steps = k.price_path.filter((s) => tickers.has(s.ticker)).map((s) => s.at_ms);
    out.push({
      source: 'kalshi.json',
      strategy: 'single_platform',
      legs: e.legs.map((l) => ({
        venue: 'kalshi',
        instrumentId: `${l.ticker}:${l.buy}`,
        price: l.price,
        size: e.contracts,
      })),
      size: e.contracts,
      payout: e.payout_dollars,
      // kalshi.json lists notional and fees apart; links.json's `cost` includes fees.
      cost: Math.round((e.cost_dollars + e.fees_dollars) * 100) / 100,
      expectedProfit: e.expected_profit_dollars,
      untilMs: steps.length > 0 ? Math.min(...steps) : null,
    });
  }
  return out;
}

/** Kalshi's prose notes ("after 60000 ms ... is gone"): the windows they state, for cross-checking `untilMs`. */
export function kalshiNotedWindows(kalshiFile: unknown): number[] {
  const notes = KalshiExpected.parse(kalshiFile).expected.flatMap((e) => (e.kind === 'note' ? [e.text] : []));
  return notes.flatMap((t) => {
    const m = /after (\d+) ms/.exec(t);
    return m?.[1] ? [Number(m[1])] : [];
  });
}

/** Identity of an opportunity for matching: strategy + the set of instruments bought. */
export const basketKey = (strategy: string, instrumentIds: readonly string[]): string =>
  `${strategy}|${[...instrumentIds].sort().join(',')}`;
