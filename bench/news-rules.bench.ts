// What a user's news rules cost their runner (issue 14 item 7). Run from the repo root:
//   npm run bench:news-rules -- [rules=50] [items=1000] [updates=200]
// One runner's NewsTrader (apps/bot-manager/src/runner/news.ts) with `rules` rules that never match (the worst case: a
// matching (rule, item) is acted on once and then skipped) on one feed, all watching the one instrument whose book
// moves, and `items` items inside every rule's window. Prints the CPU time (process.cpuUsage, user + system) of
// - a book update of the watched instrument: `onBook`, then `signals` when it asked for pricing (as runner.ts does);
// - an item arriving: `push` + `signals` (the runner prices at once).
// Numbers: docs/PERFORMANCE.md, "News rules".
import { NewsTrader } from '@polybot/bot-manager/news';
import { NO_FEES, type Instrument, type OrderBook } from '@polybot/schemas';
import type { MarketSnapshot } from '@polybot/strategies';
import { runMain } from './run-main.ts';

const [rulesN = 50, itemsN = 1000, updates = 200] = process.argv.slice(2).map(Number);

const WORDS =
  'the fed said on tuesday that inflation had eased while markets rallied and bond yields fell as investors weighed jobs data from the labor department ahead of the central bank meeting next week analysts expect'.split(
    ' ',
  );
let seed = 7;
const rand = (n: number): number => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed % n;
};
const sentence = (n: number): string => Array.from({ length: n }, () => WORDS[rand(WORDS.length)]).join(' ');

const INSTRUMENT = 'tok-yes';
const instrument: Instrument = {
  venue: 'polymarket',
  instrumentId: INSTRUMENT,
  marketId: 'm1',
  eventId: null,
  side: 'yes',
  complementId: null,
  title: 'Will it happen?',
  outcome: 'Yes',
  mutuallyExclusive: false,
  tickSize: 0.01,
  minOrderSize: 5,
  closeTime: null,
  active: true,
};

const cpuMs = (f: () => void): number => {
  const before = process.cpuUsage();
  f();
  const d = process.cpuUsage(before);
  return (d.user + d.system) / 1000;
};

runMain(async () => {
  const now = Date.now();
  const book = (seq: number): OrderBook => ({
    venue: 'polymarket',
    instrumentId: INSTRUMENT,
    bids: [{ price: 0.4, size: 100 }],
    asks: [{ price: 0.45 + (seq % 5) / 100, size: 100 }],
    timestampMs: now,
    seq,
  });
  const books = new Map([[INSTRUMENT, book(0)]]);
  const snapshot: MarketSnapshot = {
    instruments: new Map([[INSTRUMENT, instrument]]),
    books,
    fees: () => NO_FEES,
  };
  const params = { minProfitPct: 0.1, maxTradeSizeUsd: 100, maxBookAgeMs: 60_000 };
  const trader = new NewsTrader([]);
  trader.setRules({
    // Keywords no item contains: single words (a word-set lookup) and phrases (a regex scan).
    rules: Array.from({ length: rulesN }, (_, r) => ({
      id: `r${r}`,
      feed: 'wire',
      keywords: [`zzword${r}`, `no such phrase ${r}`, `quux${r} corp`],
      instrumentId: INSTRUMENT,
      side: 'yes' as const,
      maxPrice: 0.5,
      confidence: 0.6,
      windowMs: 24 * 3_600_000,
    })),
    ignored: [],
  });
  for (let i = 0; i < itemsN; i++)
    trader.push({
      id: `i${i}`,
      feed: 'wire',
      headline: sentence(12),
      body: sentence(80),
      publishedAtMs: now - 60_000 + i,
    });
  trader.signals(snapshot, params, now);

  let bookMs = 0;
  for (let u = 1; u <= updates; u++) {
    books.set(INSTRUMENT, book(u));
    bookMs += cpuMs(() => {
      trader.onBook(INSTRUMENT, now);
      if (trader.pending) trader.signals(snapshot, params, now);
    });
  }
  const arrivals = Math.max(1, Math.floor(updates / 10));
  let itemMs = 0;
  for (let i = 0; i < arrivals; i++) {
    const item = { id: `new${i}`, feed: 'wire', headline: sentence(12), body: sentence(80), publishedAtMs: now };
    itemMs += cpuMs(() => {
      trader.push(item);
      trader.signals(snapshot, params, now);
    });
  }
  console.log(`news rules: ${rulesN} never-matching rules × ${itemsN} items, one feed, one watched instrument`);
  console.log(`  book update of the watched instrument: ${(bookMs / updates).toFixed(3)} ms CPU (mean of ${updates})`);
  console.log(
    `  one new item (push + signals):         ${(itemMs / arrivals).toFixed(3)} ms CPU (mean of ${arrivals})`,
  );
});
