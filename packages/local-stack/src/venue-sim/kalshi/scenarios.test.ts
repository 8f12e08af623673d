// Scenario files and scenario time (resolutions) of the simulated Kalshi.
import { describe, expect, it } from 'vitest';
import { createKalshiSim, parseKalshiScenario, takerFeeCents } from './index.ts';
import { apis, errorOf, keyPair, loadScenario, oneMarketScenario } from '../../../testing/kalshi-sdk.ts';
import { serveVenue } from '../../../testing/venue-server.ts';

describe('kalshi sim scenario time', () => {
  it('applies resolutions: market finalized with its result, winners paid $1 a contract, resting orders refunded', async () => {
    let now = 5_000;
    const scenario = {
      ...oneMarketScenario({ yes: [['0.30', '100']], no: [['0.60', '100']] }),
      resolutions: [{ at_ms: 1_000, ticker: 'KXTEST-26JAN01-A', result: 'yes' }],
    };
    const sim = createKalshiSim(scenario, { clock: () => now });
    const server = await serveVenue(sim);
    try {
      const keys = keyPair();
      sim.registerAccount('bob', keys.publicPem, 10_000);
      const { orders, portfolio, market } = apis(`${server.origin}/trade-api/v2`, 'bob', keys.privatePem);
      const base = { ticker: 'KXTEST-26JAN01-A', self_trade_prevention_type: 'taker_at_cross' as const };
      await orders.createOrderV2({
        ...base,
        client_order_id: 'bob-0000001',
        side: 'bid',
        count: '10',
        price: '0.40',
        time_in_force: 'fill_or_kill',
      });
      await orders.createOrderV2({
        ...base,
        client_order_id: 'bob-0000002',
        side: 'bid',
        count: '5',
        price: '0.20',
        time_in_force: 'good_till_canceled',
      });
      // 10 × 0.40 + fee ceil(0.07·10·0.4·0.6 = 0.168) = 4.17, plus 1.00 held for the resting bid
      expect((await portfolio.getBalance()).data.balance).toBe(10_000 - 417 - 100);
      now += 1_000;
      sim.advanceTo(now);
      const m = (await market.getMarket('KXTEST-26JAN01-A')).data.market;
      expect(m).toMatchObject({ status: 'finalized', result: 'yes', settlement_value_dollars: '1.0000' });
      expect((await portfolio.getBalance()).data.balance).toBe(10_000 - 417 + 1_000);
      expect((await orders.getOrders(undefined, undefined, undefined, undefined, 'resting')).data.orders).toEqual([]);
      const closed = await errorOf(
        orders.createOrderV2({
          ...base,
          client_order_id: 'bob-0000003',
          side: 'bid',
          count: '1',
          price: '0.50',
          time_in_force: 'fill_or_kill',
        }),
      );
      expect(closed).toMatchObject({ status: 400, body: { error: { code: 'market_closed' } } });
    } finally {
      await server.close();
    }
  });
});

