import { describe, expect, it } from 'vitest';
import type { FeeSchedule, OrderBook, OrderRequest } from '@polybot/schemas';
import { PaperTrading } from './paper-trading.ts';

const T0 = 1_778_997_900_000;
const pmFees: FeeSchedule = { type: 'polymarket', rate: 0.05, exponent: 1, takerOnly: true, rebateRate: 0.25 };
const lv = (xs: [number, number][]) => xs.map(([price, size]) => ({ price, size }));
const bookY = (
  seq = 1,
  asks: [number, number][] = [
    [0.4, 100],
    [0.42, 50],
    [0.45, 200],
  ],
  bids: [number, number][] = [
    [0.38, 30],
    [0.35, 70],
  ],
): OrderBook => ({
  venue: 'polymarket',
  instrumentId: 'Y',
  asks: lv(asks),
  bids: lv(bids),
  timestampMs: T0,
  seq,
});

/** A Kalshi book with asks only, at T0. */
const kalshiBook = (instrumentId: string, asks: [number, number][]): OrderBook => ({
  venue: 'kalshi',
  instrumentId,
  asks: lv(asks),
  bids: [],
  timestampMs: T0,
  seq: 1,
});
/** Paper trading on Kalshi with $100, over one book. */
const kalshiPaper = (getBook: () => OrderBook, fees: FeeSchedule) =>
  new PaperTrading({ venue: 'kalshi', getBook, feeSchedule: () => fees, initialCash: 100, now: () => T0 });
/** Buy 10 at 0.55. */
const kalshiBuy = (
  instrumentId: string,
  orderType: OrderRequest['orderType'],
  clientOrderId: string,
): OrderRequest => ({
  venue: 'kalshi',
  instrumentId,
  side: 'buy',
  limitPrice: 0.55,
  size: 10,
  orderType,
  clientOrderId,
});

function setup(cash = 1000, fees: FeeSchedule = pmFees) {
  const books = new Map<string, OrderBook>([['Y', bookY()]]);
  const paper = new PaperTrading({
    venue: 'polymarket',
    getBook: (id) => books.get(id),
    feeSchedule: () => fees,
    initialCash: cash,
    now: () => T0,
  });
  return { paper, books };
}
const order = (p: Partial<OrderRequest>): OrderRequest => ({
  venue: 'polymarket',
  instrumentId: 'Y',
  side: 'buy',
  limitPrice: 0.42,
  size: 120,
  orderType: 'FOK',
  clientOrderId: 'order-0001',
  ...p,
});

