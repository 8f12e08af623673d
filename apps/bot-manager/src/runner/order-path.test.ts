// The order path's own guard against a market that closed: checked right before the first order (the close may have
// arrived while the reservation was out) and per buy between legs — whatever the universe's removal already did.
import type { Opportunity, OrderBook, OrderRequest, OrderResult } from '@polybot/schemas';
import type { Trading } from '@polybot/venues';
import { pino } from 'pino';
import { expect, test } from 'vitest';
import type { RunnerConfig, RunnerPlan } from '../shared/ipc.ts';
import { DbRpc } from './db-rpc.ts';
import { IntentBook } from './intents.ts';
import { staleBook } from './fresh-books.ts';
import { executeReserved, type OrderPath } from './order-path.ts';
import { RiskEngine } from './risk.ts';
import type { TradingRouter } from './trading-router.ts';

const leg = (instrumentId: string) => ({
  venue: 'polymarket' as const,
  instrumentId,
  side: 'buy' as const,
  size: 10,
  vwap: 0.45,
  limitPrice: 0.45,
  fee: 0,
});
const opportunity: Opportunity = {
  id: 'single:binary:m@1',
  strategy: 'single_platform',
  legs: [leg('yes'), leg('no')],
  cost: 9,
  expectedProfit: 1,
  profitPct: 10,
  detectedAtMs: 0,
  description: 'YES + NO',
};
const book = (id: string): OrderBook => ({
  venue: 'polymarket',
  instrumentId: id,
  bids: [{ price: 0.44, size: 100 }],
  asks: [{ price: 0.45, size: 100 }],
  timestampMs: Date.now(),
  seq: 1,
});

/** How the fake manager answers recordIntents: written, already there, or a database failure. */
type IntentAnswer = 'recorded' | 'existing' | 'fails';

function setup(
  closed: Set<string>,
  onOrder: (o: OrderRequest) => void = () => undefined,
  intentAnswer: IntentAnswer = 'recorded',
) {
  const ops: string[] = [];
  const orders: OrderRequest[] = [];
  const db: DbRpc = new DbRpc((msg) => {
    const r = msg.request;
    ops.push(`${r.op}:${'count' in r ? r.count : ''}`);
    queueMicrotask(() => {
      if (r.op !== 'recordIntents') return db.settle(msg.id, true, 1, null);
      if (intentAnswer === 'fails') return db.settle(msg.id, false, null, 'database down');
      const ids = r.intents.map((i) => i.clientOrderId);
      db.settle(
        msg.id,
        true,
        intentAnswer === 'recorded' ? { recorded: ids, existing: [] } : { recorded: [], existing: ids },
        null,
      );
    });
  });
  const trading = {
    venue: 'polymarket',
    mode: 'paper',
    placeOrder: (o: OrderRequest): Promise<OrderResult> => {
      orders.push(o);
      onOrder(o);
      return Promise.resolve({
        clientOrderId: o.clientOrderId,
        venueOrderId: null,
        status: 'filled',
        filledSize: o.size,
        averagePrice: o.limitPrice,
        fees: 0,
        fills: [],
        rejectReason: null,
      });
    },
  } as unknown as Trading;
  const router = { route: () => Promise.resolve({ ok: true, tradingFor: () => trading }) } as unknown as TradingRouter;
  const config = { max_trade_size_usd: 100, max_daily_loss_usd: 100, max_open_positions: 10 } as RunnerConfig;
  const plan = { maxTradeSizeUsd: 100, maxDailyLossUsd: 100, maxPositions: 10 } as RunnerPlan;
  const path: OrderPath = {
    db,
    router,
    risk: new RiskEngine(config, plan, Date.now()),
    books: new Map([
      ['yes', book('yes')],
      ['no', book('no')],
    ]),
    instruments: new Map(),
    closedLeg: (o) => o.legs.find((l) => closed.has(l.instrumentId))?.instrumentId ?? null,
    intents: new IntentBook(db, pino({ level: 'silent' }), undefined),
  };
  return { path, ops, orders };
}

test('closed while the reservation was out: no order at all, the reservations handed back', async () => {
  const { path, ops, orders } = setup(new Set(['no']));
  expect(await executeReserved(path, 'paper', opportunity)).toEqual({ legs: 0, rows: 0, status: 'market_closed' });
  expect(orders).toEqual([]);
  expect(ops).toEqual(['releaseTrades:2']);
});

