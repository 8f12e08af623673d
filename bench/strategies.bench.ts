// Strategy throughput on a synthetic "stress"-sized universe. Run from the repo root:
//   npx tsx bench/strategies.bench.ts
// Prints full-scan time per strategy (median of RUNS) and per-book-update incremental re-evaluation latency.
import type { FeeSchedule, Instrument, MarketLink, OrderBook } from '@polybot/schemas';
import {
  IncrementalArbEvaluator,
  copyTrades,
  crossPlatformArbitrage,
  newsSignals,
  overlappingArbitrage,
  proposeLinks,
  singlePlatformArbitrage,
} from '@polybot/strategies';
import type { ArbParams, MarketSnapshot, NewsItem, NewsRule, WalletTrade } from '@polybot/strategies';

const RUNS = 7;
const UPDATES = 20_000;
const NOW = 1_778_997_900_000;

let seed = 0x5eed;
function rand(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
const cents = (p: number): number => Math.min(0.99, Math.max(0.01, Math.round(p * 100) / 100));

const instruments = new Map<string, Instrument>();
const books = new Map<string, OrderBook>();
const fees = new Map<string, FeeSchedule>();
const WORDS =
  'fed rate cut hike june july election senate house governor bitcoin ether price above below tweets elon trump biden harris nfl nba final champion inflation cpi gdp recession oscar best picture weather hurricane snow'.split(
    ' ',
  );
const title = (): string =>
  `Will ${Array.from({ length: 5 }, () => WORDS[int(0, WORDS.length - 1)]).join(' ')} ${int(1, 500)}?`;

/** YES book around `fair`, 10-30 levels a side, and the mirrored NO book (NO ask = 1 − YES bid). */
function addMarket(
  venue: 'polymarket' | 'kalshi',
  marketId: string,
  eventId: string | null,
  exclusive: boolean,
  fair: number,
  t: string,
  close: string,
): [string, string] {
  const yesId = venue === 'kalshi' ? `${marketId}:yes` : `${marketId}-Y`;
  const noId = venue === 'kalshi' ? `${marketId}:no` : `${marketId}-N`;
  const base = {
    venue,
    marketId,
    eventId,
    title: t,
    mutuallyExclusive: exclusive,
    tickSize: 0.01,
    minOrderSize: venue === 'kalshi' ? 1 : 5,
    closeTime: close,
    active: true,
  } as const;
  instruments.set(yesId, { ...base, instrumentId: yesId, side: 'yes', complementId: noId, outcome: 'Yes' });
  instruments.set(noId, { ...base, instrumentId: noId, side: 'no', complementId: yesId, outcome: 'No' });
  const schedule: FeeSchedule =
    venue === 'kalshi'
      ? { type: 'quadratic', takerRate: 0.07 }
      : rand() < 0.3
        ? { type: 'polymarket', rate: 0.05, exponent: 1, takerOnly: true, rebateRate: 0.25 }
        : { type: 'none' };
  fees.set(yesId, schedule).set(noId, schedule);
  const bestAsk = cents(fair + 0.01 * int(1, 2));
  const bestBid = cents(Math.min(bestAsk - 0.01, fair - 0.01 * int(0, 1)));
  const levels = (start: number, dir: 1 | -1) => {
    const out: { price: number; size: number }[] = [];
    const n = int(10, 30);
    for (let k = 0; k < n; k++) {
      const price = Math.round((start + dir * 0.01 * k) * 100) / 100;
      if (price < 0.01 || price > 0.99) break;
      out.push({ price, size: int(10, 2000) });
    }
    return out;
  };
  const yesAsks = levels(bestAsk, 1);
  const yesBids = bestBid >= 0.01 ? levels(bestBid, -1) : [];
  const mirror = (ls: { price: number; size: number }[]) =>
    ls.map((l) => ({ price: Math.round((1 - l.price) * 100) / 100, size: l.size }));
  books.set(yesId, { venue, instrumentId: yesId, asks: yesAsks, bids: yesBids, timestampMs: NOW, seq: 1 });
  books.set(noId, {
    venue,
    instrumentId: noId,
    asks: mirror(yesBids),
    bids: mirror(yesAsks),
    timestampMs: NOW,
    seq: 1,
  });
  return [yesId, noId];
}

// Polymarket: 1,500 standalone binaries + 300 neg-risk events of 3-8 outcomes. Kalshi: 1,300 standalone + 150
// mutually exclusive events of 4-8 markets. Linked pairs share a fair value (± noise).
const pmStandalone: string[] = [];
const kStandalone: string[] = [];
const fairOf = new Map<string, number>();
for (let i = 0; i < 1500; i++) {
  const id = `0xpm${i}`;
  const fair = 0.05 + rand() * 0.9;
  fairOf.set(id, fair);
  addMarket('polymarket', id, null, false, fair, title(), `2026-0${int(6, 9)}-${int(10, 28)}T00:00:00Z`);
  pmStandalone.push(id);
}
for (let e = 0; e < 300; e++) {
  const n = int(3, 8);
  const w = Array.from({ length: n }, () => rand() + 0.05);
  const sum = w.reduce((a, b) => a + b, 0);
  w.forEach((x, k) =>
    addMarket('polymarket', `0xev${e}m${k}`, `ev${e}`, true, x / sum, title(), '2026-06-17T00:00:00Z'),
  );
}
for (let i = 0; i < 1300; i++) {
  const id = `KXM${i}-26`;
  // The first 400 mirror Polymarket standalones (candidates for links).
  const twin = i < 400 ? pmStandalone[i] : undefined;
  const fair = twin ? (fairOf.get(twin) ?? 0.5) + (rand() - 0.5) * 0.04 : 0.05 + rand() * 0.9;
  addMarket(
    'kalshi',
    id,
    `KXM${i}`,
    false,
    Math.min(0.95, Math.max(0.05, fair)),
    title(),
    `2026-0${int(6, 9)}-${int(10, 28)}T00:00:00Z`,
  );
  kStandalone.push(id);
}
for (let e = 0; e < 150; e++) {
  const n = int(4, 8);
  const w = Array.from({ length: n }, () => rand() + 0.05);
  const sum = w.reduce((a, b) => a + b, 0);
  w.forEach((x, k) =>
    addMarket('kalshi', `KXEV${e}-26-M${k}`, `KXEV${e}-26`, true, x / sum, title(), '2026-06-17T18:00:00Z'),
  );
}
const links: MarketLink[] = [];
for (let i = 0; i < 300; i++)
  links.push({
    id: i + 1,
    relation: 'equivalent',
    aVenue: 'polymarket',
    aMarketId: pmStandalone[i] ?? '',
    bVenue: 'kalshi',
    bMarketId: kStandalone[i] ?? '',
    approved: i % 10 !== 0,
  });
for (let i = 0; i < 100; i++)
  links.push({
    id: 1000 + i,
    relation: 'implies',
    aVenue: 'polymarket',
    aMarketId: pmStandalone[300 + i] ?? '',
    bVenue: 'kalshi',
    bMarketId: kStandalone[300 + i] ?? '',
    approved: true,
  });

// Knock ~2% of YES asks down a few ticks so some baskets really are arbitrages.
const ids = [...books.keys()];
for (const id of ids) {
  const b = books.get(id);
  if (!b || rand() > 0.02) continue;
  const d = 0.01 * int(2, 5);
  books.set(id, { ...b, asks: b.asks.map((l) => ({ ...l, price: cents(l.price - d) })) });
}

const snapshot: MarketSnapshot = { instruments, books, fees: (i) => fees.get(i.instrumentId) ?? { type: 'none' } };
const params: ArbParams = { minProfitPct: 0.5, maxTradeSizeUsd: 500, maxBookAgeMs: 60_000 };
const linked = { ...snapshot, links };

const rules: NewsRule[] = Array.from({ length: 200 }, (_, k) => ({
  id: `rule${k}`,
  feed: k % 2 ? 'reuters' : 'ap',
  keywords: [WORDS[k % WORDS.length] ?? 'fed', WORDS[(k * 7) % WORDS.length] ?? 'rate'],
  instrumentId: `${pmStandalone[k] ?? ''}-Y`,
  maxPrice: 0.9,
  confidence: 0.95,
  windowMs: 3_600_000,
}));
const items: NewsItem[] = Array.from({ length: 1000 }, (_, k) => ({
  id: `n${k}`,
  feed: k % 2 ? 'reuters' : 'ap',
  headline: title(),
  body: `${title()} ${title()}`,
  publishedAtMs: NOW - int(0, 7_200_000),
}));
const followed = new Set(Array.from({ length: 20 }, (_, k) => `0xwallet${k}`));
const trades: WalletTrade[] = Array.from({ length: 2000 }, (_, k) => {
  const id = ids[int(0, ids.length - 1)] ?? '';
  return {
    wallet: `0xwallet${int(0, 39)}`,
    instrumentId: id,
    side: rand() < 0.7 ? 'buy' : 'sell',
    price: books.get(id)?.asks[0]?.price ?? 0.5,
    size: int(5, 500),
    timestampMs: NOW - int(0, 600_000),
    txHash: `0xtx${k}`,
  };
});
const seen = new Set<string>();

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
function time(fn: () => unknown): { ms: number; result: unknown } {
  let result: unknown;
  const samples: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    result = fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms: median(samples), result };
}

