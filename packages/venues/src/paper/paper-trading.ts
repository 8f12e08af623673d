// Paper execution behind the same `Trading` interface as the live adapters: orders fill against the current real book
// (walking depth, charging the venue's fees from @polybot/schemas), with FOK / FAK / GTC semantics, cash, positions,
// settlement and realized P&L. Idempotent by clientOrderId, like the venues.
import { OrderRequestSchema, fee } from '@polybot/schemas';
import type { FeeSchedule, Fill, OrderBook, OrderRequest, OrderResult, VenueId } from '@polybot/schemas';
import { rejectedOrder, type Position, type Trading } from '../venue.ts';
import { ConsumedLiquidity } from './liquidity.ts';

export type BookSource = (instrumentId: string) => OrderBook | undefined | Promise<OrderBook | undefined>;

export interface PaperTradingOptions {
  venue: VenueId;
  /** The runner's market-data hub: the current book of an instrument. */
  getBook: BookSource;
  /** Fee schedule of an instrument (resolve with `resolveFeeSchedule`). */
  feeSchedule: (instrumentId: string) => FeeSchedule;
  initialCash: number;
  /** Clock for fill timestamps; paper trading lives outside the pure strategies, so Date.now is the default. */
  now?: () => number;
}

export interface Settlement {
  instrumentId: string;
  size: number;
  payoutPerContract: number;
  proceeds: number;
  realizedPnl: number;
}

interface OpenOrder {
  request: OrderRequest;
  venueOrderId: string;
  remaining: number;
  fills: Fill[];
}

interface Holding {
  size: number;
  /** Average price paid per contract, fees excluded (fees go straight to realized P&L). */
  averagePrice: number;
}

const round = (x: number): number => Math.round(x * 1e9) / 1e9;

export class PaperTrading implements Trading {
  readonly venue: VenueId;
  readonly mode = 'paper' as const;
  private cash: number;
  private realized = 0;
  private nextId = 1;
  private readonly results = new Map<string, Promise<OrderResult>>();
  private readonly open = new Map<string, OpenOrder>();
  private readonly holdings = new Map<string, Holding>();
  private readonly allFills: Fill[] = [];
  private readonly liquidity = new ConsumedLiquidity();
  private readonly now: () => number;

  constructor(private readonly options: PaperTradingOptions) {
    this.venue = options.venue;
    this.cash = options.initialCash;
    this.now = options.now ?? Date.now;
  }

  /** Same clientOrderId → the first result, and nothing booked twice (also while the first call is in flight). */
  placeOrder(order: OrderRequest): Promise<OrderResult> {
    const key = typeof order.clientOrderId === 'string' ? order.clientOrderId : '';
    const existing = this.results.get(key);
    if (existing) return existing;
    const result = this.execute(order);
    this.results.set(key, result);
    // A throw (e.g. the book source failed) booked nothing: forget it so the same id can be retried.
    result.catch(() => {
      if (this.results.get(key) === result) this.results.delete(key);
    });
    return result;
  }

  async cancelOrder(venueOrderId: string): Promise<void> {
    for (const [clientOrderId, o] of this.open) {
      if (o.venueOrderId !== venueOrderId) continue;
      this.open.delete(clientOrderId);
      this.results.set(clientOrderId, Promise.resolve(this.result(o, 'cancelled', null)));
      return;
    }
    throw new Error(`paper: no open order ${venueOrderId}`);
  }

  /** Every resting GTC order cancelled, as a venue's cancel-all does. */
  async cancelAll(): Promise<number> {
    const ids = [...this.open.values()].map((o) => o.venueOrderId);
    for (const id of ids) await this.cancelOrder(id);
    return ids.length;
  }

  async openOrders(): Promise<OrderResult[]> {
    return [...this.open.values()].map((o) =>
      this.result(o, o.fills.length > 0 ? 'partially_filled' : 'resting', null),
    );
  }

  async fills(sinceMs?: number): Promise<Fill[]> {
    return this.allFills.filter((f) => sinceMs === undefined || f.timestampMs >= sinceMs);
  }