test('closed between two legs: the second buy is refused as the venue would, the first is unwound', async () => {
  const closed = new Set<string>();
  // The close arrives while the first leg is out.
  const { path, orders } = setup(closed, () => {
    closed.add('yes');
    closed.add('no');
  });
  const r = await executeReserved(path, 'paper', opportunity);
  const buys = orders.filter((o) => o.side === 'buy');
  expect(buys).toHaveLength(1);
  expect(orders.filter((o) => o.side === 'sell')).toHaveLength(1);
  expect(r.status).toBe('unwound');
});

test('every order is written down before it leaves, the first one as a new leg group; the booking follows', async () => {
  const { path, ops, orders } = setup(new Set());
  expect((await executeReserved(path, 'paper', opportunity)).status).toBe('complete');
  expect(orders).toHaveLength(2);
  expect(ops).toEqual(['recordIntents:', 'recordIntents:', 'recordExecution:']);
  expect(path.intents.pending).toEqual([]);
});

test('an intent that cannot be written: nothing is sent and the reservations go back', async () => {
  const { path, ops, orders } = setup(new Set(), undefined, 'fails');
  const r = await executeReserved(path, 'paper', opportunity);
  expect(orders).toEqual([]);
  expect(r.rows).toBe(0);
  expect(ops).toEqual(['recordIntents:', 'releaseTrades:2']);
});

test('an opportunity written down before (a restarted runner meeting it again): never sent again', async () => {
  const { path, orders, ops } = setup(new Set(), undefined, 'existing');
  await executeReserved(path, 'paper', opportunity);
  expect(orders).toEqual([]);
  expect(ops).toContain('releaseTrades:2');
});

test('an order whose answer never came stays unresolved after the execution and blocks its instrument', async () => {
  const { path, ops } = setup(new Set(), (o) => {
    if (o.instrumentId === 'no') throw new Error('socket hang up');
  });
  await executeReserved(path, 'paper', opportunity);
  expect(path.intents.pending.map((i) => [i.instrumentId, i.side, i.legGroupId])).toEqual([
    ['no', 'buy', opportunity.id],
  ]);
  expect(path.intents.blocks({ legs: [{ instrumentId: 'no' }] })).toBe('no');
  expect(path.intents.blocks({ legs: [{ instrumentId: 'other' }] })).toBeNull();
  // Its reservation is kept (it may have gone out); nothing is handed back for it.
  expect(ops.filter((o) => o.startsWith('releaseTrades'))).toEqual([]);
});

test('a leg book older than the max book age right before sending: no order at all, reservations handed back', async () => {
  const { path, ops, orders } = setup(new Set());
  const old = { ...book('no'), timestampMs: Date.now() - 60_000 };
  const books = new Map([
    ['yes', book('yes')],
    ['no', old],
  ]);
  const held: OrderPath = {
    ...path,
    books,
    holdBeforeSend: (o) => staleBook(o.legs, books, 5_000, Date.now()),
  };
  const r = await executeReserved(held, 'paper', opportunity);
  expect(r).toMatchObject({ legs: 0, rows: 0, status: 'stale_book' });
  expect(r.reason).toMatch(/the polymarket book of no was 60\.\d s old .*max book age 5 s/);
  expect(orders).toEqual([]);
  expect(ops).toEqual(['releaseTrades:2']);
  // Fresh again: the same opportunity goes out.
  books.set('no', book('no'));
  expect((await executeReserved(held, 'paper', opportunity)).status).toBe('complete');
});

test('the lease expired before sending: no order at all, the reservations handed back, the reason said', async () => {
  const { path, ops, orders } = setup(new Set());
  const lease = { canTrade: () => false, refusal: () => 'the lease expired: no order sent' };
  const r = await executeReserved({ ...path, lease }, 'paper', opportunity);
  expect(r).toEqual({ legs: 0, rows: 0, status: 'lease_expired', reason: 'the lease expired: no order sent' });
  expect(orders).toEqual([]);
  expect(ops).toEqual(['releaseTrades:2']);
});

test('the lease expires between two legs: no further order leaves, not even the unwind', async () => {
  let expired = false;
  // The deadline passes while the first leg is out.
  const { path, orders, ops } = setup(new Set(), () => {
    expired = true;
  });
  const lease = { canTrade: () => !expired, refusal: () => 'the lease expired: no order sent' };
  const r = await executeReserved({ ...path, lease }, 'paper', opportunity);
  expect(orders).toHaveLength(1);
  expect(orders[0]?.side).toBe('buy');
  expect(r.status).not.toBe('complete');
  // The refused leg is booked as rejected with the lease's words, beside the leg that went out.
  expect(ops.filter((o) => o.startsWith('recordIntents'))).toHaveLength(1);
});
