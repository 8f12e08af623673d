// The continuous `live` scenario on a test clock over real HTTP: deterministic under a seed however the clock is
// advanced, lists and resolves on both venues on schedule, opens opportunities of every kind within the first
// minutes (checked in the served books, not just the driver's log), and never runs out of markets.
import { afterEach, describe, expect, it } from 'vitest';
import { startVenueSim, type VenueSim } from '../server.ts';
import { LIVE } from './config.ts';
import type { LiveEvent } from './driver.ts';

const SEED = 424242;
const started: VenueSim[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

async function live(seed = SEED): Promise<VenueSim> {
  const sim = await startVenueSim({ scenario: 'live', autoAdvance: false, seed });
  started.push(sim);
  return sim;
}

const getJson = async <T>(sim: VenueSim, path: string): Promise<T> => {
  const res = await fetch(`${sim.origin}${path}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};
const events = (sim: VenueSim): LiveEvent[] => sim.live?.events ?? [];
const bestAsk = async (sim: VenueSim, tokenId: string): Promise<number> => {
  const book = await getJson<{ asks: { price: string }[] }>(sim, `/book?token_id=${tokenId}`);
  return Number(book.asks.at(-1)?.price ?? 1);
};
type KalshiMarket = { ticker: string; status: string; result: string; yes_ask_dollars: string; no_ask_dollars: string };
const kalshiMarkets = async (sim: VenueSim, query: string): Promise<KalshiMarket[]> =>
  (await getJson<{ markets: KalshiMarket[] }>(sim, `/trade-api/v2/markets?limit=1000&${query}`)).markets;
type GammaMarket = { conditionId: string; clobTokenIds: string; closed: boolean; umaResolutionStatus?: string };
const gamma = (sim: VenueSim, query: string): Promise<GammaMarket[]> =>
  getJson<GammaMarket[]>(sim, `/gamma/markets?limit=1000&${query}`);

describe('live scenario', () => {
  it('replays the same event sequence from the same seed however the clock advances; another seed differs', async () => {
    const steady = await live();
    for (let i = 0; i < 600; i++) steady.advance(1_000);
    const jumpy = await live();
    for (const ms of [333, 29_000, 1, 61_667, 120_000, 5_000, 200_000, 184_000]) jumpy.advance(ms);
    expect(events(steady).length).toBeGreaterThan(100);
    expect(events(jumpy)).toEqual(events(steady));
    const other = await live(SEED + 1);
    other.advance(600_000);
    expect(events(other)).not.toEqual(events(steady));
  });

  it('lists and resolves on both venues on schedule, replacing what resolves', async () => {
    const sim = await live();
    const open = await gamma(sim, 'closed=false');
    expect(open).toHaveLength(LIVE.PM_CONCURRENT + 3);
    const first = open[3]; // after the three linked markets: the first rotating one, ending first
    expect(first).toBeDefined();
    const firstKalshi = (await kalshiMarkets(sim, 'status=open')).filter((m) => m.ticker.startsWith('KXLIVEHIGH'));
    expect(firstKalshi).toHaveLength(LIVE.KALSHI_CONCURRENT * 3);

    // Polymarket: trading halts 15 s before the end, the market resolves at its end and a new one lists.
    sim.advance(LIVE.PM_FIRST_END_MS - LIVE.PM_PROPOSE_BEFORE_MS);
    const [halted] = await gamma(sim, `condition_ids=${first?.conditionId ?? ''}`);
    expect(halted).toMatchObject({ closed: false, acceptingOrders: false, umaResolutionStatus: 'proposed' });
    sim.advance(LIVE.PM_PROPOSE_BEFORE_MS);
    const [resolved] = await gamma(sim, `condition_ids=${first?.conditionId ?? ''}`);
    expect(resolved).toMatchObject({ closed: true, umaResolutionStatus: 'resolved' });
    expect(['["1","0"]', '["0","1"]']).toContain((resolved as unknown as { outcomePrices: string }).outcomePrices);
    const reopened = await gamma(sim, 'closed=false');
    expect(reopened).toHaveLength(LIVE.PM_CONCURRENT + 3);
    expect(reopened.some((m) => m.conditionId === first?.conditionId)).toBe(false);

    // Kalshi: the first event closes at its end, is determined 15 s later and finalized 15 s after that.
    const eventTicker = firstKalshi[0]?.ticker.replace(/-B\d$/, '') ?? '';
    sim.advance(LIVE.KALSHI_FIRST_END_MS - LIVE.PM_FIRST_END_MS);
    expect((await kalshiMarkets(sim, `event_ticker=${eventTicker}`)).map((m) => m.status)).toEqual([
      'closed',
      'closed',
      'closed',
    ]);
    sim.advance(LIVE.KALSHI_DETERMINE_AFTER_MS);
    const determined = await kalshiMarkets(sim, `event_ticker=${eventTicker}`);
    expect(determined.map((m) => m.status)).toEqual(['determined', 'determined', 'determined']);
    expect(determined.map((m) => m.result).sort()).toEqual(['no', 'no', 'yes']);
    sim.advance(LIVE.KALSHI_SETTLE_AFTER_MS - LIVE.KALSHI_DETERMINE_AFTER_MS);
    expect((await kalshiMarkets(sim, `event_ticker=${eventTicker}`)).map((m) => m.status)).toEqual([
      'finalized',
      'finalized',
      'finalized',
    ]);
    const kalshiOpen = (await kalshiMarkets(sim, 'status=open')).filter((m) => m.ticker.startsWith('KXLIVEHIGH'));
    expect(kalshiOpen).toHaveLength(LIVE.KALSHI_CONCURRENT * 3);
    expect(kalshiOpen.some((m) => m.ticker.startsWith(eventTicker))).toBe(false);
  });

  it('opens every kind of opportunity in the served books within the first minutes; news and wallet trades arrive', async () => {
    const sim = await live();
    const seen = new Set<string>();
    for (let t = 0; t < 180_000; t += 1_000) {
      for (const e of events(sim).filter((x) => x.t === t && x.type === 'open')) {
        if (e.type !== 'open') continue;
        const key = `${e.strategy}:${e.venue}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (key === 'single_platform:polymarket') {
          const [m] = await gamma(sim, `condition_ids=${e.ids[0] ?? ''}`);
          const [yes = '', no = ''] = JSON.parse(m?.clobTokenIds ?? '[]') as string[];
          expect((await bestAsk(sim, yes)) + (await bestAsk(sim, no))).toBeLessThanOrEqual(0.98);
        } else if (key === 'single_platform:kalshi') {
          const markets = await kalshiMarkets(sim, `tickers=${e.ids.join(',')}`);
          expect(markets.reduce((s, m) => s + Number(m.yes_ask_dollars), 0)).toBeLessThanOrEqual(0.93);
        } else {
          const [m] = await gamma(sim, `condition_ids=${e.ids[0] ?? ''}`);
          const [yes = '', no = ''] = JSON.parse(m?.clobTokenIds ?? '[]') as string[];
          const [k] = await kalshiMarkets(sim, `tickers=${e.ids[1] ?? ''}`);
          const cheapest =
            e.strategy === 'overlapping'
              ? Number(k?.yes_ask_dollars) + (await bestAsk(sim, no))
              : Math.min(
                  (await bestAsk(sim, yes)) + Number(k?.no_ask_dollars),
                  (await bestAsk(sim, no)) + Number(k?.yes_ask_dollars),
                );
          expect(cheapest, key).toBeLessThanOrEqual(0.96);
        }
      }
      sim.advance(1_000);
    }
    expect([...seen].sort()).toEqual([
      'cross_platform:polymarket+kalshi',
      'overlapping:polymarket+kalshi',
      'single_platform:kalshi',
      'single_platform:polymarket',
    ]);
    const wallet = events(sim).find((e) => e.type === 'wallet');
    expect(wallet).toBeDefined();
    const trades = await getJson<{ asset: string }[]>(
      sim,
      `/data-api/trades?user=${wallet?.type === 'wallet' ? wallet.wallet : ''}`,
    );
    expect(trades.length).toBeGreaterThan(0);
    const feeds = await Promise.all(
      ['fed', 'wire'].map(async (feed) => (await fetch(`${sim.origin}/news/${feed}/rss.xml`)).text()),
    );
    expect(feeds.join('').match(/<item>/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
  });

  it('never empties over a long horizon, the linked markets resolving after their lifetime', async () => {
    const sim = await live();
    for (let hour = 1; hour <= 6; hour++) {
      for (let m = 0; m < 60; m++) sim.advance(60_000);
      expect((await gamma(sim, 'closed=false')).length).toBeGreaterThanOrEqual(LIVE.PM_CONCURRENT);
      const kalshiOpen = await kalshiMarkets(sim, 'status=open');
      expect(kalshiOpen.length).toBeGreaterThanOrEqual(LIVE.KALSHI_CONCURRENT * 3);
    }
    const linked = await kalshiMarkets(sim, 'tickers=KXFEDCUT-27MAR-CUT');
    expect(linked[0]?.status).toBe('finalized');
    expect(sim.live?.stats()).toMatchObject({ polymarketOpen: LIVE.PM_CONCURRENT, linkedOpen: 0 });
  });
});
