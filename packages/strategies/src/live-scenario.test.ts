// The local stack's continuous `live` scenario, priced by these strategies with a new user's defaults (1 % minimum
// profit, $50 max trade size, books up to 120 s old; Kalshi's taker fee): every opportunity window the simulator
// opens is one the strategies take — single-platform on both venues, cross-platform and overlapping on the linked
// markets. Books and metadata are read over HTTP from the simulator, as the adapters would.
import type { FeeSchedule, Instrument, MarketLink, OrderBook } from '@polybot/schemas';
import { KALSHI_DEFAULT_FEES } from '@polybot/schemas';
import { startVenueSim, type VenueSim } from '@polybot/local-stack/venue-sim';
import { loadScenario } from '@polybot/local-stack/venue-sim/scenario';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossPlatformArbitrage, overlappingArbitrage, singlePlatformArbitrage } from './arbitrage.ts';
import type { ArbParams } from './types.ts';

const DEFAULTS: ArbParams = { minProfitPct: 1, maxTradeSizeUsd: 50, maxBookAgeMs: 120_000 };
const NONE: FeeSchedule = { type: 'none' };

let sim: VenueSim;
beforeAll(async () => {
  sim = await startVenueSim({ scenario: 'live', autoAdvance: false, seed: 7 });
});
afterAll(async () => {
  await sim.close();
});

const json = async <T>(path: string): Promise<T> => (await (await fetch(`${sim.origin}${path}`)).json()) as T;

async function polymarket(conditionId: string): Promise<{ instruments: Instrument[]; books: OrderBook[] }> {
  const [m] = await json<{ conditionId: string; question: string; clobTokenIds: string }[]>(
    `/gamma/markets?condition_ids=${conditionId}`,
  );
  const [yes = '', no = ''] = JSON.parse(m?.clobTokenIds ?? '[]') as string[];
  const instruments = [yes, no].map((id, i): Instrument => ({
    venue: 'polymarket',
    instrumentId: id,
    marketId: conditionId,
    eventId: null,
    side: i === 0 ? 'yes' : 'no',
    complementId: i === 0 ? no : yes,
    title: m?.question ?? '',
    outcome: i === 0 ? 'Yes' : 'No',
    mutuallyExclusive: false,
    tickSize: 0.01,
    minOrderSize: 5,
    closeTime: null,
    active: true,
  }));
  const books = await Promise.all(
    [yes, no].map(async (id): Promise<OrderBook> => {
      const b = await json<{ asks: { price: string; size: string }[]; bids: { price: string; size: string }[] }>(
        `/book?token_id=${id}`,
      );
      const levels = (l: { price: string; size: string }[]) =>
        l.map((x) => ({ price: Number(x.price), size: Number(x.size) })).reverse();
      return {
        venue: 'polymarket',
        instrumentId: id,
        asks: levels(b.asks),
        bids: levels(b.bids),
        timestampMs: sim.now(),
        seq: 1,
      };
    }),
  );
  return { instruments, books };
}

async function kalshi(
  tickers: string[],
  exclusive: boolean,
): Promise<{ instruments: Instrument[]; books: OrderBook[] }> {
  const instruments: Instrument[] = [];
  const books: OrderBook[] = [];
  for (const ticker of tickers) {
    const { market } = await json<{ market: { event_ticker: string; title: string } }>(
      `/trade-api/v2/markets/${ticker}`,
    );
    const { orderbook_fp: ob } = await json<{ orderbook_fp: { yes_dollars: string[][]; no_dollars: string[][] } }>(
      `/trade-api/v2/markets/${ticker}/orderbook`,
    );
    // Bids only: a YES ask is 1 − a NO bid and vice versa; best first.
    const asksFrom = (bids: string[][]) =>
      bids.map(([p = '0', s = '0']) => ({ price: Math.round((1 - Number(p)) * 100) / 100, size: Number(s) })).reverse();
    const bidsFrom = (bids: string[][]) =>
      bids.map(([p = '0', s = '0']) => ({ price: Number(p), size: Number(s) })).reverse();
    for (const side of ['yes', 'no'] as const) {
      const id = `${ticker}:${side}`;
      instruments.push({
        venue: 'kalshi',
        instrumentId: id,
        marketId: ticker,
        eventId: market.event_ticker,
        side,
        complementId: `${ticker}:${side === 'yes' ? 'no' : 'yes'}`,
        title: market.title,
        outcome: side === 'yes' ? 'Yes' : 'No',
        mutuallyExclusive: exclusive,
        tickSize: 0.01,
        minOrderSize: 1,
        closeTime: null,
        active: true,
      });
      books.push({
        venue: 'kalshi',
        instrumentId: id,
        asks: asksFrom(side === 'yes' ? ob.no_dollars : ob.yes_dollars),
        bids: bidsFrom(side === 'yes' ? ob.yes_dollars : ob.no_dollars),
        timestampMs: sim.now(),
        seq: 1,
      });
    }
  }
  return { instruments, books };
}

const snapshot = (parts: { instruments: Instrument[]; books: OrderBook[] }[]) => ({
  instruments: new Map(parts.flatMap((p) => p.instruments).map((i) => [i.instrumentId, i])),
  books: new Map(parts.flatMap((p) => p.books).map((b) => [b.instrumentId, b])),
  fees: (i: Instrument): FeeSchedule => (i.venue === 'kalshi' ? KALSHI_DEFAULT_FEES : NONE),
});

describe('the live scenario priced with default settings', () => {
  it('every opportunity window of the first four minutes is taken at ≥ 1 % within $50', async () => {
    const links = (loadScenario('live').links as { links: MarketLink[] }).links;
    const taken: Record<string, number> = {};
    for (let t = 0; t < 240_000; t += 1_000) {
      for (const e of sim.live?.events ?? []) {
        if (e.t !== t || e.type !== 'open') continue;
        let found: number;
        if (e.strategy === 'single_platform' && e.venue === 'polymarket') {
          found = singlePlatformArbitrage(snapshot([await polymarket(e.ids[0] ?? '')]), DEFAULTS, sim.now()).length;
        } else if (e.strategy === 'single_platform') {
          found = singlePlatformArbitrage(snapshot([await kalshi(e.ids, true)]), DEFAULTS, sim.now()).length;
        } else {
          const s = { ...snapshot([await polymarket(e.ids[0] ?? ''), await kalshi([e.ids[1] ?? ''], false)]), links };
          found = (e.strategy === 'cross_platform' ? crossPlatformArbitrage : overlappingArbitrage)(
            s,
            DEFAULTS,
            sim.now(),
          ).length;
        }
        expect(found, `${e.strategy} ${e.venue} at ${t} ms`).toBeGreaterThan(0);
        taken[`${e.strategy}:${e.venue}`] = (taken[`${e.strategy}:${e.venue}`] ?? 0) + 1;
      }
      sim.advance(1_000);
    }
    expect(Object.keys(taken).sort()).toEqual([
      'cross_platform:polymarket+kalshi',
      'overlapping:polymarket+kalshi',
      'single_platform:kalshi',
      'single_platform:polymarket',
    ]);
  });
});