  /** Cash not committed to resting buy orders. */
  async balance(): Promise<number> {
    return round(this.cash - this.reservedCash());
  }

  async positions(): Promise<Position[]> {
    return [...this.holdings].map(([instrumentId, h]) => ({
      venue: this.venue,
      instrumentId,
      size: round(h.size),
      averagePrice: h.averagePrice,
    }));
  }

  /** Realized P&L so far: sales and settlements against average cost, minus every fee paid. */
  realizedPnl(): number {
    return round(this.realized);
  }

  /**
   * Give resting GTC orders a chance against a new book. A resting order is the maker: it fills at its own limit
   * price and pays the maker fee, for as much as the new book shows at or through that price.
   */
  onBook(book: OrderBook): OrderResult[] {
    const changed: OrderResult[] = [];
    for (const [clientOrderId, o] of this.open) {
      if (o.request.instrumentId !== book.instrumentId) continue;
      const side = o.request.side;
      let crossing = 0;
      for (const l of this.liquidity.available(book, side)) {
        if (side === 'buy' ? l.price > o.request.limitPrice : l.price < o.request.limitPrice) break;
        crossing += l.size;
      }
      const size =
        side === 'sell'
          ? Math.min(crossing, o.remaining, this.holdings.get(book.instrumentId)?.size ?? 0)
          : Math.min(crossing, o.remaining);
      if (size <= 1e-9) continue;
      this.liquidity.take(book, side, o.request.limitPrice, size);
      o.fills.push(this.book(o.request, o.venueOrderId, o.request.limitPrice, size, 'maker'));
      o.remaining = round(o.remaining - size);
      const done = o.remaining <= 1e-9;
      if (done) this.open.delete(clientOrderId);
      const r = this.result(o, done ? 'filled' : 'partially_filled', null);
      this.results.set(clientOrderId, Promise.resolve(r));
      changed.push(r);
    }
    return changed;
  }

  /** Resolve an instrument: every held contract pays `payoutPerContract` (1 if it won, 0 if it lost). */
  settle(instrumentId: string, payoutPerContract: number): Settlement {
    for (const [clientOrderId, o] of this.open) {
      if (o.request.instrumentId !== instrumentId) continue;
      this.open.delete(clientOrderId);
      this.results.set(clientOrderId, Promise.resolve(this.result(o, 'cancelled', null)));
    }
    const h = this.holdings.get(instrumentId);
    const size = h?.size ?? 0;
    const proceeds = size * payoutPerContract;
    const pnl = h ? (payoutPerContract - h.averagePrice) * size : 0;
    this.cash += proceeds;
    this.realized += pnl;
    this.holdings.delete(instrumentId);
    return { instrumentId, size, payoutPerContract, proceeds: round(proceeds), realizedPnl: round(pnl) };
  }

