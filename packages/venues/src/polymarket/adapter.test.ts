// The Polymarket adapter (real clob-client-v2, real HTTP) against the simulated venue.
import type { OrderRequest } from '@polybot/schemas';
import { generatePrivateKey } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolymarketTrading } from './trading.ts';
import {
  BTC_DOWN,
  BTC_UP,
  FED_NO_CHANGE_NO,
  marketDataFor,
  simControl,
  startPolymarketSim,
  type VenueSim,
} from '../../test/polymarket-sim.ts';

const order = (
  o: Pick<OrderRequest, 'instrumentId' | 'limitPrice' | 'size' | 'orderType' | 'clientOrderId'>,
): OrderRequest => ({ venue: 'polymarket', side: 'buy', ...o });

describe('Polymarket adapter against the simulator', () => {
  let sim: VenueSim;
  let trading: PolymarketTrading;
  beforeAll(async () => {
    sim = await startPolymarketSim('arb-rich');
    trading = await PolymarketTrading.connect({ clobUrl: sim.origin, privateKey: generatePrivateKey() });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('discovers every market through Gamma with neg-risk grouping and fee schedules', async () => {
    const md = marketDataFor(sim);
    const instruments = await md.listInstruments();
    expect(md.lastInvalid).toEqual([]);
    expect(instruments).toHaveLength(52);
    const elon = instruments.filter((i) => i.side === 'yes' && i.eventId === '22240');
    expect(new Set(elon.map((i) => i.eventId)).size).toBe(1);
    expect(elon).toHaveLength(16);
    expect(elon.every((i) => i.mutuallyExclusive)).toBe(true);
    const btc = instruments.find((i) => i.instrumentId === BTC_UP);
    expect(btc).toMatchObject({
      side: 'yes',
      complementId: BTC_DOWN,
      outcome: 'Up',
      mutuallyExclusive: false,
      tickSize: 0.001,
    });
    expect(md.markets.get(btc?.marketId ?? '')?.feeSchedule).toMatchObject({ rate: 0.25, exponent: 2 });
  });

  it('reads a REST book best-first with numbers', async () => {
    const book = await marketDataFor(sim).getBook(BTC_UP);
    expect(book.asks[0]).toEqual({ price: 0.47, size: 200 });
    expect(book.bids[0]?.price).toBe(0.45);
    expect(book.asks.every((l, i) => i === 0 || l.price > (book.asks[i - 1]?.price ?? 0))).toBe(true);
  });

  it('fills an FOK buy with fees, idempotently by clientOrderId, and reports fills, balance and positions', async () => {
    const req = order({
      instrumentId: FED_NO_CHANGE_NO,
      limitPrice: 0.02,
      size: 40,
      orderType: 'FOK',
      clientOrderId: 'fok-no-change-0001',
    });
    const result = await trading.placeOrder(req);
    expect(result).toMatchObject({ status: 'filled', filledSize: 40, averagePrice: 0.02, rejectReason: null });
    // 40 × 0.05 × 0.02 × 0.98 = 0.0392
    expect(result.fees).toBeCloseTo(0.0392, 6);
    expect(await trading.placeOrder(req)).toEqual(result);
    const fills = await trading.fills();
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({
      clientOrderId: 'fok-no-change-0001',
      instrumentId: FED_NO_CHANGE_NO,
      size: 40,
      price: 0.02,
      side: 'buy',
    });
    expect(await trading.balance()).toBeCloseTo(1000 - 0.8 - 0.0392, 6);
    expect(await trading.positions()).toEqual([
      { venue: 'polymarket', instrumentId: FED_NO_CHANGE_NO, size: 40, averagePrice: 0.02 },
    ]);
  });

  it('FAK takes what is there and cancels the rest; FOK that cannot fill is rejected with the venue reason', async () => {
    const fak = await trading.placeOrder(
      order({
        instrumentId: FED_NO_CHANGE_NO,
        limitPrice: 0.02,
        size: 100,
        orderType: 'FAK',
        clientOrderId: 'fak-no-change-0001',
      }),
    );
    expect(fak).toMatchObject({ status: 'partially_filled', filledSize: 60 });
    const fok = await trading.placeOrder(
      order({
        instrumentId: FED_NO_CHANGE_NO,
        limitPrice: 0.02,
        size: 10,
        orderType: 'FOK',
        clientOrderId: 'fok-no-change-0002',
      }),
    );
    expect(fok.status).toBe('rejected');
    expect(fok.rejectReason).toMatch(/FOK orders are fully filled or killed/);
  });

  it('rests a GTC order, lists it as open, and cancels it', async () => {
    const gtc = await trading.placeOrder(
      order({
        instrumentId: BTC_DOWN,
        limitPrice: 0.3,
        size: 10,
        orderType: 'GTC',
        clientOrderId: 'gtc-btc-down-0001',
      }),
    );
    expect(gtc).toMatchObject({ status: 'resting', filledSize: 0 });
    const open = await trading.openOrders();
    expect(open.map((o) => [o.clientOrderId, o.venueOrderId])).toEqual([['gtc-btc-down-0001', gtc.venueOrderId]]);
    await trading.cancelOrder(gtc.venueOrderId ?? '');
    expect(await trading.openOrders()).toEqual([]);
    await expect(trading.cancelOrder(gtc.venueOrderId ?? '')).rejects.toThrow(/not cancelled/);
  });

  it('cancelAll cancels every open order of the account (DELETE /cancel-all)', async () => {
    for (const n of [1, 2])
      await trading.placeOrder(
        order({
          instrumentId: BTC_DOWN,
          limitPrice: 0.2,
          size: 10,
          orderType: 'GTC',
          clientOrderId: `gtc-all-000${n}`,
        }),
      );
    expect(await trading.openOrders()).toHaveLength(2);
    expect(await trading.cancelAll()).toBe(2);
    expect(await trading.openOrders()).toEqual([]);
    expect(await trading.cancelAll()).toBe(0);
  });

  it('never duplicates an order: a response lost after the order landed is recovered by looking the order up', async () => {
    const t = await PolymarketTrading.connect({
      clobUrl: sim.origin,
      privateKey: generatePrivateKey(),
      baseDelayMs: 1,
    });
    await simControl(sim, 'fail-next', { path: '/order', status: 502, when: 'after' });
    const result = await t.placeOrder(
      order({
        instrumentId: BTC_UP,
        limitPrice: 0.48,
        size: 10,
        orderType: 'FOK',
        clientOrderId: 'lost-response-0001',
      }),
    );
    expect(result).toMatchObject({ status: 'filled', filledSize: 10 });
    expect(await t.fills()).toHaveLength(1);
    expect(await t.positions()).toEqual([{ venue: 'polymarket', instrumentId: BTC_UP, size: 10, averagePrice: 0.47 }]);
  });

  it('retries a 429 (refused before processing) and places the order exactly once', async () => {
    const t = await PolymarketTrading.connect({
      clobUrl: sim.origin,
      privateKey: generatePrivateKey(),
      baseDelayMs: 1,
    });
    await simControl(sim, 'fail-next', { path: '/order', status: 429, when: 'before', count: 2 });
    const result = await t.placeOrder(
      order({ instrumentId: BTC_UP, limitPrice: 0.2, size: 5, orderType: 'GTC', clientOrderId: 'rate-limited-0001' }),
    );
    expect(result.status).toBe('resting');
    expect((await t.openOrders()).map((o) => o.venueOrderId)).toEqual([result.venueOrderId]);
  });

  it('gives up with "outcome unknown" (never a second order) when the venue keeps failing and nothing landed', async () => {
    const t = await PolymarketTrading.connect({
      clobUrl: sim.origin,
      privateKey: generatePrivateKey(),
      baseDelayMs: 1,
      retries: 1,
    });
    await simControl(sim, 'fail-next', { path: '/order', status: 503, when: 'before', count: 2 });
    const req = order({
      instrumentId: BTC_UP,
      limitPrice: 0.2,
      size: 5,
      orderType: 'GTC',
      clientOrderId: 'venue-down-00001',
    });
    await expect(t.placeOrder(req)).rejects.toThrow(/outcome unknown/);
    expect(await t.openOrders()).toEqual([]);
    // Later, the same clientOrderId reposts the same signed order: one order, same venue id as any earlier attempt.
    const again = await t.placeOrder(req);
    expect(again.status).toBe('resting');
    expect(await t.placeOrder(req)).toEqual(again);
    expect((await t.openOrders()).map((o) => o.clientOrderId)).toEqual(['venue-down-00001']);
  });

  it('connects with stored creds only if they are right: a wrong L2 secret is rejected with 401', async () => {
    const privateKey = generatePrivateKey();
    const derived = await PolymarketTrading.connect({ clobUrl: sim.origin, privateKey });
    const creds = derived.client.creds;
    if (!creds) throw new Error('expected derived creds');
    await expect(PolymarketTrading.connect({ clobUrl: sim.origin, privateKey, creds })).resolves.toBeInstanceOf(
      PolymarketTrading,
    );
    const wrong = { ...creds, secret: Buffer.alloc(32, 1).toString('base64') };
    await expect(
      PolymarketTrading.connect({ clobUrl: sim.origin, privateKey, creds: wrong, retries: 0 }),
    ).rejects.toMatchObject({ status: 401 });
  });
});
