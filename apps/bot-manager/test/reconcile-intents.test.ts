// Reconciliation of lost orders against the simulator, venue by venue (runner/reconcile-intents.ts, §8a.4): a "dead
// runner" (its own venue client) placed an order the new runner never heard of; the new runner's reconciler, going
// through the real TradingRouter with the user's live keys, learns its fate from the venue. A resting order is
// cancelled and what filled before (while the runner was down) is booked once; an order the venue never received is
// `not_sent`; a paper leftover is `abandoned`. The manager side is a recording fake (the database path is covered by
// intents.test.ts and supabase/tests/order-intents.test.ts).
import type { Instrument, OrderIntent, OrderRequest } from '@polybot/schemas';
import {
  KalshiClient,
  KalshiMarketData,
  KalshiTrading,
  PolymarketMarketData,
  PolymarketTrading,
  type Trading,
} from '@polybot/venues';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { DbOp, RunnerKey, VenueUrls } from '../src/shared/ipc.ts';
import { DbRpc } from '../src/runner/db-rpc.ts';
import { IntentBook } from '../src/runner/intents.ts';
import { IntentReconciler } from '../src/runner/reconcile-intents.ts';
import { TradingRouter } from '../src/runner/trading-router.ts';
import { registerKalshiKey, startBothVenuesSim, until, venueUrlsOf, walletKeys, type VenueSim } from './harness.ts';

let sim: VenueSim;
let urls: VenueUrls;
beforeAll(async () => {
  sim = await startBothVenuesSim();
  urls = venueUrlsOf(sim);
});
afterAll(async () => sim?.close());

const log = pino({ level: 'silent' });

/** A new runner's reconciler over `keys`, with a fake manager that records every db op (and answers like one). */
function newRunner(keys: RunnerKey[], intents: OrderIntent[]) {
  const ops: DbOp[] = [];
  const db: DbRpc = new DbRpc((msg) => {
    ops.push(msg.request);
    queueMicrotask(() => db.settle(msg.id, true, msg.request.op === 'recordExecution' ? 1 : true, null));
  });
  const book = new IntentBook(db, log, undefined);
  book.adopt(intents.map((i) => ({ ...i, status: 'pending' as const })));
  const fills: string[] = [];
  const reconciler = new IntentReconciler({
    intents: book,
    router: new TradingRouter(new Map(), {}, keys, urls),
    db,
    risk: { onFill: (id, side, size) => fills.push(`${side} ${size} ${id}`) },
    title: () => null,
    log,
    onResolved: () => undefined,
  });
  return { ops, book, reconciler, fills };
}

async function reconcileAll(r: ReturnType<typeof newRunner>): Promise<void> {
  r.reconciler.kick();
  await r.reconciler.inFlight;
  r.reconciler.stop();
}

const intentOf = (o: OrderRequest, venueOrderId: string | null, mode: 'live' | 'paper' = 'live'): OrderIntent => ({
  clientOrderId: o.clientOrderId,
  venue: o.venue,
  venueOrderId,
  instrumentId: o.instrumentId,
  marketId: 'm',
  outcome: 'Yes',
  side: o.side,
  size: o.size,
  limitPrice: o.limitPrice,
  orderType: o.orderType,
  legGroupId: `group-${o.clientOrderId}`,
  strategy: 'single_platform',
  mode,
});

/** A GTC buy at the best ask for more than that level holds: part fills at once, the rest rests. */
async function partlyFillingBuy(
  instruments: Instrument[],
  venue: 'polymarket' | 'kalshi',
  getBook: (id: string) => Promise<{ asks: Array<{ price: number; size: number }> }>,
  clientOrderId: string,
): Promise<OrderRequest> {
  for (const i of instruments) {
    const ask = (await getBook(i.instrumentId)).asks[0];
    if (!ask || ask.price >= 0.9 || ask.size > 200) continue;
    return {
      venue,
      instrumentId: i.instrumentId,
      side: 'buy',
      limitPrice: ask.price,
      size: Math.ceil(ask.size) + 10,
      orderType: 'GTC',
      clientOrderId,
    };
  }
  throw new Error(`no ${venue} book to test with`);
}