const count = (ofVenue: string) => [...instruments.values()].filter((i) => i.venue === ofVenue).length;
console.log(
  `universe: ${count('polymarket')} Polymarket tokens, ${count('kalshi') / 2} Kalshi markets (${count('kalshi')} yes/no instruments), ${links.length} links (${links.filter((l) => l.approved).length} approved), ${books.size} books, ${[...books.values()].reduce((s, b) => s + b.asks.length + b.bids.length, 0)} levels`,
);
console.log(`node ${process.version}, ${RUNS} runs per figure (median)`);

const rows: [string, () => unknown][] = [
  ['single-platform arbitrage', () => singlePlatformArbitrage(snapshot, params, NOW)],
  ['cross-platform arbitrage', () => crossPlatformArbitrage(linked, params, NOW)],
  ['overlapping arbitrage', () => overlappingArbitrage(linked, params, NOW)],
  ['news (200 rules × 1,000 items)', () => newsSignals({ snapshot, rules, items }, params, NOW)],
  [
    'copy trading (2,000 trades)',
    () =>
      copyTrades(
        { snapshot, trades, followedWallets: followed, seenTxHashes: seen },
        {
          scale: 0.5,
          maxPerTradeUsd: 100,
          maxTradeSizeUsd: 500,
          maxSlippage: 0.02,
          maxTradeAgeMs: 300_000,
          maxBookAgeMs: 60_000,
        },
        NOW,
      ),
  ],
];
let total = 0;
for (const [name, fn] of rows) {
  const { ms, result } = time(fn);
  total += ms;
  console.log(
    `full scan  ${name.padEnd(32)} ${ms.toFixed(2).padStart(8)} ms   opportunities: ${Array.isArray(result) ? result.length : '?'}`,
  );
}
console.log(`full scan  ${'TOTAL (all five)'.padEnd(32)} ${total.toFixed(2).padStart(8)} ms`);

