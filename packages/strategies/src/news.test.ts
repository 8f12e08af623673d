import { describe, expect, it } from 'vitest';
import { containsKeyword, newsSignals } from './news.ts';
import type { NewsItem, NewsRule } from './news.ts';
import { NOW, book, instrument, snapshot } from '../test/helpers.ts';
import type { ArbParams } from './types.ts';

const params: ArbParams = { minProfitPct: 0, maxTradeSizeUsd: 1000, maxBookAgeMs: 10_000 };
const fees = { type: 'polymarket', rate: 0.05, exponent: 1, takerOnly: true, rebateRate: 0 } as const;
const cutYes = instrument({ instrumentId: 'FED-CUT-Y', marketId: 'FED-CUT', title: 'Fed cuts in June' });
const s = snapshot(
  [cutYes],
  [
    book('FED-CUT-Y', [
      [0.3, 50],
      [0.35, 100],
      [0.5, 100],
    ]),
  ],
  fees,
);
const rule: NewsRule = {
  id: 'r1',
  feed: 'reuters',
  keywords: ['rate cut', 'Powell'],
  instrumentId: 'FED-CUT-Y',
  maxPrice: 0.4,
  confidence: 0.6,
  windowMs: 60_000,
};
const item: NewsItem = {
  id: 'n1',
  feed: 'reuters',
  headline: 'Powell signals rate cut in June',
  body: '',
  publishedAtMs: NOW - 10_000,
};

describe('newsSignals', () => {
  it('buys up to maxPrice while confidence beats price + fee: 150 for 50 + fees 0.525 + 1.1375', () => {
    // 50×0.30 + 100×0.35 = 50; fees 50×0.05×0.3×0.7 = 0.525, 100×0.05×0.35×0.65 = 1.1375; the 0.50 level is above maxPrice.
    // expectedProfit = 150 × 0.6 − 51.6625 = 38.3375
    const [opp, ...rest] = newsSignals({ snapshot: s, rules: [rule], items: [item] }, params, NOW);
    expect(rest).toEqual([]);
    expect(opp?.id).toBe('news:r1:n1');
    expect(opp?.strategy).toBe('news');
    expect(opp?.legs).toHaveLength(1);
    expect(opp?.legs[0]).toMatchObject({ instrumentId: 'FED-CUT-Y', size: 150, limitPrice: 0.35 });
    expect(opp?.cost).toBeCloseTo(51.6625, 9);
    expect(opp?.expectedProfit).toBeCloseTo(38.3375, 9);
  });

  it('respects the rule budget: $20.50 → 50 @ 0.30 + 13.76 @ 0.35, cost 20.49752, expected 17.75848', () => {
    // unit cost 0.3105 for 50 (15.525), then 0.361375: 4.975 / 0.361375 = 13.7668 → 13.76; fee 13.76×0.011375 = 0.15652
    const [opp] = newsSignals({ snapshot: s, rules: [{ ...rule, maxSizeUsd: 20.5 }], items: [item] }, params, NOW);
    expect(opp?.legs[0]?.size).toBe(63.76);
    expect(opp?.cost).toBeCloseTo(20.49752, 9);
    expect(opp?.expectedProfit).toBeCloseTo(63.76 * 0.6 - 20.49752, 9);
  });

  it('no signal: wrong feed, outside the window, future item, already seen, stale book, no edge at the price', () => {
    const run = (r: NewsRule, i: NewsItem, extra: Partial<Parameters<typeof newsSignals>[0]> = {}) =>
      newsSignals({ snapshot: s, rules: [r], items: [i], ...extra }, params, NOW);
    expect(run(rule, { ...item, feed: 'bloomberg' })).toEqual([]);
    expect(run(rule, { ...item, publishedAtMs: NOW - 60_001 })).toEqual([]);
    expect(run(rule, { ...item, publishedAtMs: NOW + 1 })).toEqual([]);
    expect(run({ ...rule, windowMs: undefined, windowStartMs: NOW - 5_000, windowEndMs: NOW }, item)).toEqual([]);
    expect(run(rule, item, { seenKeys: new Set(['r1:n1']) })).toEqual([]);
    expect(
      newsSignals(
        {
          snapshot: { ...s, books: new Map([['FED-CUT-Y', book('FED-CUT-Y', [[0.3, 50]], [], NOW - 10_001)]]) },
          rules: [rule],
          items: [item],
        },
        params,
        NOW,
      ),
    ).toEqual([]);
    // confidence 0.30 cannot pay for 0.30 + fee
    expect(run({ ...rule, confidence: 0.3 }, item)).toEqual([]);
  });

  it('matches whole words/phrases, any or all keywords, and picks the newest matching item', () => {
    expect(containsKeyword('POWELL says', 'powell')).toBe(true);
    expect(containsKeyword('Powellism rises', 'Powell')).toBe(false);
    expect(containsKeyword('a rate  cut soon', 'rate cut')).toBe(true);
    expect(containsKeyword('rate cuts ahead', 'rate cut')).toBe(false);
    const onlyPowell = { ...item, headline: 'Powell speaks' };
    expect(newsSignals({ snapshot: s, rules: [{ ...rule, match: 'all' }], items: [onlyPowell] }, params, NOW)).toEqual(
      [],
    );
    expect(newsSignals({ snapshot: s, rules: [rule], items: [onlyPowell] }, params, NOW)).toHaveLength(1);
    const newer = { ...item, id: 'n2', publishedAtMs: NOW - 1_000 };
    expect(newsSignals({ snapshot: s, rules: [rule], items: [item, newer] }, params, NOW)[0]?.id).toBe('news:r1:n2');
  });

  it('targets by market id + side as well as by instrument id', () => {
    const byMarket: NewsRule = { ...rule, instrumentId: undefined, marketId: 'FED-CUT', side: 'yes' };
    expect(newsSignals({ snapshot: s, rules: [byMarket], items: [item] }, params, NOW)[0]?.legs[0]?.instrumentId).toBe(
      'FED-CUT-Y',
    );
  });
});