describe('kalshi scenarios', () => {
  type Market = { ticker: string; book: { yes: Array<[string, string]>; no: Array<[string, string]> } };
  /** YES asks, best first, in cents: a YES ask is 1 − a NO bid. */
  const yesAsksCents = (m: Market): { price: number; size: number }[] =>
    m.book.no
      .map(([p, s]) => ({ price: 100 - Math.round(Number(p) * 100), size: Number(s) }))
      .sort((a, b) => a.price - b.price);
  const yesAskCents = (m: Market): number => yesAsksCents(m)[0]?.price ?? 100;
  /** Best NO ask in cents (1 − the best YES bid); undefined when nobody bids YES, so NO cannot be bought at all. */
  const noAskCents = (m: Market): number | undefined => {
    const best = m.book.yes.map(([p]) => Math.round(Number(p) * 100)).sort((a, b) => b - a)[0];
    return best === undefined ? undefined : 100 - best;
  };

  it('quiet: every mutually exclusive event costs more than $1 in YES asks', () => {
    const spec = parseKalshiScenario(loadScenario('quiet'));
    expect(spec.events.length).toBeGreaterThan(0);
    for (const e of spec.events) expect(e.markets.reduce((sum, m) => sum + yesAskCents(m), 0)).toBeGreaterThan(100);
  });

  // NO on every market of a mutually exclusive event pays n − 1 (exactly one market resolves YES). Before fees
  // (which only add) the best NO asks must already cost that much; asks only get dearer behind them. arb-rich lists
  // no such basket either, so it must not hold one.
  it.each(['quiet', 'arb-rich'])(
    '%s: NO on every market of a mutually exclusive event costs at least n − 1 dollars',
    (name) => {
      const spec = parseKalshiScenario(loadScenario(name));
      let checked = 0;
      for (const e of spec.events.filter((ev) => ev.mutually_exclusive)) {
        const asks = e.markets.map(noAskCents);
        // A market nobody bids YES on has no NO ask: the basket cannot be bought (arb-rich's H26).
        if (asks.some((a) => a === undefined)) continue;
        const sum = asks.reduce<number>((s, a) => s + (a ?? 0), 0);
        expect(sum, e.event_ticker).toBeGreaterThanOrEqual((e.markets.length - 1) * 100);
        checked += 1;
      }
      expect(checked).toBeGreaterThan(0);
    },
  );

  it('arb-rich: the listed opportunity is there, with the stated cost, fees and profit, and exactly as big as listed', () => {
    const spec = parseKalshiScenario(loadScenario('arb-rich'));
    const expected = spec.expected?.[0] as {
      event_ticker: string;
      contracts: number;
      cost_dollars: string;
      fees_dollars: string;
      payout_dollars: string;
      expected_profit_dollars: string;
    };
    const event = spec.events.find((e) => e.event_ticker === expected.event_ticker);
    if (!event) throw new Error('event of the expected opportunity missing');
    const n = expected.contracts * 100;
    let notionalCents = 0;
    let feeCents = 0;
    // One more set at the levels behind the listed ones: its cost per contract incl. the marginal fee 0.07·p(1−p).
    let nextSetDollars = 0;
    for (const m of event.markets) {
      const [best, next] = yesAsksCents(m);
      if (!best) throw new Error(`${m.ticker}: no YES ask`);
      // Every market's best level holds the whole basket, and no more than it: the next set comes from `next`.
      expect(best.size, m.ticker).toBe(expected.contracts);
      notionalCents += (best.price * n) / 100;
      feeCents += takerFeeCents(best.price, n);
      // An exhausted book sells no further set at all.
      const p = next === undefined ? undefined : next.price / 100;
      nextSetDollars += p === undefined ? Infinity : p + 0.07 * p * (1 - p);
    }
    expect((notionalCents / 100).toFixed(2)).toBe(expected.cost_dollars);
    expect((feeCents / 100).toFixed(2)).toBe(expected.fees_dollars);
    expect(expected.payout_dollars).toBe(expected.contracts.toFixed(2));
    expect(((n - notionalCents - feeCents) / 100).toFixed(2)).toBe(expected.expected_profit_dollars);
    expect(Number(expected.expected_profit_dollars)).toBeGreaterThan(0);
    expect(nextSetDollars).toBeGreaterThanOrEqual(1);
  });

  it('stress: ≥ 2,000 generated markets and ≥ 100 book updates per second of scenario time', () => {
    let t = 1_000;
    const sim = createKalshiSim(loadScenario('stress'), { clock: () => t });
    t += 10_000;
    sim.advanceTo(t);
    expect(sim.bookUpdates).toBeGreaterThanOrEqual(1_000);
  });

  it('rejects a malformed scenario with a clear error', () => {
    expect(() => createKalshiSim({ events: [{ event_ticker: 'X' }] }, { clock: () => 0 })).toThrow(
      /invalid kalshi scenario/,
    );
  });
});
