// The simulated exchange: markets with books, accounts with balances and positions, the matching engine.
// Units: prices integer cents (YES price unless named otherwise), counts integer hundredths of a contract,
// money in "units" = cents × hundredths (1e-4 dollars), so every cost is an exact integer.
import type { BookSideName, RestingOrder } from './book.ts';
import { takerFeeCents } from './fees.ts';
import {
  ExchangeError,
  type NewOrder,
  type SimAccount,
  type SimMarket,
  type SimOrder,
  type SimPosition,
} from './model.ts';

export * from './model.ts';

/** What a buyer of `outcome` pays per contract when the order's YES price is p. */
const outcomePrice = (bookSide: 'bid' | 'ask', yesPriceCents: number): number =>
  bookSide === 'bid' ? yesPriceCents : 100 - yesPriceCents;

export class Exchange {
  readonly markets = new Map<string, SimMarket>();
  readonly accounts = new Map<string, SimAccount>();
  private nextId = 1;

  constructor(private readonly clock: () => number) {}

  market(ticker: string): SimMarket {
    const m = this.markets.get(ticker);
    if (!m) throw new ExchangeError(404, 'not_found', `market ${ticker} not found`);
    return m;
  }

  account(keyId: string): SimAccount {
    const a = this.accounts.get(keyId);
    if (!a) throw new ExchangeError(401, 'authentication_error', 'unknown api key');
    return a;
  }

  placeOrder(keyId: string, req: NewOrder): SimOrder {
    const account = this.account(keyId);
    const market = this.market(req.ticker);
    if (market.status !== 'active') throw new ExchangeError(400, 'market_closed', `market ${req.ticker} is not open`);
    if (req.yesPriceCents < 1 || req.yesPriceCents > 99) {
      throw new ExchangeError(400, 'invalid_parameters', 'price must be between 0.01 and 0.99');
    }
    if (req.count <= 0) throw new ExchangeError(400, 'invalid_parameters', 'count must be positive');
    if (account.byClientId.has(req.clientOrderId)) {
      throw new ExchangeError(409, 'order_already_exists', 'an order with this client_order_id already exists');
    }
    const buyPrice = outcomePrice(req.bookSide, req.yesPriceCents);
    const outcome: BookSideName = req.bookSide === 'bid' ? 'yes' : 'no';
    const opposite: BookSideName = outcome === 'yes' ? 'no' : 'yes';
    // Worst case: everything at the limit price plus the fee on it. Kalshi holds collateral the same way.
    const worstUnits = buyPrice * req.count + takerFeeCents(buyPrice, req.count, market.feeBps) * 100;
    if (account.balanceUnits < worstUnits) {
      throw new ExchangeError(400, 'insufficient_balance', 'insufficient balance for this order');
    }
    // A buyer of YES at p crosses NO bids at ≥ 100 − p (and vice versa); best opposing bid first.
    const crossing = market.book
      .levels(opposite)
      .filter(([p]) => p >= 100 - buyPrice)
      .reverse();
    const available = crossing.reduce((sum, [, size]) => sum + size, 0);
    const now = this.clock();
    const order: SimOrder = {
      orderId: `sim-ord-${this.nextId++}`,
      clientOrderId: req.clientOrderId,
      keyId,
      ticker: req.ticker,
      bookSide: req.bookSide,
      yesPriceCents: req.yesPriceCents,
      initial: req.count,
      filled: 0,
      remaining: req.count,
      status: 'executed',
      takerCostUnits: 0,
      makerCostUnits: 0,
      takerFeeCents: 0,
      createdMs: now,
      updatedMs: now,
      stp: req.stp,
      resting: null,
    };
    account.orders.set(order.orderId, order);
    account.byClientId.set(order.clientOrderId, order);
    if (req.tif === 'fill_or_kill' && available < req.count) {
      order.status = 'canceled';
      order.remaining = 0;
      return order;
    }
    let lastPrice: number | null = null;
    for (const [oppPrice] of crossing) {
      if (order.remaining === 0) break;
      // Self-trade prevention: "taker_at_cross" cancels the taker's remainder, "maker" cancels the resting order.
      const { taken, makers, stopped } = market.book.take(
        opposite,
        oppPrice,
        order.remaining,
        (o) => (o.accountKey !== keyId ? 'match' : req.stp === 'maker' ? 'remove' : 'stop'),
        (o) => this.cancelRemoved(account, o, now),
      );
      const price = 100 - oppPrice;
      if (taken > 0) {
        // Kalshi charges the taker per fill (each level taken), rounded up to the cent.
        const fee = takerFeeCents(price, taken, market.feeBps);
        order.filled += taken;
        order.remaining -= taken;
        order.takerCostUnits += price * taken;
        order.takerFeeCents += fee;
        lastPrice = price;
        this.applyTrade(market, account, outcome, price, taken, 0, now);
        this.chargeFee(market, account, fee, now);
        this.recordFill(account, order, outcome, taken, price, true, now, fee);
        for (const maker of makers) this.fillMaker(market, maker.order, maker.size, now);
      }
      if (stopped) {
        order.remaining = 0;
        break;
      }
    }
    if (lastPrice !== null) market.lastPriceCents = outcome === 'yes' ? lastPrice : 100 - lastPrice;
    if (order.remaining > 0 && req.tif === 'good_till_canceled') {
      order.status = 'resting';
      account.balanceUnits -= buyPrice * order.remaining;
      order.resting = {
        orderId: order.orderId,
        accountKey: keyId,
        side: outcome,
        priceCents: buyPrice,
        remaining: order.remaining,
      };
      market.book.addOrder(order.resting);
    } else {
      order.remaining = 0;
      order.status = order.filled === order.initial ? 'executed' : 'canceled';
    }
    return order;
  }

