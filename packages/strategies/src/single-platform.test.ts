import { describe, expect, it } from 'vitest';
import type { OrderBook } from '@polybot/schemas';
import { singlePlatformArbitrage } from './arbitrage.ts';
import { evaluateBasket } from './basket.ts';
import { singlePlatformPlans } from './plans.ts';
import { NOW, book, instrument, loadFedDecision, snapshot } from '../test/helpers.ts';
import type { ArbParams } from './types.ts';

const params: ArbParams = { minProfitPct: 0, maxTradeSizeUsd: 1000, maxBookAgeMs: 10_000 };
const yes = instrument({ instrumentId: 'Y', marketId: 'C1', complementId: 'N' });
const no = instrument({ instrumentId: 'N', marketId: 'C1', side: 'no', complementId: 'Y', outcome: 'No' });

describe('Polymarket binary YES+NO', () => {
  const books = [
    book('Y', [
      [0.45, 100],
      [0.47, 100],
    ]),
    book('N', [
      [0.5, 60],
      [0.52, 200],
    ]),
  ];

  it('walks depth to the profit-maximizing size (200) and reports VWAPs, limits, cost and profit', () => {
    // Segments: 60 @ 0.45+0.50 (+0.05 each), 40 @ 0.45+0.52 (+0.03), 100 @ 0.47+0.52 (+0.01); then YES is exhausted.
    // profit = 60×0.05 + 40×0.03 + 100×0.01 = 5.2; cost = 200 − 5.2 = 194.8
    const [opp, ...rest] = singlePlatformArbitrage(snapshot([yes, no], books), params, NOW);
    expect(rest).toHaveLength(0);
    expect(opp?.strategy).toBe('single_platform');
    expect(opp?.legs).toHaveLength(2);
    const [ly, ln] = opp?.legs ?? [];
    expect(ly).toMatchObject({ instrumentId: 'Y', size: 200, limitPrice: 0.47, fee: 0 });
    expect(ly?.vwap).toBeCloseTo((45 + 47) / 200, 12);
    expect(ln).toMatchObject({ instrumentId: 'N', size: 200, limitPrice: 0.52 });
    expect(ln?.vwap).toBeCloseTo((30 + 72.8) / 200, 12);
    expect(opp?.cost).toBeCloseTo(194.8, 9);
    expect(opp?.expectedProfit).toBeCloseTo(5.2, 9);
    expect(opp?.profitPct).toBeCloseTo((5.2 / 194.8) * 100, 9);
  });

  it('caps the size by maxTradeSizeUsd: $57 buys exactly the first 60 sets at 0.95', () => {
    const [opp] = singlePlatformArbitrage(snapshot([yes, no], books), { ...params, maxTradeSizeUsd: 57 }, NOW);
    expect(opp?.legs[0]?.size).toBe(60);
    expect(opp?.cost).toBeCloseTo(57, 9);
    expect(opp?.expectedProfit).toBeCloseTo(3, 9);
  });

  it('keeps profit exactly at the threshold: 100 sets at 0.40+0.40 → 20 on 80 = 25%', () => {
    const s = snapshot([yes, no], [book('Y', [[0.4, 100]]), book('N', [[0.4, 100]])]);
    const [opp] = singlePlatformArbitrage(s, { ...params, minProfitPct: 25 }, NOW);
    expect(opp?.cost).toBe(80);
    expect(opp?.expectedProfit).toBe(20);
    expect(opp?.profitPct).toBe(25);
    expect(singlePlatformArbitrage(s, { ...params, minProfitPct: 25.01 }, NOW)).toEqual([]);
  });

  it('fees turn a gross arb into a loss: 0.49+0.50 = 0.99 but fees 0.012495+0.0125 per set', () => {
    // 100 sets: 99 + 1.2495 + 1.25 = 101.4995 > 100 payout.
    const s = snapshot([yes, no], [book('Y', [[0.49, 100]]), book('N', [[0.5, 100]])], {
      type: 'polymarket',
      rate: 0.05,
      exponent: 1,
      takerOnly: true,
      rebateRate: 0,
    });
    expect(singlePlatformArbitrage(s, params, NOW)).toEqual([]);
    const [plan] = singlePlatformPlans(s.instruments);
    expect(plan && evaluateBasket(plan, s, params, NOW)).toEqual({ ok: false, reason: 'no_edge' });
    // Without fees the same books are an arb of 1 on 99.
    const [gross] = singlePlatformArbitrage({ ...s, fees: () => ({ type: 'none' }) }, params, NOW);
    expect(gross?.expectedProfit).toBeCloseTo(1, 9);
  });

  it('drops an arb whose depth is below the venue minimum (3 < 5 shares)', () => {
    const s = snapshot([yes, no], [book('Y', [[0.4, 3]]), book('N', [[0.4, 100]])]);
    expect(singlePlatformArbitrage(s, params, NOW)).toEqual([]);
    const [plan] = singlePlatformPlans(s.instruments);
    expect(plan && evaluateBasket(plan, s, params, NOW)).toEqual({ ok: false, reason: 'below_min_size' });
  });

  it('trades the venue minimum when the best size is below it but the minimum still pays: 5 sets for 4.94', () => {
    // Best size is 3 (0.40 + 0.50 = 0.90; the next YES level 0.62 + 0.50 = 1.12 loses), below the 5-share minimum.
    // At 5: 3×0.40 + 2×0.62 + 5×0.50 = 4.94 → profit 0.06 (1.2146 %).
    const s = snapshot(
      [yes, no],
      [
        book('Y', [
          [0.4, 3],
          [0.62, 100],
        ]),
        book('N', [[0.5, 100]]),
      ],
    );
    const [opp] = singlePlatformArbitrage(s, params, NOW);
    expect(opp?.legs.map((l) => [l.size, l.limitPrice])).toEqual([
      [5, 0.62],
      [5, 0.5],
    ]);
    expect(opp?.cost).toBeCloseTo(4.94, 9);
    expect(opp?.expectedProfit).toBeCloseTo(0.06, 9);
    expect(singlePlatformArbitrage(s, { ...params, minProfitPct: 2 }, NOW)).toEqual([]);
  });

  it('ignores a stale book (older than maxBookAgeMs), keeps one exactly at the limit', () => {
    const at = (ts: number): OrderBook[] => [book('Y', [[0.4, 100]], [], ts), book('N', [[0.4, 100]])];
    expect(singlePlatformArbitrage(snapshot([yes, no], at(NOW - 10_001)), params, NOW)).toEqual([]);
    expect(singlePlatformArbitrage(snapshot([yes, no], at(NOW - 10_000)), params, NOW)).toHaveLength(1);
  });

  it('needs both books', () => {
    expect(singlePlatformArbitrage(snapshot([yes, no], [book('Y', [[0.4, 100]])]), params, NOW)).toEqual([]);
  });
});

