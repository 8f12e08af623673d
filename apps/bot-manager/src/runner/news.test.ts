// The runner's news handling against the real strategy: rule mapping and gating, an item met before its book is priced
// when the book arrives, a (rule, item) acted on is never signalled again (nor one booked before a restart), and a book
// moving with nothing unseen to act on costs no pricing; each item's text is prepared once, however many rules and
// book updates.
import { NO_FEES, type OrderBook } from '@polybot/schemas';
import { prepareText, type MarketSnapshot } from '@polybot/strategies';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { NewsItemMessage, RunnerConfig } from '../shared/ipc.ts';
import { NewsTrader, newsEnabled, seenKeyOf, strategyRules } from './news.ts';
import { FED_CUTS_YES as yes } from '../../test/instruments.ts';

const log = pino({ level: 'silent' });
const instruments = new Map([[yes.instrumentId, yes]]);
const rule = {
  id: 'r1',
  feed: 'fed',
  keywords: ['rate cut'],
  venue: 'polymarket' as const,
  instrumentId: 'tok-yes',
  side: 'yes' as const,
  maxPrice: 0.3,
  confidence: 0.6,
  maxSizeUsd: 10,
  windowMinutes: 5,
};
const config = {
  enable_news_arbitrage: true,
  enable_polymarket: true,
  enable_kalshi: false,
  news_rules: [rule],
} as RunnerConfig;
const features = {
  single_platform: true,
  cross_platform: true,
  overlapping_arb: true,
  news_arbitrage: true,
  copy_trading: true,
};
const params = { minProfitPct: 0.1, maxTradeSizeUsd: 100, maxBookAgeMs: 60_000 };
const book = (now: number, ask: number): OrderBook => ({
  venue: 'polymarket',
  instrumentId: 'tok-yes',
  bids: [],
  asks: [{ price: ask, size: 100 }],
  timestampMs: now,
  seq: 1,
});
const item = (now: number, over: Partial<NewsItemMessage> = {}): NewsItemMessage => ({
  id: 'i1',
  feed: 'fed',
  headline: 'Fed signals a rate cut',
  body: '',
  publishedAtMs: now - 1000,
  ...over,
});