describe('PaperTrading fills', () => {
  it('FOK buy 120 ≤ 0.42 walks two levels: 100@0.40 + 20@0.42, fees 1.2 + 0.2436', async () => {
    const { paper } = setup();
    const r = await paper.placeOrder(order({}));
    expect(r.status).toBe('filled');
    expect(r.filledSize).toBe(120);
    expect(r.fills.map((f) => [f.price, f.size, f.fee])).toEqual([
      [0.4, 100, 1.2],
      [0.42, 20, 0.2436],
    ]);
    expect(r.averagePrice).toBeCloseTo(48.4 / 120, 9);
    expect(r.fees).toBeCloseTo(1.4436, 9);
    // cash 1000 − 48.4 − 1.4436
    expect(await paper.balance()).toBeCloseTo(950.1564, 9);
    expect(await paper.positions()).toEqual([
      { venue: 'polymarket', instrumentId: 'Y', size: 120, averagePrice: 48.4 / 120 },
    ]);
  });

  it('FOK that cannot fill completely books nothing (only 150 at ≤ 0.42 for 200)', async () => {
    const { paper } = setup();
    const r = await paper.placeOrder(order({ size: 200 }));
    expect(r).toMatchObject({ status: 'cancelled', filledSize: 0, fills: [] });
    expect(await paper.balance()).toBe(1000);
    expect(await paper.positions()).toEqual([]);
  });

  it('FAK takes the 150 available and cancels the rest', async () => {
    const { paper } = setup();
    const r = await paper.placeOrder(order({ size: 200, orderType: 'FAK' }));
    expect(r).toMatchObject({ status: 'partially_filled', filledSize: 150 });
    // 100×0.40 + 50×0.42 = 61; fees 1.2 + 50×0.05×0.42×0.58 = 0.609
    expect(await paper.balance()).toBeCloseTo(1000 - 61 - 1.809, 9);
    expect(await paper.openOrders()).toEqual([]);
  });

  it('GTC rests the remainder, reserves its cash, then fills as maker (no Polymarket maker fee) when the book crosses', async () => {
    const { paper, books } = setup();
    const r = await paper.placeOrder(order({ size: 200, orderType: 'GTC' }));
    expect(r).toMatchObject({ status: 'partially_filled', filledSize: 150 });
    const [open] = await paper.openOrders();
    expect(open).toMatchObject({ status: 'partially_filled', filledSize: 150 });
    // Reserved for the 50 resting: 50 × 0.42 + 0.609 (taker fee at the limit, worst case) = 21.609
    expect(await paper.balance()).toBeCloseTo(1000 - 61 - 1.809 - 21.609, 9);
    books.set('Y', bookY(2, [[0.41, 80]]));
    const [changed] = paper.onBook(bookY(2, [[0.41, 80]]));
    expect(changed).toMatchObject({ status: 'filled', filledSize: 200 });
    expect(changed?.fills.at(-1)).toMatchObject({ price: 0.42, size: 50, fee: 0 });
    expect(await paper.openOrders()).toEqual([]);
    expect(await paper.balance()).toBeCloseTo(1000 - 61 - 1.809 - 21, 9);
    // The later lookup by the same clientOrderId sees the final state.
    expect((await paper.placeOrder(order({ size: 200, orderType: 'GTC' }))).status).toBe('filled');
  });

  it('cancelling a resting order releases its reservation', async () => {
    const { paper } = setup();
    const r = await paper.placeOrder(order({ size: 10, limitPrice: 0.3, orderType: 'GTC' }));
    expect(r.status).toBe('resting');
    expect(await paper.balance()).toBeCloseTo(1000 - 3 - 0.105, 9); // 10×0.30 + 10×0.05×0.3×0.7
    await paper.cancelOrder(r.venueOrderId ?? '');
    expect(await paper.balance()).toBe(1000);
    await expect(paper.cancelOrder('nope')).rejects.toThrow(/no open order/);
  });

  it('cancelAll cancels every resting order and releases every reservation', async () => {
    const { paper } = setup();
    await paper.placeOrder(order({ size: 10, limitPrice: 0.3, orderType: 'GTC', clientOrderId: 'cancel-all-0001' }));
    await paper.placeOrder(order({ size: 5, limitPrice: 0.2, orderType: 'GTC', clientOrderId: 'cancel-all-0002' }));
    expect(await paper.openOrders()).toHaveLength(2);
    expect(await paper.cancelAll()).toBe(2);
    expect(await paper.openOrders()).toEqual([]);
    expect(await paper.balance()).toBe(1000);
  });
});

describe('PaperTrading idempotency and liquidity', () => {
  it('the same clientOrderId twice returns the first result and books once, even concurrently', async () => {
    const { paper } = setup();
    const [a, b] = await Promise.all([paper.placeOrder(order({})), paper.placeOrder(order({}))]);
    expect(b).toBe(a);
    expect(await paper.placeOrder(order({ size: 5 }))).toBe(a);
    expect(await paper.fills()).toHaveLength(2);
    expect(await paper.balance()).toBeCloseTo(950.1564, 9);
  });

  it('a call that threw (book source down) booked nothing and can be retried with the same id', async () => {
    let down = true;
    const paper = new PaperTrading({
      venue: 'polymarket',
      getBook: () => (down ? Promise.reject(new Error('hub down')) : bookY()),
      feeSchedule: () => pmFees,
      initialCash: 1000,
      now: () => T0,
    });
    await expect(paper.placeOrder(order({}))).rejects.toThrow('hub down');
    down = false;
    expect((await paper.placeOrder(order({}))).status).toBe('filled');
    expect(await paper.balance()).toBeCloseTo(950.1564, 9);
  });

  it('liquidity taken from one book version is not sold twice: 80 then 80 at ≤ 0.40 → second FOK fails', async () => {
    const { paper } = setup();
    expect((await paper.placeOrder(order({ size: 80, limitPrice: 0.4, clientOrderId: 'order-A001' }))).status).toBe(
      'filled',
    );
    expect((await paper.placeOrder(order({ size: 80, limitPrice: 0.4, clientOrderId: 'order-A002' }))).status).toBe(
      'cancelled',
    );
    expect((await paper.placeOrder(order({ size: 20, limitPrice: 0.4, clientOrderId: 'order-A003' }))).status).toBe(
      'filled',
    );
  });
});