test('Polymarket: a resting order of a dead runner is cancelled and its earlier fill booked once; an unsent one is not_sent', async () => {
  const keys = await walletKeys(sim);
  const secret = JSON.parse(keys.apiSecret) as { secret: string; passphrase: string };
  const dead: Trading & { prepareOrder: PolymarketTrading['prepareOrder'] } = await PolymarketTrading.connect({
    clobUrl: urls.polymarketClob,
    privateKey: `0x${keys.privateKey}`,
    creds: { key: keys.apiKey, ...secret },
  });
  const data = new PolymarketMarketData({
    clobUrl: urls.polymarketClob,
    gammaUrl: urls.polymarketGamma,
    wsUrl: urls.polymarketWs,
  });
  const order = await partlyFillingBuy(
    await data.listInstruments(),
    'polymarket',
    (id) => data.getBook(id),
    'dead-runner-0001',
  );
  const { venueOrderId } = await dead.prepareOrder(order);
  const placed = await dead.placeOrder(order);
  expect(placed.status).toBe('partially_filled');
  // Another order the dead runner prepared (signed, hash known) and never posted.
  const unsent = { ...order, clientOrderId: 'dead-runner-0002', size: order.size + 1 };
  const unsentHash = (await dead.prepareOrder(unsent)).venueOrderId;

  const runner = newRunner(
    [
      {
        platform: 'polymarket',
        isPaper: false,
        apiKey: keys.apiKey,
        apiSecret: keys.apiSecret,
        privateKey: keys.privateKey,
        additionalConfig: {},
        validationStatus: 'valid',
        validationError: null,
        validatedAt: null,
      },
    ],
    [
      intentOf(order, venueOrderId),
      intentOf(unsent, unsentHash),
      intentOf({ ...order, clientOrderId: 'paper-left-0001' }, null, 'paper'),
    ],
  );
  await reconcileAll(runner);
  expect(runner.book.pending).toEqual([]);
  const booked = runner.ops
    .filter((o) => o.op === 'recordExecution')
    .flatMap((o) => (o.op === 'recordExecution' ? o.trades : []));
  expect(booked).toHaveLength(1);
  expect(booked[0]).toMatchObject({
    clientOrderId: order.clientOrderId,
    venueOrderId,
    status: 'partially_filled',
    filledSize: placed.filledSize,
    mode: 'live',
  });
  expect(runner.fills).toEqual([`buy ${placed.filledSize} ${order.instrumentId}`]);
  const resolved = runner.ops.flatMap((o) => (o.op === 'resolveIntent' ? [[o.clientOrderId, o.status]] : []));
  expect(resolved).toEqual([
    ['dead-runner-0002', 'not_sent'],
    ['paper-left-0001', 'abandoned'],
  ]);
  // Nothing of ours rests at the venue any more.
  expect((await dead.openOrders()).filter((o) => o.venueOrderId === venueOrderId)).toEqual([]);
});

test('Kalshi: the same, by client_order_id', async () => {
  const key = await registerKalshiKey(sim.origin);
  const kalshiApi = urls.kalshiApi ?? '';
  const client = new KalshiClient({
    basePath: kalshiApi,
    credentials: { keyId: key.keyId, privateKeyPem: key.privatePem },
  });
  const dead = new KalshiTrading({ client });
  const data = new KalshiMarketData({ client, wsUrl: urls.kalshiWs ?? '' });
  const order = await partlyFillingBuy(
    await data.listInstruments(),
    'kalshi',
    (id) => data.getBook(id),
    'dead-kalshi-0001',
  );
  expect(await dead.prepareOrder()).toEqual({ venueOrderId: null });
  const placed = await dead.placeOrder(order);
  expect(placed.status).toBe('partially_filled');
  const runner = newRunner(
    [
      {
        platform: 'kalshi',
        isPaper: false,
        apiKey: key.keyId,
        apiSecret: null,
        privateKey: key.privatePem,
        additionalConfig: {},
        validationStatus: 'valid',
        validationError: null,
        validatedAt: null,
      },
    ],
    [intentOf(order, null), intentOf({ ...order, clientOrderId: 'dead-kalshi-0002' }, null)],
  );
  await reconcileAll(runner);
  expect(runner.book.pending).toEqual([]);
  const booked = runner.ops.flatMap((o) => (o.op === 'recordExecution' ? o.trades : []));
  expect(booked).toHaveLength(1);
  expect(booked[0]).toMatchObject({
    clientOrderId: order.clientOrderId,
    status: 'partially_filled',
    filledSize: placed.filledSize,
  });
  expect(runner.ops.flatMap((o) => (o.op === 'resolveIntent' ? [[o.clientOrderId, o.status]] : []))).toEqual([
    ['dead-kalshi-0002', 'not_sent'],
  ]);
  await until(
    async () => (await dead.openOrders()).every((o) => o.clientOrderId !== order.clientOrderId),
    'nothing resting',
  );
});
