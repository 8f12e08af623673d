// Market-data hub fan-out cost. Run from the repo root:
//   npx tsx bench/hub.bench.ts
// 1. In-process: the hub alone, fed ready-made book updates — cost per update per consumer at 1, 50, 200 consumers.
// 2. Adapter: what one Polymarket price_change costs before fan-out (apply to the local book, top-of-book check,
//    best-first OrderBook), paid once per update whatever the number of consumers.
// 3. End to end: the venue simulator's stress scenario over a real WebSocket → PolymarketMarketData → hub → N
//    consumers, all 5,010 tokens subscribed; time from publishing a burst of updates to the last consumer having it.
import type { OrderBook } from '@polybot/schemas';
import {
  LocalBook,
  MarketDataHub,
  PolymarketMarketData,
  type BookSubscription,
  type BookUpdate,
  type MarketData,
} from '@polybot/venues';
import { polymarketFactory, startVenueSim } from '@polybot/local-stack/venue-sim';

const RUNS = 7;
const UPDATES = 50_000;
const INSTRUMENTS = 100;
const CONSUMERS = [1, 50, 200];
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const fmt = (x: number, d = 3): string => x.toFixed(d);

function book(i: number, k: number): OrderBook {
  const bids = Array.from({ length: 10 }, (_, l) => ({ price: 0.45 - l * 0.01, size: 100 + ((k + l) % 50) }));
  const asks = Array.from({ length: 10 }, (_, l) => ({ price: 0.47 + l * 0.01, size: 100 + ((k + l) % 50) }));
  return { venue: 'polymarket', instrumentId: `token-${i}`, bids, asks, timestampMs: 1_790_000_000_000 + k, seq: k };
}

/** A MarketData whose stream we drive by hand, so only the hub is measured. */
function fakeSource(): { source: MarketData; push: (u: BookUpdate) => void } {
  let push: (u: BookUpdate) => void = () => {};
  const sub: BookSubscription = { add() {}, remove() {}, close: async () => {} };
  const source: MarketData = {
    venue: 'polymarket',
    listInstruments: async () => [],
    getBook: async (id) => book(Number(id.split('-')[1]), 0),
    subscribeBooks(onUpdate) {
      push = onUpdate;
      return sub;
    },
  };
  return { source, push: (u) => push(u) };
}

function inProcess(consumers: number): { perUpdateUs: number; perConsumerNs: number } {
  const { source, push } = fakeSource();
  const hub = new MarketDataHub(source);
  const ids = Array.from({ length: INSTRUMENTS }, (_, i) => `token-${i}`);
  let sink = 0;
  for (let c = 0; c < consumers; c++) hub.subscribe((u) => (sink += u.book.bids[0]?.size ?? 0)).add(ids);
  const updates: BookUpdate[] = Array.from({ length: UPDATES }, (_, k) => ({
    book: book(k % INSTRUMENTS, k),
    kind: 'delta',
  }));
  for (const u of updates.slice(0, 5000)) push(u); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    for (const u of updates) push(u);
    samples.push(Number(process.hrtime.bigint() - t0) / UPDATES);
  }
  if (sink < 0) console.log(sink);
  const ns = median(samples);
  return { perUpdateUs: ns / 1000, perConsumerNs: ns / consumers };
}

function adapterCost(): number {
  const summary = {
    market: '0x1',
    asset_id: 'token-0',
    timestamp: '1',
    hash: '',
    bids: Array.from({ length: 10 }, (_, l) => ({ price: String(0.36 + l * 0.01), size: '100' })),
    asks: Array.from({ length: 10 }, (_, l) => ({ price: String(0.56 - l * 0.01), size: '100' })),
  };
  const local = LocalBook.fromSummary(summary);
  const changes = Array.from({ length: UPDATES }, (_, k) => ({
    asset_id: 'token-0',
    price: String(0.4 + (k % 5) * 0.01),
    size: String(100 + (k % 90)),
    side: 'BUY' as const,
    best_bid: '0.45',
    best_ask: '0.47',
  }));
  const samples: number[] = [];
  let sink = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    for (const c of changes) {
      local.apply(c);
      if (local.agreesWith(c)) sink += local.toOrderBook().bids.length;
    }
    samples.push(Number(process.hrtime.bigint() - t0) / UPDATES / 1000);
  }
  if (sink < 0) console.log(sink);
  return median(samples);
}

async function endToEnd(consumers: number): Promise<{ perUpdateUs: number; deliveries: number }> {
  const sim = await startVenueSim({ scenario: 'stress', venues: [polymarketFactory], autoAdvance: false });
  try {
    const md = new PolymarketMarketData({
      clobUrl: sim.origin,
      gammaUrl: `${sim.origin}/gamma`,
      wsUrl: sim.urls.polymarketWs ?? '',
    });
    const ids = (await md.listInstruments()).map((i) => i.instrumentId);
    const hub = new MarketDataHub(md);
    let snapshots = 0;
    let deltas = 0;
    for (let c = 0; c < consumers; c++) hub.subscribe((u) => (u.kind === 'snapshot' ? snapshots++ : deltas++)).add(ids);
    const settle = async (done: () => boolean): Promise<void> => {
      const deadline = Date.now() + 120_000;
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`bench: stalled (${snapshots} snapshots, ${deltas} deltas)`);
        await new Promise((r) => setImmediate(r));
      }
    };
    await settle(() => snapshots >= ids.length * consumers);
    const burst = 5000; // stress: 250 updates per scenario second → 20 s of scenario time
    const samples: number[] = [];
    for (let r = 0; r < 3; r++) {
      const target = deltas + burst * consumers;
      const t0 = process.hrtime.bigint();
      // The simulator catches up at most 5 s of scenario time per step, so advance in 4 s steps.
      for (let step = 0; step < 5; step++) sim.advance(4_000);
      await settle(() => deltas >= target);
      samples.push(Number(process.hrtime.bigint() - t0) / burst / 1000);
    }
    await hub.close();
    return { perUpdateUs: median(samples), deliveries: burst * consumers };
  } finally {
    await sim.close();
  }
}

async function main(): Promise<void> {
  console.log(`node ${process.version}; ${INSTRUMENTS} instruments, 10-level books`);
  console.log('\n1. hub only (median of 7 runs of 50,000 updates)');
  console.log('consumers | µs per update (all consumers) | ns per update per consumer');
  for (const n of CONSUMERS) {
    const r = inProcess(n);
    console.log(
      `${String(n).padStart(9)} | ${fmt(r.perUpdateUs).padStart(29)} | ${fmt(r.perConsumerNs, 1).padStart(26)}`,
    );
  }
  console.log(`\n2. adapter per price_change (apply + top-of-book check + OrderBook): ${fmt(adapterCost())} µs`);
  console.log(
    '\n3. end to end over the simulator WebSocket (stress scenario, all 5,010 tokens, median of 3 bursts of 5,000 updates)',
  );
  console.log('consumers | µs per update (sim + WS + adapter + hub + all consumers)');
  for (const n of CONSUMERS) {
    const r = await endToEnd(n);
    console.log(`${String(n).padStart(9)} | ${fmt(r.perUpdateUs, 2).padStart(10)}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
