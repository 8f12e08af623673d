import type { Opportunity, OrderBook } from '@polybot/schemas';
import { expect, test } from 'vitest';
import type { RunnerConfig, RunnerPlan } from '../shared/ipc.ts';
import { RiskEngine, nextUtcMidnight } from './risk.ts';

const config = { max_trade_size_usd: 100, max_daily_loss_usd: 10, max_open_positions: 2 } as RunnerConfig;
const plan = { maxTradeSizeUsd: 50, maxDailyLossUsd: 1000, maxPositions: 10 } as RunnerPlan;
const leg = (id: string) => ({
  venue: 'polymarket' as const,
  instrumentId: id,
  side: 'buy' as const,
  size: 10,
  vwap: 0.4,
  limitPrice: 0.4,
  fee: 0,
});
const opp = (cost: number, ids: string[]): Opportunity => ({
  id: ids.join('+'),
  strategy: 'single_platform',
  legs: ids.map(leg),
  cost,
  expectedProfit: 1,
  profitPct: 1,
  detectedAtMs: 0,
  description: '',
});
const book = (bid: number | null): OrderBook => ({
  venue: 'polymarket',
  instrumentId: 'x',
  bids: bid === null ? [] : [{ price: bid, size: 100 }],
  asks: [],
  timestampMs: 0,
  seq: 0,
});
const NOON = Date.UTC(2026, 10, 25, 12);

test('tighter of config and plan: trade size and open positions', () => {
  const r = new RiskEngine(config, plan, NOON);
  expect(r.check(opp(60, ['a']), NOON, () => book(0.4))).toEqual({
    ok: false,
    code: 'above_max_trade_size',
    reason: 'costs $60.00, above the max trade size of $50.00',
  });
  expect(r.check(opp(40, ['a', 'b', 'c']), NOON, () => book(0.4))).toEqual({
    ok: false,
    code: 'max_positions',
    reason: 'would open 3 new positions with 0 of 2 open',
  });
  expect(r.check(opp(40, ['a', 'b']), NOON, () => book(0.4))).toEqual({ ok: true });
});

test('daily loss (realized + marked to market) halts until the next UTC midnight, then lifts', () => {
  const r = new RiskEngine(config, plan, NOON);
  r.onFill('a', 'buy', 100, 0.5, 0); // cost 50
  let bid = 0.45; // marked: -5
  expect(r.check(opp(10, ['b']), NOON, () => book(bid))).toEqual({ ok: true });
  bid = 0.39; // marked: -11 ≤ -10
  const verdict = r.check(opp(10, ['b']), NOON, () => book(bid));
  expect(verdict.ok).toBe(false);
  expect(r.halted()?.toISOString()).toBe(nextUtcMidnight(NOON).toISOString());
  bid = 0.5; // recovering does not lift the halt the same day
  expect(r.check(opp(10, ['b']), NOON + 1000, () => book(bid)).ok).toBe(false);
  expect(r.check(opp(10, ['b']), NOON + 86_400_000, () => book(bid))).toEqual({ ok: true });
});

test('max open positions counts positions really open: one per instrument held, from before the start or since', () => {
  // Held at the start: a and b (config max 2). A leg on a held instrument adds no position; a new one does.
  const r = new RiskEngine(config, plan, NOON, ['a', 'b']);
  expect(r.openPositions()).toBe(2);
  expect(r.check(opp(10, ['a']), NOON, () => book(0.4))).toEqual({ ok: true });
  expect(r.check(opp(10, ['c']), NOON, () => book(0.4)).ok).toBe(false);
  // Buying more of a held instrument is still one position, not two.
  r.onFill('a', 'buy', 10, 0.4, 0);
  expect(r.openPositions()).toBe(2);
  // A fresh runner: a buy sold back to float dust is no position (POSITION_DUST, the one definition).
  const fresh = new RiskEngine(config, plan, NOON);
  fresh.onFill('x', 'buy', 10, 0.4, 0);
  fresh.onFill('y', 'buy', 10, 0.4, 0);
  expect(fresh.openPositions()).toBe(2);
  fresh.onFill('y', 'sell', 10 - 1e-9, 0.4, 0);
  expect(fresh.openPositions()).toBe(1);
  expect(fresh.check(opp(10, ['z']), NOON, () => book(0.4))).toEqual({ ok: true });
});

test('an arbitrage basket counts its locked profit, not a loss from marking each leg at a low bid (the P&L model)', () => {
  const r = new RiskEngine({ ...config, max_daily_loss_usd: 5, max_open_positions: 10 }, plan, NOON);
  const arb = { legGroupId: 'opp-1', strategy: 'single_platform' as const };
  r.onFill('yes', 'buy', 10, 0.45, 0, arb);
  r.onFill('no', 'buy', 10, 0.5, 0, arb);
  // Each leg at a 0.1 bid would be −7.5; the complete sets pay 10 for 9.5.
  expect(r.pnlToday(() => book(0.1))).toBeCloseTo(0.5, 9);
  expect(r.check(opp(10, ['b']), NOON, () => book(0.1))).toEqual({ ok: true });
});

test('the mark rule: no bid → the last bid seen; never one → the average entry price (not 0)', () => {
  const r = new RiskEngine(config, plan, NOON);
  r.onFill('a', 'buy', 100, 0.5, 0);
  expect(r.pnlToday(() => book(null))).toBeCloseTo(0, 9);
  expect(r.pnlToday(() => book(0.48))).toBeCloseTo(-2, 9);
  expect(r.pnlToday(() => book(null))).toBeCloseTo(-2, 9);
});

test('a settlement counts today and the position is no longer open', () => {
  const r = new RiskEngine(config, plan, NOON, ['held-before']);
  r.onFill('a', 'buy', 100, 0.5, 0); // cost 50
  expect(r.openPositions()).toBe(2);
  r.onSettled('a', -50); // lost: paid 0
  expect(r.openPositions()).toBe(1);
  expect(r.pnlToday(() => book(0.9))).toBeCloseTo(-50, 9);
  expect(r.check(opp(10, ['b']), NOON, () => book(0.9)).ok).toBe(false);
  // A position held before the start was never marked here: settling it only frees its slot.
  r.onSettled('held-before', 123);
  expect(r.openPositions()).toBe(0);
  expect(r.pnlToday(() => book(0.9))).toBeCloseTo(-50, 9);
});
