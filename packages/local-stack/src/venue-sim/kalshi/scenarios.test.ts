// Scenario files and scenario time (resolutions) of the simulated Kalshi.
import { describe, expect, it } from 'vitest';
import { createKalshiSim, parseKalshiScenario, takerFeeCents } from './index.ts';
import { apis, errorOf, keyPair, loadScenario } from './sdk-test-helpers.ts';
import { serveVenue } from './test-server.ts';

describe('kalshi sim scenario time', () => {
  it('applies resolutions: market finalized with its result, winners paid $1 a contract, resting orders refunded', async () => {
    let now = 5_000;
    const scenario = {
      events: [
        {
          event_ticker: 'KXTEST-26JAN01',
          series_ticker: 'KXTEST',
          title: 'Test',
          mutually_exclusive: false,
          markets: [
            { ticker: 'KXTEST-26JAN01-A', title: 'A?', yes_sub_title: 'A', close_time: '2026-01-01T00:00:00Z', book: { yes: [['0.30', '100']], no: [['0.60', '100']] } },
          ],
        },
      ],
      resolutions: [{ at_ms: 1_000, ticker: 'KXTEST-26JAN01-A', result: 'yes' }],
    };
    const sim = createKalshiSim(scenario, { clock: () => now });
    const server = await serveVenue(sim);
    try {
      const keys = keyPair();
      sim.registerAccount('bob', keys.publicPem, 10_000);
      const { orders, portfolio, market } = apis(`${server.origin}/trade-api/v2`, 'bob', keys.privatePem);
      const base = { ticker: 'KXTEST-26JAN01-A', self_trade_prevention_type: 'taker_at_cross' as const };
      await orders.createOrderV2({ ...base, client_order_id: 'bob-0000001', side: 'bid', count: '10', price: '0.40', time_in_force: 'fill_or_kill' });
      await orders.createOrderV2({ ...base, client_order_id: 'bob-0000002', side: 'bid', count: '5', price: '0.20', time_in_force: 'good_till_canceled' });
      // 10 × 0.40 + fee ceil(0.07·10·0.4·0.6 = 0.168) = 4.17, plus 1.00 held for the resting bid
      expect((await portfolio.getBalance()).data.balance).toBe(10_000 - 417 - 100);
      now += 1_000;
      sim.advanceTo(now);
      const m = (await market.getMarket('KXTEST-26JAN01-A')).data.market;
      expect(m).toMatchObject({ status: 'finalized', result: 'yes', settlement_value_dollars: '1.0000' });
      expect((await portfolio.getBalance()).data.balance).toBe(10_000 - 417 + 1_000);
      expect((await orders.getOrders(undefined, undefined, undefined, undefined, 'resting')).data.orders).toEqual([]);
      const closed = await errorOf(
        orders.createOrderV2({ ...base, client_order_id: 'bob-0000003', side: 'bid', count: '1', price: '0.50', time_in_force: 'fill_or_kill' }),
      );
      expect(closed).toMatchObject({ status: 400, body: { error: { code: 'market_closed' } } });
    } finally {
      await server.close();
    }
  });
});

describe('kalshi scenarios', () => {
  const yesAskCents = (m: { book: { no: Array<[string, string]> } }): number => {
    const best = m.book.no.map(([p]) => Math.round(Number(p) * 100)).sort((a, b) => b - a)[0];
    return best === undefined ? 100 : 100 - best;
  };

  it('quiet: every mutually exclusive event costs more than $1 in YES asks', () => {
    const spec = parseKalshiScenario(loadScenario('quiet'));
    expect(spec.events.length).toBeGreaterThan(0);
    for (const e of spec.events) expect(e.markets.reduce((sum, m) => sum + yesAskCents(m), 0)).toBeGreaterThan(100);
  });

  it('arb-rich: the listed opportunity is there, with the stated profit after fees', () => {
    const spec = parseKalshiScenario(loadScenario('arb-rich'));
    const expected = spec.expected?.[0] as { event_ticker: string; contracts: number; expected_profit_dollars: string };
    const event = spec.events.find((e) => e.event_ticker === expected.event_ticker);
    if (!event) throw new Error('event of the expected opportunity missing');
    const n = expected.contracts * 100;
    let costCents = 0;
    for (const m of event.markets) {
      const p = yesAskCents(m);
      costCents += (p * n) / 100 + takerFeeCents(p, n);
    }
    expect(((expected.contracts * 100 - costCents) / 100).toFixed(2)).toBe(expected.expected_profit_dollars);
    expect(Number(expected.expected_profit_dollars)).toBeGreaterThan(0);
  });

  it('stress: ≥ 2,000 generated markets and ≥ 100 book updates per second of scenario time', () => {
    let t = 1_000;
    const sim = createKalshiSim(loadScenario('stress'), { clock: () => t });
    t += 10_000;
    sim.advanceTo(t);
    expect(sim.bookUpdates).toBeGreaterThanOrEqual(1_000);
  });

  it('rejects a malformed scenario with a clear error', () => {
    expect(() => createKalshiSim({ events: [{ event_ticker: 'X' }] }, { clock: () => 0 })).toThrow(/invalid kalshi scenario/);
  });
});