describe('Kalshi mutually exclusive event', () => {
  const tickers = ['KXFED-26JUN-H0', 'KXFED-26JUN-C25', 'KXFED-26JUN-C50'];
  const ins = tickers.map((t) =>
    instrument({
      venue: 'kalshi',
      instrumentId: `${t}:yes`,
      marketId: t,
      eventId: 'KXFED-26JUN',
      mutuallyExclusive: true,
    }),
  );

  it('buys YES of every market: 10 × (0.30 ×3) + 3 × ceil(0.07×10×0.3×0.7 ×100)/100 = 9 + 0.45', () => {
    const books = tickers.map((t) =>
      book(
        `${t}:yes`,
        [
          [0.3, 10],
          [0.5, 100],
        ],
        [],
        NOW,
        'kalshi',
      ),
    );
    const [opp] = singlePlatformArbitrage(snapshot(ins, books, { type: 'quadratic', takerRate: 0.07 }), params, NOW);
    expect(opp?.legs.map((l) => [l.instrumentId, l.size, l.vwap, l.limitPrice, l.fee])).toEqual(
      [...tickers].sort().map((t) => [`${t}:yes`, 10, 0.3, 0.3, 0.15]),
    );
    expect(opp?.cost).toBeCloseTo(9.45, 9);
    expect(opp?.expectedProfit).toBeCloseTo(0.55, 9);
  });

  it('buys NO of every market when they sum below n − 1: 100 × (0.60 + 0.65 + 0.70) = 195 for a payout of 200', () => {
    const nos = tickers.map((t) =>
      instrument({
        venue: 'kalshi',
        instrumentId: `${t}:no`,
        marketId: t,
        eventId: 'KXFED-26JUN',
        side: 'no',
        mutuallyExclusive: true,
      }),
    );
    const prices = [0.6, 0.65, 0.7];
    const books = tickers.flatMap((t, k) => [
      book(`${t}:yes`, [[0.5, 100]], [], NOW, 'kalshi'),
      book(`${t}:no`, [[prices[k] ?? 0.99, 100]], [], NOW, 'kalshi'),
    ]);
    const [opp, ...rest] = singlePlatformArbitrage(snapshot([...ins, ...nos], books), params, NOW);
    expect(rest).toEqual([]); // YES side: 1.50 per set, no arb
    expect(opp?.id.startsWith('single:event-no:kalshi|KXFED-26JUN@')).toBe(true);
    expect(opp?.legs.map((l) => l.size)).toEqual([100, 100, 100]);
    expect(opp?.cost).toBeCloseTo(195, 9);
    expect(opp?.expectedProfit).toBeCloseTo(5, 9);
  });

  it('an event with one market missing its book is skipped (exhaustiveness cannot be assumed)', () => {
    const books = tickers.slice(0, 2).map((t) => book(`${t}:yes`, [[0.3, 10]], [], NOW, 'kalshi'));
    expect(singlePlatformArbitrage(snapshot(ins, books), params, NOW)).toEqual([]);
  });
});