  cancelOrder(keyId: string, orderId: string): { order: SimOrder; reducedBy: number } {
    const account = this.account(keyId);
    const order = account.orders.get(orderId);
    if (!order) throw new ExchangeError(404, 'not_found', `order ${orderId} not found`);
    if (order.status !== 'resting' || !order.resting) {
      throw new ExchangeError(400, 'order_not_cancelable', 'order is not resting');
    }
    const market = this.market(order.ticker);
    const removed = market.book.removeOrder(order.resting);
    account.balanceUnits += order.resting.priceCents * removed;
    order.remaining = 0;
    order.status = 'canceled';
    order.resting = null;
    order.updatedMs = this.clock();
    return { order, reducedBy: removed };
  }

  /** A resting order the book removed (self-trade prevention): refund its collateral, mark it cancelled. */
  private cancelRemoved(account: SimAccount, resting: RestingOrder, now: number): void {
    const order = account.orders.get(resting.orderId);
    account.balanceUnits += resting.priceCents * resting.remaining;
    if (!order) return;
    order.remaining = 0;
    order.status = 'canceled';
    order.resting = null;
    order.updatedMs = now;
  }

  /** Trading stops (status `closed`): resting orders are cancelled and refunded, new ones refused. */
  close(ticker: string): void {
    const market = this.market(ticker);
    if (market.status !== 'active' && market.status !== 'initialized') return;
    for (const account of this.accounts.values())
      for (const order of account.orders.values())
        if (order.ticker === ticker && order.status === 'resting') this.cancelOrder(account.keyId, order.orderId);
    market.status = 'closed';
  }

  /** The result is known (status `determined`); nothing is paid until `finalize`. */
  determine(ticker: string, result: 'yes' | 'no' | 'void'): void {
    this.close(ticker);
    const market = this.market(ticker);
    if (market.status !== 'closed') return;
    market.status = 'determined';
    market.result = result;
    market.settlementValueCents = result === 'void' ? null : result === 'yes' ? 100 : 0;
  }

  /**
   * Settlement (status `finalized`): winners get $1 a contract (a void pays every position back its cost; fees are
   * not returned), each holder gets a `/portfolio/settlements` row. Returns false if the market was not determined.
   */
  finalize(ticker: string): boolean {
    const market = this.market(ticker);
    if (market.status !== 'determined' || market.result === '') return false;
    const now = this.clock();
    for (const account of this.accounts.values()) {
      const pos = account.positions.get(ticker);
      if (!pos || pos.position === 0) continue;
      const contracts = Math.abs(pos.position);
      const isYes = pos.position > 0;
      const revenueUnits =
        market.result === 'void'
          ? pos.exposureUnits
          : (isYes ? (market.settlementValueCents ?? 0) : 100 - (market.settlementValueCents ?? 0)) * contracts;
      account.balanceUnits += revenueUnits;
      account.settlements.push({
        ticker,
        eventTicker: market.event.event_ticker,
        result: market.result,
        yesCount: isYes ? contracts : 0,
        yesCostUnits: isYes ? pos.exposureUnits : 0,
        noCount: isYes ? 0 : contracts,
        noCostUnits: isYes ? 0 : pos.exposureUnits,
        revenueUnits,
        feesUnits: pos.feesUnits,
        valueCents: market.settlementValueCents,
        settledMs: now,
      });
      pos.realizedUnits += revenueUnits - pos.exposureUnits;
      pos.position = 0;
      pos.exposureUnits = 0;
      pos.updatedMs = now;
    }
    market.status = 'finalized';
    market.settledMs = now;
    return true;
  }