const pmYes = [...instruments.values()].filter((i) => i.venue === 'polymarket' && i.side === 'yes');
const kYes = [...instruments.values()].filter((i) => i.venue === 'kalshi' && i.side === 'yes');
const m = time(() => proposeLinks(pmYes, kYes, { existing: links }));
console.log(
  `matcher    ${`proposeLinks ${pmYes.length} × ${kYes.length} markets`.padEnd(32)} ${m.ms.toFixed(2).padStart(8)} ms   candidates: ${Array.isArray(m.result) ? m.result.length : '?'}`,
);

const tBuild = process.hrtime.bigint();
const ev = IncrementalArbEvaluator.forUniverse(instruments, links);
const buildMs = Number(process.hrtime.bigint() - tBuild) / 1e6;
const initial = ev.evaluateAll(snapshot, params, NOW);
console.log(
  `incremental: ${ev.plans.length} baskets indexed in ${buildMs.toFixed(2)} ms; ${initial.length} opportunities at start`,
);

// Random book updates: one instrument's book changes (a level moves by a tick, sizes change), then only the baskets
// containing it are re-priced. Timed: the onBookUpdate call only (the book mutation is the hub's work).
const lat: number[] = [];
let evaluated = 0;
for (let u = 0; u < UPDATES; u++) {
  const id = ids[int(0, ids.length - 1)] ?? '';
  const b = books.get(id);
  if (!b) continue;
  const asks = b.asks.map((l) => ({ price: l.price, size: Math.max(1, l.size + int(-50, 50)) }));
  const first = asks[0];
  if (first && rand() < 0.5) first.price = cents(first.price + (rand() < 0.5 ? -0.01 : 0.01));
  if (first && asks[1] && first.price >= asks[1].price) first.price = cents(asks[1].price - 0.01);
  books.set(id, { ...b, asks, seq: b.seq + 1, timestampMs: NOW + u });
  const t0 = process.hrtime.bigint();
  const r = ev.onBookUpdate(id, snapshot, params, NOW + u);
  lat.push(Number(process.hrtime.bigint() - t0) / 1e3);
  evaluated += r.evaluated;
}
lat.sort((a, b) => a - b);
const pct = (q: number) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))] ?? NaN;
console.log(
  `per book update (${lat.length} random updates, ${(evaluated / lat.length).toFixed(2)} baskets re-priced on average): p50 ${pct(0.5).toFixed(1)} µs, p99 ${pct(0.99).toFixed(1)} µs, max ${pct(1).toFixed(1)} µs; ${ev.current().length} opportunities at the end`,
);