describe('news rules in the runner', () => {
  it('is on only with the config toggle AND the plan feature; rules on a disabled venue or a mismatched instrument are left out, each with its reason', () => {
    expect(newsEnabled(config, features)).toBe(true);
    expect(newsEnabled({ ...config, enable_news_arbitrage: false }, features)).toBe(false);
    expect(newsEnabled(config, { ...features, news_arbitrage: false })).toBe(false);
    expect(strategyRules(config, instruments, log)).toEqual({
      rules: [
        {
          id: 'r1',
          feed: 'fed',
          keywords: ['rate cut'],
          instrumentId: 'tok-yes',
          side: 'yes',
          maxPrice: 0.3,
          confidence: 0.6,
          maxSizeUsd: 10,
          windowMs: 300_000,
        },
      ],
      ignored: [],
    });
    const ignored = (c: Partial<RunnerConfig>): unknown => strategyRules({ ...config, ...c }, instruments, log);
    expect(ignored({ enable_polymarket: false })).toEqual({
      rules: [],
      ignored: [{ ruleId: 'r1', reason: 'Polymarket is switched off in your config' }],
    });
    expect(ignored({ news_rules: [{ ...rule, side: 'no' }] })).toEqual({
      rules: [],
      ignored: [{ ruleId: 'r1', reason: 'its instrument is the YES token but the rule buys NO' }],
    });
    expect(ignored({ news_rules: [{ ...rule, venue: 'kalshi' }], enable_kalshi: true })).toEqual({
      rules: [],
      ignored: [{ ruleId: 'r1', reason: 'instrument tok-yes is a Polymarket market, not a Kalshi one' }],
    });
    expect(ignored({ news_rules: [{ ...rule, venue: 'kalshi' }] })).toEqual({
      rules: [],
      ignored: [{ ruleId: 'r1', reason: 'Kalshi is switched off in your config' }],
    });
    expect(
      ignored({
        news_rules: [
          { ...rule, instrumentId: '65193234666628291664907888364936366210889305490897648116746073820519263548476' },
        ],
      }),
    ).toEqual({
      rules: [],
      ignored: [{ ruleId: 'r1', reason: 'instrument 651932346666… is not a listed Polymarket market' }],
    });
  });

  it('an item met before its book is priced when the book arrives; once acted on, never again', () => {
    const now = Date.now();
    const books = new Map<string, OrderBook>();
    const snapshot: MarketSnapshot = { instruments, books, fees: () => NO_FEES };
    const news = new NewsTrader([]);
    news.setRules(strategyRules(config, instruments, log));
    news.push(item(now));
    expect(news.pending).toBe(true);
    expect(news.signals(snapshot, params, now)).toEqual([]);
    expect(news.pending).toBe(false);

    books.set('tok-yes', book(now, 0.2));
    news.onBook('tok-yes', now);
    expect(news.pending).toBe(true);
    const [signal, ...rest] = news.signals(snapshot, params, now);
    expect(rest).toEqual([]);
    expect(signal).toMatchObject({ id: 'news:r1:i1', strategy: 'news' });
    expect(signal?.legs[0]).toMatchObject({ instrumentId: 'tok-yes', limitPrice: 0.2 });
    expect(seenKeyOf(signal?.id ?? '')).toBe('r1:i1');

    news.acted(signal?.id ?? '');
    news.onBook('tok-yes', now);
    expect(news.pending).toBe(false);
    expect(news.signals(snapshot, params, now)).toEqual([]);
    // A book of an instrument no rule watches never asks for pricing.
    news.push(item(now, { id: 'i2', headline: 'weather' }));
    news.signals(snapshot, params, now);
    news.onBook('other', now);
    expect(news.pending).toBe(false);
  });

  it('a (rule, item) booked before a restart is skipped; an ask above maxPrice or an item outside the window gives nothing', () => {
    const now = Date.now();
    const snapshot: MarketSnapshot = {
      instruments,
      books: new Map([['tok-yes', book(now, 0.2)]]),
      fees: () => NO_FEES,
    };
    const restarted = new NewsTrader(['r1:i1']);
    restarted.setRules(strategyRules(config, instruments, log));
    restarted.push(item(now));
    expect(restarted.signals(snapshot, params, now)).toEqual([]);

    const fresh = new NewsTrader([]);
    fresh.setRules(strategyRules(config, instruments, log));
    fresh.push(item(now, { id: 'old', publishedAtMs: now - 6 * 60_000 }));
    expect(fresh.signals(snapshot, params, now)).toEqual([]);
    fresh.push(item(now));
    const dear: MarketSnapshot = { ...snapshot, books: new Map([['tok-yes', book(now, 0.35)]]) };
    expect(fresh.signals(dear, params, now)).toEqual([]);
    expect(fresh.signals(snapshot, params, now).map((o) => o.id)).toEqual(['news:r1:i1']);
  });

  it('prepares each item once, when it arrives: not per rule, not per book update (50 never-matching rules × 40 items × 100 updates)', () => {
    const now = Date.now();
    const books = new Map<string, OrderBook>([['tok-yes', book(now, 0.2)]]);
    const snapshot: MarketSnapshot = { instruments, books, fees: () => NO_FEES };
    let prepared = 0;
    const news = new NewsTrader([], {
      prepare: (i) => {
        prepared++;
        return prepareText(i);
      },
    });
    const rules = Array.from({ length: 50 }, (_, r) => ({
      ...rule,
      id: `r${r}`,
      keywords: [`never${r}`, `no such ${r}`],
    }));
    news.setRules(strategyRules({ ...config, news_rules: rules }, instruments, log));
    for (let i = 0; i < 40; i++) {
      news.push(item(now, { id: `i${i}`, headline: `markets wait for the Fed, take ${i}` }));
      expect(news.signals(snapshot, params, now)).toEqual([]);
    }
    for (let u = 0; u < 100; u++) {
      news.onBook('tok-yes', now);
      expect(news.pending).toBe(false);
    }
    // A rule change matches the kept items again, from the text prepared when they came.
    news.setRules(strategyRules(config, instruments, log));
    news.push(item(now, { id: 'cut', headline: 'Fed signals a rate cut' }));
    expect(news.signals(snapshot, params, now).map((o) => o.id)).toEqual(['news:r1:cut']);
    expect(prepared).toBe(41);
  });
});
