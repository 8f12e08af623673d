// The Kalshi adapter (real kalshi-typescript, real HTTP) against the simulated venue.
import type { OrderRequest } from '@polybot/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKalshiVenue, kalshiError } from './index.ts';
import { keyPair, startKalshiSim, type SimHandle } from '@polybot/local-stack/testing';
import { kalshiVenueAs } from '../../test/kalshi-sim.ts';

const H0 = 'KXFEDDECISION-26JUN-H0';
const C25 = 'KXFEDDECISION-26JUN-C25';

const order = (
  o: Partial<OrderRequest> & Pick<OrderRequest, 'instrumentId' | 'limitPrice' | 'size' | 'orderType' | 'clientOrderId'>,
): OrderRequest => ({
  venue: 'kalshi',
  side: 'buy',
  ...o,
});

async function failure(p: Promise<unknown>): Promise<ReturnType<typeof kalshiError>> {
  try {
    await p;
  } catch (e) {
    return kalshiError(e);
  }
  throw new Error('expected a failure');
}

describe('Kalshi adapter REST against the simulator', () => {
  let h: SimHandle;
  const keys = keyPair();
  const other = keyPair();
  let venue: ReturnType<typeof createKalshiVenue>;

  beforeAll(async () => {
    h = await startKalshiSim('arb-rich');
    venue = kalshiVenueAs(h, { keyId: 'user-1', keys, balanceCents: 100_000 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('lists every active market as a YES and a NO instrument, with mutual exclusivity from the event', async () => {
    const instruments = await venue.marketData.listInstruments();
    expect(instruments).toHaveLength(36);
    const yes = instruments.find((i) => i.instrumentId === `${H0}:yes`);
    expect(yes).toMatchObject({
      venue: 'kalshi',
      marketId: H0,
      eventId: 'KXFEDDECISION-26JUN',
      complementId: `${H0}:no`,
      mutuallyExclusive: true,
      active: true,
      tickSize: 0.01,
    });
    expect(instruments.filter((i) => i.eventId === 'KXELONTWEETS-26APR10')).toHaveLength(26);
  });

  it('converts the bids-only book: YES asks = 1 − NO bids, NO asks = 1 − YES bids, best first', async () => {
    // Scenario: YES bids 0.83×120, 0.82×300, 0.81×650; NO bids 0.15×120, 0.14×300, 0.13×650.
    const yes = await venue.marketData.getBook(`${H0}:yes`);
    expect(yes.bids).toEqual([
      { price: 0.83, size: 120 },
      { price: 0.82, size: 300 },
      { price: 0.81, size: 650 },
    ]);
    expect(yes.asks).toEqual([
      { price: 0.85, size: 120 },
      { price: 0.86, size: 300 },
      { price: 0.87, size: 650 },
    ]);
    const no = await venue.marketData.getBook(`${H0}:no`);
    expect(no.bids).toEqual([
      { price: 0.15, size: 120 },
      { price: 0.14, size: 300 },
      { price: 0.13, size: 650 },
    ]);
    expect(no.asks).toEqual([
      { price: 0.17, size: 120 },
      { price: 0.18, size: 300 },
      { price: 0.19, size: 650 },
    ]);
  });

  it('fills a YES order across two levels; balance drops by cost + fee; fills and positions agree', async () => {
    const before = await venue.trading.balance();
    expect(before).toBe(1000);
    const r = await venue.trading.placeOrder(
      order({
        instrumentId: `${H0}:yes`,
        limitPrice: 0.86,
        size: 150,
        orderType: 'FAK',
        clientOrderId: 'kx-test-000001',
      }),
    );
    // 120 @ 0.85 + 30 @ 0.86 = 127.80; fees ceil(1.071) + ceil(0.25284) = 1.08 + 0.26
    expect(r).toMatchObject({ status: 'filled', filledSize: 150, averagePrice: 0.852, fees: 1.34, rejectReason: null });
    expect(r.venueOrderId).toBeTruthy();
    expect(await venue.trading.balance()).toBeCloseTo(before - 127.8 - 1.34, 6);
    const fills = await venue.trading.fills();
    expect(fills.map((f) => [f.instrumentId, f.price, f.size, f.fee, f.clientOrderId]).sort()).toEqual([
      [`${H0}:yes`, 0.85, 120, 1.08, 'kx-test-000001'],
      [`${H0}:yes`, 0.86, 30, 0.26, 'kx-test-000001'],
    ]);
    expect(await venue.trading.positions()).toEqual([
      { venue: 'kalshi', instrumentId: `${H0}:yes`, size: 150, averagePrice: 0.852 },
    ]);
  });

  it('buys NO through the single YES book (ask at 1 − price) and reports NO prices', async () => {
    const before = await venue.trading.balance();
    // C25 YES bids: 0.02×120 → NO ask 0.98. Fee ceil(0.07·10·0.98·0.02 = 0.01372) = 0.02.
    const r = await venue.trading.placeOrder(
      order({
        instrumentId: `${C25}:no`,
        limitPrice: 0.98,
        size: 10,
        orderType: 'FOK',
        clientOrderId: 'kx-test-000002',
      }),
    );
    expect(r).toMatchObject({ status: 'filled', filledSize: 10, averagePrice: 0.98, fees: 0.02 });
    expect(await venue.trading.balance()).toBeCloseTo(before - 9.8 - 0.02, 6);
    expect(await venue.trading.positions()).toContainEqual({
      venue: 'kalshi',
      instrumentId: `${C25}:no`,
      size: 10,
      averagePrice: 0.98,
    });
  });

  it('rests a GTC order, lists it, cancels it and gets the collateral back', async () => {
    const before = await venue.trading.balance();
    const r = await venue.trading.placeOrder(
      order({ instrumentId: `${H0}:no`, limitPrice: 0.1, size: 10, orderType: 'GTC', clientOrderId: 'kx-test-000003' }),
    );
    expect(r).toMatchObject({ status: 'resting', filledSize: 0, fills: [] });
    expect(await venue.trading.balance()).toBeCloseTo(before - 1, 6);
    const open = await venue.trading.openOrders();
    expect(open.map((o) => [o.clientOrderId, o.venueOrderId, o.status])).toEqual([
      ['kx-test-000003', r.venueOrderId, 'resting'],
    ]);
    const book = await venue.marketData.getBook(`${H0}:yes`);
    expect(book.asks.at(-1)).toEqual({ price: 0.9, size: 10 });
    await venue.trading.cancelOrder(r.venueOrderId ?? '');
    expect(await venue.trading.openOrders()).toEqual([]);
    expect(await venue.trading.balance()).toBeCloseTo(before, 6);
  });

  it('cancelAll cancels every resting order of the account in a batch and gives the collateral back', async () => {
    const before = await venue.trading.balance();
    for (const [i, id] of [`${H0}:no`, `${C25}:yes`, `${H0}:yes`].entries())
      await venue.trading.placeOrder(
        order({ instrumentId: id, limitPrice: 0.02, size: 5, orderType: 'GTC', clientOrderId: `kx-all-00000${i}` }),
      );
    expect(await venue.trading.openOrders()).toHaveLength(3);
    expect(await venue.trading.cancelAll()).toBe(3);
    expect(await venue.trading.openOrders()).toEqual([]);
    expect(await venue.trading.balance()).toBeCloseTo(before, 6);
    expect(await venue.trading.cancelAll()).toBe(0);
  });

  it('never places the same client order id twice: a repeat returns the first order', async () => {
    const req = order({
      instrumentId: `${H0}:yes`,
      limitPrice: 0.87,
      size: 5,
      orderType: 'FAK',
      clientOrderId: 'kx-test-000004',
    });
    const first = await venue.trading.placeOrder(req);
    const balance = await venue.trading.balance();
    const again = await venue.trading.placeOrder(req);
    expect(again.venueOrderId).toBe(first.venueOrderId);
    expect(again).toMatchObject({ status: 'filled', filledSize: 5, averagePrice: 0.86 });
    expect(await venue.trading.balance()).toBe(balance);
    expect((await venue.trading.fills()).filter((f) => f.clientOrderId === 'kx-test-000004')).toHaveLength(1);
  });

  it('after an ambiguous failure (5xx once the order was placed) finds the order instead of placing it again', async () => {
    const before = await venue.trading.balance();
    await h.sim.control('fail-next-order', { status: 503, processed: true });
    const r = await venue.trading.placeOrder(
      order({
        instrumentId: `${H0}:yes`,
        limitPrice: 0.87,
        size: 4,
        orderType: 'FAK',
        clientOrderId: 'kx-test-000006',
      }),
    );
    expect(r).toMatchObject({ status: 'filled', filledSize: 4, averagePrice: 0.86 });
    expect((await venue.trading.fills()).filter((f) => f.clientOrderId === 'kx-test-000006')).toHaveLength(1);
    // 4 × 0.86 + ceil(0.07·4·0.86·0.14 = 0.0337) = 3.44 + 0.04, charged once
    expect(await venue.trading.balance()).toBeCloseTo(before - 3.48, 6);
  });

  it('after a 429 that placed nothing, places the order exactly once', async () => {
    await h.sim.control('fail-next-order', { status: 429, processed: false });
    const r = await venue.trading.placeOrder(
      order({
        instrumentId: `${H0}:yes`,
        limitPrice: 0.87,
        size: 2,
        orderType: 'FAK',
        clientOrderId: 'kx-test-000007',
      }),
    );
    expect(r).toMatchObject({ status: 'filled', filledSize: 2 });
    expect((await venue.trading.fills()).filter((f) => f.clientOrderId === 'kx-test-000007')).toHaveLength(1);
  });

  it('rejects orders the venue refuses, with its reason', async () => {
    const r = await venue.trading.placeOrder(
      order({
        instrumentId: `${H0}:yes`,
        limitPrice: 0.5,
        size: 1_000_000,
        orderType: 'GTC',
        clientOrderId: 'kx-test-000005',
      }),
    );
    expect(r).toMatchObject({ status: 'rejected', venueOrderId: null });
    expect(r.rejectReason).toMatch(/insufficient_balance/);
  });

  it('is refused with authentication_error for an unknown key id and for a signature from another key', async () => {
    const unknown = createKalshiVenue({
      basePath: h.basePath,
      wsUrl: h.wsUrl,
      credentials: { keyId: 'nobody', privateKeyPem: keys.privatePem },
    });
    expect(await failure(unknown.trading.balance())).toMatchObject({
      status: 401,
      code: 'authentication_error',
      message: 'unknown api key',
    });
    const forged = createKalshiVenue({
      basePath: h.basePath,
      wsUrl: h.wsUrl,
      credentials: { keyId: 'user-1', privateKeyPem: other.privatePem },
    });
    expect(await failure(forged.trading.balance())).toMatchObject({
      status: 401,
      code: 'authentication_error',
      message: 'invalid signature',
    });
    // The genuine client in the same process still signs with its own key.
    expect(await venue.trading.balance()).toBeGreaterThan(0);
  });
});