  private async execute(raw: OrderRequest): Promise<OrderResult> {
    const parsed = OrderRequestSchema.safeParse(raw);
    if (!parsed.success)
      return rejectedOrder(
        raw,
        `invalid order: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    const order = parsed.data;
    if (order.venue !== this.venue) return rejectedOrder(order, `order for ${order.venue} sent to paper ${this.venue}`);
    const book = await this.options.getBook(order.instrumentId);
    if (!book) return rejectedOrder(order, `no book for ${order.instrumentId}`);
    const schedule = this.options.feeSchedule(order.instrumentId);

    // Reserve like a venue: a buy must be fundable at its limit (fees included), a sell must be covered by holdings.
    if (order.side === 'buy') {
      const worst = order.size * order.limitPrice + fee(schedule, order.size, order.limitPrice, 'taker');
      if (worst > this.cash - this.reservedCash() + 1e-9) return rejectedOrder(order, 'insufficient balance');
    } else {
      const held = (this.holdings.get(order.instrumentId)?.size ?? 0) - this.reservedSells(order.instrumentId);
      if (order.size > held + 1e-9) return rejectedOrder(order, 'insufficient position');
    }

    const slices: { price: number; size: number }[] = [];
    let left = order.size;
    for (const l of this.liquidity.available(book, order.side)) {
      if (left <= 1e-9) break;
      if (order.side === 'buy' ? l.price > order.limitPrice + 1e-12 : l.price < order.limitPrice - 1e-12) break;
      const take = Math.min(left, l.size);
      slices.push({ price: l.price, size: take });
      left -= take;
    }
    const fillable = order.size - Math.max(left, 0);
    const venueOrderId = `paper-${this.venue}-${this.nextId++}`;
    const o: OpenOrder = { request: order, venueOrderId, remaining: order.size, fills: [] };
    if (order.orderType === 'FOK' && fillable < order.size - 1e-9)
      return this.result(o, 'cancelled', 'FOK: not enough liquidity at or better than the limit');

    for (const s of slices) {
      this.liquidity.take(book, order.side, s.price, s.size);
      o.fills.push(this.book(order, venueOrderId, s.price, s.size, 'taker'));
    }
    o.remaining = round(order.size - fillable);
    if (o.remaining <= 1e-9) return this.result(o, 'filled', null);
    if (order.orderType === 'GTC') {
      this.open.set(order.clientOrderId, o);
      return this.result(o, o.fills.length > 0 ? 'partially_filled' : 'resting', null);
    }
    return this.result(
      o,
      o.fills.length > 0 ? 'partially_filled' : 'cancelled',
      o.fills.length > 0 ? null : 'FAK: nothing at or better than the limit',
    );
  }

  /** Book one fill into cash, holdings, realized P&L and the fill log. */
  private book(
    order: OrderRequest,
    venueOrderId: string,
    price: number,
    size: number,
    liquidity: 'taker' | 'maker',
  ): Fill {
    const f = fee(this.options.feeSchedule(order.instrumentId), size, price, liquidity);
    const h = this.holdings.get(order.instrumentId) ?? { size: 0, averagePrice: 0 };
    if (order.side === 'buy') {
      this.cash -= size * price + f;
      h.averagePrice = (h.averagePrice * h.size + price * size) / (h.size + size);
      h.size += size;
    } else {
      this.cash += size * price - f;
      this.realized += (price - h.averagePrice) * size;
      h.size = round(h.size - size);
    }
    this.realized -= f;
    if (h.size > 1e-9) this.holdings.set(order.instrumentId, h);
    else this.holdings.delete(order.instrumentId);
    const fill: Fill = {
      venue: this.venue,
      instrumentId: order.instrumentId,
      clientOrderId: order.clientOrderId,
      venueOrderId,
      side: order.side,
      price,
      size,
      fee: f,
      timestampMs: Math.trunc(this.now()),
    };
    this.allFills.push(fill);
    return fill;
  }

  private result(o: OpenOrder, status: OrderResult['status'], rejectReason: string | null): OrderResult {
    const filled = o.fills.reduce((s, f) => s + f.size, 0);
    const notional = o.fills.reduce((s, f) => s + f.size * f.price, 0);
    return {
      clientOrderId: o.request.clientOrderId,
      venueOrderId: o.venueOrderId,
      status,
      filledSize: round(filled),
      averagePrice: filled > 0 ? round(notional / filled) : null,
      fees: round(o.fills.reduce((s, f) => s + f.fee, 0)),
      fills: [...o.fills],
      rejectReason,
    };
  }

  private reservedCash(): number {
    let r = 0;
    for (const o of this.open.values()) {
      if (o.request.side !== 'buy') continue;
      r +=
        o.remaining * o.request.limitPrice +
        fee(this.options.feeSchedule(o.request.instrumentId), o.remaining, o.request.limitPrice, 'taker');
    }
    return r;
  }

  private reservedSells(instrumentId: string): number {
    let r = 0;
    for (const o of this.open.values())
      if (o.request.side === 'sell' && o.request.instrumentId === instrumentId) r += o.remaining;
    return r;
  }
}
