// A well-behaved runner under the CPU throttle (docs/SECURITY.md §7.2): while throttled it makes no decision — not on
// a book update, not at a safe point (a config applied, a settlement's rescan) — but still stores books, applies the
// config, heartbeats; when the throttle ends, what changed meanwhile is priced and traded. The whole runner, in
// process, on paper, with a fake manager answering its database requests; the throttle's clock is vitest's fake one,
// moved by the test (no sleeps). cpu-budget.test.ts covers the manager's side with a runner that ignores the throttle.
import { randomUUID } from 'node:crypto';
import type { OrderBook } from '@polybot/schemas';
import { pino } from 'pino';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { FED_CUTS_YES } from '../../test/instruments.ts';
import {
  InitMessageSchema,
  NO_LEASE_DEADLINE,
  type FromRunner,
  type RunnerConfig,
  type RunnerStats,
} from '../shared/ipc.ts';
import { DbRpc } from './db-rpc.ts';
import { PolybotRunner } from './runner.ts';

const FED_CUTS_NO = { ...FED_CUTS_YES, instrumentId: 'tok-no', side: 'no' as const, complementId: 'tok-yes' };
const config: RunnerConfig = {
  dry_run: true,
  min_profit_pct: 0.1,
  max_trade_size_usd: 100,
  max_daily_loss_usd: 100,
  max_open_positions: 10,
  enable_single_platform_arb: true,
  enable_cross_platform_arb: false,
  enable_overlapping_arb: false,
  enable_news_arbitrage: false,
  enable_copy_trading: false,
  enable_polymarket: true,
  enable_kalshi: false,
  max_book_age_ms: 600_000,
  followed_wallets: [],
  news_rules: [],
};

/** A YES or NO book asking `ask` (YES + NO under 1: a single-platform arbitrage), stamped with the fake clock. */
const book = (instrumentId: string, ask: number): OrderBook => ({
  venue: 'polymarket',
  instrumentId,
  bids: [],
  asks: [{ price: ask, size: 100 }],
  timestampMs: Date.now(),
  seq: 1,
});

/** The manager's side of the runner's database requests: every reservation granted, every write taken. */
function fakeManager(): DbRpc {
  const db: DbRpc = new DbRpc((msg) => {
    const r = msg.request;
    queueMicrotask(() => {
      if (r.op === 'reserveTrades') return db.settle(msg.id, true, true, null);
      if (r.op === 'recordIntents') {
        const ids = r.intents.map((i) => i.clientOrderId);
        return db.settle(msg.id, true, { recorded: ids, existing: [] }, null);
      }
      db.settle(msg.id, true, 1, null);
    });
  });
  return db;
}

let runner: PolybotRunner;
const sent: FromRunner[] = [];

beforeEach(() => {
  // Only the clock and timers are faked; promises and setImmediate stay real, so a decision runs to its end.
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  sent.length = 0;
  const init = InitMessageSchema.parse({
    type: 'init',
    userId: randomUUID(),
    configVersion: 1,
    config,
    plan: {
      tier: 'pro',
      features: { single_platform: true },
      liveTradingAllowed: false,
      maxTradeSizeUsd: 100,
      maxDailyLossUsd: 100,
      maxPositions: 10,
      monthlyTradeLimit: 1000,
    },
    keys: [],
    instruments: [FED_CUTS_YES, FED_CUTS_NO],
    fees: {},
    links: [],
    venueUrls: {
      polymarketClob: 'http://127.0.0.1:9',
      polymarketGamma: 'http://127.0.0.1:9',
      polymarketWs: 'ws://127.0.0.1:9',
    },
    heartbeatMs: 1000,
    openInstrumentIds: [],
    pnlTodayUsd: 0,
    copiedTxHashes: [],
    newsSeenKeys: [],
    leaseUntil: NO_LEASE_DEADLINE,
  });
  runner = new PolybotRunner(init, fakeManager(), (m) => sent.push(m), pino({ level: 'silent' }));
});

afterEach(async () => {
  await runner.stop();
  vi.useRealTimers();
});

/** The decision in flight (reservation → paper orders → booking) has ended: waits for the event, never for time. */
async function decided(): Promise<void> {
  for (let i = 0; i < 1000 && runner.deciding; i++) await new Promise((r) => setImmediate(r));
  expect(runner.deciding).toBe(false);
}

/** The stats of a heartbeat sent now (as main.ts's interval sends them), read from what went to the manager. */
function heartbeat(): RunnerStats {
  runner.heartbeat();
  const last = sent.at(-1);
  if (last?.type !== 'heartbeat') throw new Error('no heartbeat sent');
  return last.stats;
}

test('throttled: no decisions (books stored, config applied, heartbeats go on); afterwards what changed is traded', async () => {
  // Unthrottled, the second book completes an arbitrage and it is traded at once.
  runner.onBook(book('tok-yes', 0.45), Date.now());
  runner.onBook(book('tok-no', 0.45), Date.now());
  expect(runner.deciding).toBe(true);
  await decided();
  expect(heartbeat()).toMatchObject({ opportunitiesSeen: 1, tradesPlaced: 1, decisions: 2, throttled: false });

  runner.throttle(30_000);
  expect(heartbeat()).toMatchObject({ throttled: true, decisionsSkippedThrottled: 0 });
  // A better price arrives: stored and marked, not priced (the book path's guard).
  runner.onBook(book('tok-yes', 0.44), Date.now());
  expect(runner.deciding).toBe(false);
  // A settlement asks for everything to be priced again, and a new config is applied at the safe point: neither
  // decides (the safe point's guard), the config is still acknowledged.
  runner.onPositionsSettled({ type: 'positionsSettled', instrumentIds: [] });
  runner.onConfig({ ...config, max_trade_size_usd: 90 }, 2);
  expect(runner.deciding).toBe(false);
  expect(sent).toContainEqual({ type: 'configAck', configVersion: 2 });
  vi.advanceTimersByTime(29_999);
  expect(runner.deciding).toBe(false);
  const during = heartbeat();
  expect(during).toMatchObject({ opportunitiesSeen: 1, tradesPlaced: 1, decisions: 2, throttled: true });
  expect(during.decisionsSkippedThrottled).toBeGreaterThanOrEqual(3);

  // The throttle ends: the book that changed meanwhile is priced and traded, with no new book needed.
  vi.advanceTimersByTime(1);
  expect(runner.deciding).toBe(true);
  await decided();
  const after = heartbeat();
  expect(after).toMatchObject({ opportunitiesSeen: 2, tradesPlaced: 2, throttled: false });
  expect(after.recentOpportunities[0]).toMatchObject({ acted: true, expected_profit_usd: expect.any(Number) });
  expect(after.recentOpportunities[0]?.description).toMatch(/Fed cuts/);
  // And new books are priced at once again.
  runner.onBook(book('tok-no', 0.43), Date.now());
  expect(runner.deciding).toBe(true);
  await decided();
  expect(heartbeat()).toMatchObject({ opportunitiesSeen: 3, tradesPlaced: 3 });
});