describe('PaperTrading risk checks', () => {
  it('rejects a buy it cannot fund at its limit, a sell it does not hold, a malformed order, a wrong venue', async () => {
    const { paper } = setup(10);
    expect(await paper.placeOrder(order({ size: 100 }))).toMatchObject({
      status: 'rejected',
      rejectReason: 'insufficient balance',
    });
    expect(await paper.placeOrder(order({ side: 'sell', clientOrderId: 'order-S001' }))).toMatchObject({
      status: 'rejected',
      rejectReason: 'insufficient position',
    });
    expect((await paper.placeOrder(order({ clientOrderId: 'short' }))).rejectReason).toMatch(
      /invalid order: clientOrderId/,
    );
    expect((await paper.placeOrder(order({ venue: 'kalshi', clientOrderId: 'order-K001' }))).rejectReason).toMatch(
      /sent to paper polymarket/,
    );
    expect(await paper.balance()).toBe(10);
  });

  it('Kalshi fees: 10 at 0.55 → ceil(17.325)/100 = 0.18', async () => {
    const book = kalshiBook('KX-1:yes', [[0.55, 10]]);
    const paper = kalshiPaper(() => book, { type: 'quadratic', takerRate: 0.07 });
    const r = await paper.placeOrder(kalshiBuy('KX-1:yes', 'FOK', 'kalshi-0001'));
    expect(r.fees).toBe(0.18);
    expect(await paper.balance()).toBeCloseTo(100 - 5.5 - 0.18, 9);
  });
});

describe('PaperTrading maker fills', () => {
  it('a resting Kalshi bid filled later pays the series maker fee: ceil(0.0175×10×0.55×0.45×100)/100 = 0.05', async () => {
    let book = kalshiBook('KX-2:yes', [[0.6, 10]]);
    const paper = kalshiPaper(() => book, { type: 'quadratic_with_maker_fees', takerRate: 0.07, makerRate: 0.0175 });
    const r = await paper.placeOrder(kalshiBuy('KX-2:yes', 'GTC', 'kalshi-0002'));
    expect(r.status).toBe('resting');
    book = { ...book, asks: lv([[0.54, 20]]), seq: 2 };
    const [filled] = paper.onBook(book);
    expect(filled).toMatchObject({ status: 'filled', filledSize: 10, averagePrice: 0.55, fees: 0.05 });
    expect(await paper.balance()).toBeCloseTo(100 - 5.5 - 0.05, 9);
  });

  it('a resting sell fills when bids rise to it, realizing the gain', async () => {
    const { paper } = setup(1000, { type: 'none' });
    await paper.placeOrder(order({ size: 100, limitPrice: 0.4 })); // 100 @ 0.40
    const r = await paper.placeOrder(
      order({ side: 'sell', size: 100, limitPrice: 0.5, orderType: 'GTC', clientOrderId: 'order-S003' }),
    );
    expect(r.status).toBe('resting');
    expect(
      (
        await paper.placeOrder(
          order({ side: 'sell', size: 1, limitPrice: 0.3, orderType: 'FAK', clientOrderId: 'order-S004' }),
        )
      ).rejectReason,
    ).toBe('insufficient position');
    paper.onBook(bookY(2, [[0.55, 10]], [[0.52, 300]]));
    expect(paper.realizedPnl()).toBeCloseTo(10, 9); // (0.50 − 0.40) × 100
    expect(await paper.positions()).toEqual([]);
  });
});

describe('PaperTrading P&L', () => {
  it('sells into bids above its limit: 30@0.38 of 50 ≥ 0.36; realized = (0.38 − 0.40333)×30 − fees', async () => {
    const { paper } = setup();
    await paper.placeOrder(order({}));
    const s = await paper.placeOrder(
      order({ side: 'sell', size: 50, limitPrice: 0.36, orderType: 'FAK', clientOrderId: 'order-S002' }),
    );
    expect(s).toMatchObject({ status: 'partially_filled', filledSize: 30 });
    expect(s.fees).toBeCloseTo(0.3534, 9); // 30×0.05×0.38×0.62
    // buy fees 1.4436 + sell fee 0.3534; trading loss (0.38 − 48.4/120) × 30 = −0.7
    expect(paper.realizedPnl()).toBeCloseTo(-0.7 - 1.4436 - 0.3534, 9);
    expect((await paper.positions())[0]?.size).toBe(90);
  });

  it('settlement pays 1 per winning contract: realized = (1 − 48.4/120) × 120 − 1.4436 = 70.1564', async () => {
    const { paper } = setup();
    await paper.placeOrder(order({}));
    const st = paper.settle('Y', 1);
    expect(st).toMatchObject({ size: 120, proceeds: 120 });
    expect(st.realizedPnl).toBeCloseTo(71.6, 9);
    expect(paper.realizedPnl()).toBeCloseTo(70.1564, 9);
    expect(await paper.balance()).toBeCloseTo(1070.1564, 9);
    expect(await paper.positions()).toEqual([]);
  });

  it('a losing settlement loses the cost: 120 contracts settle at 0 → −48.4 − 1.4436', async () => {
    const { paper } = setup();
    await paper.placeOrder(order({}));
    paper.settle('Y', 0);
    expect(paper.realizedPnl()).toBeCloseTo(-49.8436, 9);
    expect(await paper.balance()).toBeCloseTo(950.1564, 9);
  });
});