describe('Polymarket neg-risk event from the recorded Fed-decision books', () => {
  const fed = loadFedDecision();
  const nowMs = 1_778_997_973_345; // newest book in the recording
  const p: ArbParams = { minProfitPct: 0, maxTradeSizeUsd: 990, maxBookAgeMs: 600_000 };

  it('as recorded, YES asks sum to 0.006+0.007+0.007+0.981+0.003 = 1.004: no arbitrage', () => {
    expect(singlePlatformArbitrage(snapshot(fed.instruments, fed.books, fed.fees), p, nowMs)).toEqual([]);
  });

  it('with "No change" YES asks 1¢ lower the 5-leg basket is found, sized by the $990 budget', () => {
    const noChangeYes = '30767812841387255642892182147223249245545002662653079696958384408588201824258';
    const books = fed.books.map((b) =>
      b.instrumentId === noChangeYes
        ? { ...b, asks: b.asks.map((l) => ({ ...l, price: Math.round((l.price - 0.01) * 1000) / 1000 })) }
        : b,
    );
    const found = singlePlatformArbitrage(snapshot(fed.instruments, books, fed.fees), p, nowMs).filter((o) =>
      o.id.startsWith('single:event:'),
    );
    expect(found).toHaveLength(1);
    const opp = found[0];
    // Unit cost = 0.994 + fees 0.05×p×(1−p) summed (0.0025508) = 0.9965508 → 990 / 0.9965508 = 993.4265 → 993.42.
    expect(opp?.legs.map((l) => l.size)).toEqual([993.42, 993.42, 993.42, 993.42, 993.42]);
    expect(opp?.legs.map((l) => l.limitPrice).sort()).toEqual([0.003, 0.006, 0.007, 0.007, 0.971]);
    // Fees floored to 5 decimals per leg: 0.29623 + 0.34526 + 0.34526 + 1.39868 + 0.14856 = 2.53399
    expect(opp?.legs.reduce((s, l) => s + l.fee, 0)).toBeCloseTo(2.53399, 9);
    // cost = 993.42 × 0.994 + 2.53399 = 989.99347; profit = 993.42 − 989.99347 = 3.42653
    expect(opp?.cost).toBeCloseTo(989.99347, 6);
    expect(opp?.expectedProfit).toBeCloseTo(3.42653, 6);
  });
});