  /** Scenario resolutions and tests: close, determine and finalize at once. */
  settle(ticker: string, result: 'yes' | 'no' | 'void'): void {
    this.determine(ticker, result);
    this.finalize(ticker);
  }

  private fillMaker(market: SimMarket, resting: RestingOrder, size: number, now: number): void {
    const account = this.accounts.get(resting.accountKey);
    const order = account?.orders.get(resting.orderId);
    if (!account || !order) return;
    order.filled += size;
    order.remaining = resting.remaining;
    order.makerCostUnits += resting.priceCents * size;
    order.updatedMs = now;
    if (order.remaining === 0) {
      order.status = 'executed';
      order.resting = null;
    }
    // The maker's collateral was reserved when the order rested: only the position moves now.
    this.applyTrade(market, account, resting.side, resting.priceCents, size, resting.priceCents * size, now);
    this.recordFill(account, order, resting.side, size, resting.priceCents, false, now, 0);
  }

  /** Books a buy of `outcome`; nets against an opposite position, paying $1 per netted pair like Kalshi does. */
  private applyTrade(
    market: SimMarket,
    account: SimAccount,
    outcome: BookSideName,
    price: number,
    count: number,
    prepaid: number,
    now: number,
  ): void {
    const pos = this.position(account, market.spec.ticker, now);
    account.balanceUnits -= price * count - prepaid;
    pos.tradedUnits += price * count;
    market.volume += count;
    const signed = outcome === 'yes' ? count : -count;
    const opposite = (pos.position > 0 && signed < 0) || (pos.position < 0 && signed > 0);
    if (opposite) {
      const netted = Math.min(Math.abs(pos.position), count);
      const avg = pos.exposureUnits / Math.abs(pos.position);
      const releasedCost = Math.round(avg * netted);
      account.balanceUnits += 100 * netted;
      pos.realizedUnits += 100 * netted - releasedCost - price * netted;
      pos.exposureUnits -= releasedCost;
      const rest = count - netted;
      pos.position += outcome === 'yes' ? netted : -netted;
      if (rest > 0) {
        pos.position += outcome === 'yes' ? rest : -rest;
        pos.exposureUnits += price * rest;
      }
    } else {
      pos.position += signed;
      pos.exposureUnits += price * count;
    }
    pos.updatedMs = now;
  }

  private chargeFee(market: SimMarket, account: SimAccount, feeCents: number, now: number): void {
    account.balanceUnits -= feeCents * 100;
    this.position(account, market.spec.ticker, now).feesUnits += feeCents * 100;
  }

  private recordFill(
    account: SimAccount,
    order: SimOrder,
    outcome: BookSideName,
    count: number,
    outcomePriceCents: number,
    isTaker: boolean,
    now: number,
    feeCents: number,
  ): void {
    const id = `sim-fill-${this.nextId++}`;
    account.fills.push({
      fillId: id,
      orderId: order.orderId,
      keyId: account.keyId,
      ticker: order.ticker,
      outcome,
      bookSide: order.bookSide,
      count,
      yesPriceCents: outcome === 'yes' ? outcomePriceCents : 100 - outcomePriceCents,
      isTaker,
      feeCents,
      tsMs: now,
    });
  }

  private position(account: SimAccount, ticker: string, now: number): SimPosition {
    let pos = account.positions.get(ticker);
    if (!pos) {
      pos = { position: 0, exposureUnits: 0, tradedUnits: 0, feesUnits: 0, realizedUnits: 0, updatedMs: now };
      account.positions.set(ticker, pos);
    }
    return pos;
  }
}
