// Kalshi private trading through kalshi-typescript's createOrderV2 (single YES book: `bid` buys YES at `price`,
// `ask` sells YES at `price` = buys NO at 1 − price). Idempotency: the client order id is Kalshi's
// `client_order_id`; after an ambiguous failure (no response, 429, 5xx) we look the order up before re-posting,
// and a 409 "already exists" means the first attempt landed — we return that order, never a second one.
import { OrderRequestSchema, type Fill, type OrderRequest, type OrderResult } from '@polybot/schemas';
import { z } from 'zod';
import { backoffDelay } from '../rate-limit/index.ts';
import { rejectedOrder, type Funds, type Position, type Trading } from '../venue.ts';
import { batchCancel } from './cancel-all.ts';
import { isTransient, kalshiError, type KalshiClient } from './client.ts';
import { kalshiPause } from './exchange-status.ts';
import { splitInstrumentId } from './parse.ts';

const Num = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);

const CreateResponse = z.object({
  order_id: z.string(),
  client_order_id: z.string().optional(),
  fill_count: Num,
  remaining_count: Num,
  average_fill_price: Num.optional(),
  average_fee_paid: Num.optional(),
  ts_ms: z.number().optional(),
});

const OrderSchema = z.object({
  order_id: z.string(),
  client_order_id: z.string(),
  ticker: z.string(),
  outcome_side: z.enum(['yes', 'no']),
  book_side: z.enum(['bid', 'ask']),
  status: z.enum(['resting', 'canceled', 'executed']),
  yes_price_dollars: Num,
  fill_count_fp: Num,
  remaining_count_fp: Num,
  initial_count_fp: Num,
  taker_fill_cost_dollars: Num,
  maker_fill_cost_dollars: Num,
  taker_fees_dollars: Num,
  maker_fees_dollars: Num,
  created_time: z.string().nullish(),
});
type KalshiOrder = z.infer<typeof OrderSchema>;
const OrdersPage = z.object({ orders: z.array(OrderSchema), cursor: z.string().nullish() });

const FillsPage = z.object({
  fills: z.array(
    z.object({
      fill_id: z.string(),
      order_id: z.string(),
      market_ticker: z.string(),
      outcome_side: z.enum(['yes', 'no']),
      action: z.enum(['buy', 'sell']).optional(),
      count_fp: Num,
      yes_price_dollars: Num,
      no_price_dollars: Num,
      fee_cost: Num,
      ts: z.number().optional(),
      created_time: z.string().optional(),
    }),
  ),
  cursor: z.string().nullish(),
});

const PositionsPage = z.object({
  market_positions: z.array(z.object({ ticker: z.string(), position_fp: Num, market_exposure_dollars: Num })),
  cursor: z.string().nullish(),
});

const Balance = z.object({ balance: z.number(), balance_dollars: Num.optional() });

const TIF = { FOK: 'fill_or_kill', FAK: 'immediate_or_cancel', GTC: 'good_till_canceled' } as const;
const round2 = (x: number): number => Math.round(x * 100) / 100;
const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

export interface KalshiTradingOptions {
  client: KalshiClient;
  /** Attempts for an order whose outcome is unknown (network error, 429, 5xx). */
  orderRetries?: number;
}

export class KalshiTrading implements Trading {
  readonly venue = 'kalshi' as const;
  readonly mode = 'live' as const;

  constructor(private readonly opts: KalshiTradingOptions) {}

  private get client(): KalshiClient {
    return this.opts.client;
  }

  async placeOrder(input: OrderRequest): Promise<OrderResult> {
    const order = OrderRequestSchema.parse(input);
    if (order.venue !== 'kalshi') return rejectedOrder(order, `not a Kalshi order (venue ${order.venue})`);
    const { ticker, side } = splitInstrumentId(order.instrumentId);
    const buysYes = (side === 'yes') === (order.side === 'buy');
    const yesPrice = side === 'yes' ? order.limitPrice : 1 - order.limitPrice;
    const body = {
      ticker,
      client_order_id: order.clientOrderId,
      side: buysYes ? ('bid' as const) : ('ask' as const),
      count: order.size.toFixed(2),
      price: round4(yesPrice).toFixed(4),
      time_in_force: TIF[order.orderType],
      self_trade_prevention_type: 'taker_at_cross' as const,
    };
    const retries = this.opts.orderRetries ?? 4;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) {
        const existing = await this.findByClientOrderId(ticker, order.clientOrderId);
        if (existing) return fromOrder(order, existing);
      }
      try {
        const raw = await this.client.write(() => this.client.orders.createOrderV2(body));
        return fromCreate(order, CreateResponse.parse(raw));
      } catch (e) {
        const err = kalshiError(e);
        // A trading or exchange pause: nothing was placed; the runner pauses this venue and probes /exchange/status.
        const paused = kalshiPause(err);
        if (paused) throw paused;
        if (err.status === 409 && err.code === 'order_already_exists') {
          const existing = await this.findByClientOrderId(ticker, order.clientOrderId);
          if (existing) return fromOrder(order, existing);
          return rejectedOrder(order, `${err.code}: ${err.message}`);
        }
        if (isTransient(e) && attempt < retries) {
          await new Promise((r) => setTimeout(r, backoffDelay(attempt, 200, 5_000)));
          continue;
        }
        if (err.status !== null && err.status >= 400 && err.status < 500)
          return rejectedOrder(order, `${err.code ?? err.status}: ${err.message}`);
        throw e;
      }
    }
  }

  async cancelOrder(venueOrderId: string): Promise<void> {
    const retries = this.opts.orderRetries ?? 4;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.write(() => this.client.orders.cancelOrderV2(venueOrderId));
        return;
      } catch (e) {
        // A retry that finds nothing left to cancel means the earlier, unanswered attempt did it.
        const err = kalshiError(e);
        if (attempt > 0 && (err.code === 'order_not_cancelable' || err.status === 404)) return;
        if (isTransient(e) && attempt < retries) {
          await new Promise((r) => setTimeout(r, backoffDelay(attempt, 200, 5_000)));
          continue;
        }
        throw e;
      }
    }
  }

  /** Every resting order of this account (ours or not), cancelled in batches (cancel-all.ts). */
  async cancelAll(): Promise<number> {
    const resting = await this.allOrders(undefined, 'resting');
    return batchCancel(
      this.client,
      resting.map((o) => ({ orderId: o.order_id, ticker: o.ticker })),
    );
  }

  async openOrders(): Promise<OrderResult[]> {
    const orders = await this.allOrders(undefined, 'resting');
    return orders.map((o) => fromOrder(null, o));
  }

  async fills(sinceMs?: number): Promise<Fill[]> {
    const minTs = sinceMs === undefined ? undefined : Math.floor(sinceMs / 1000);
    const raw: z.infer<typeof FillsPage>['fills'] = [];
    let cursor: string | undefined;
    do {
      const page = FillsPage.parse(
        await this.client.read(() =>
          this.client.portfolio.getFills(undefined, undefined, minTs, undefined, 200, cursor),
        ),
      );
      raw.push(...page.fills);
      cursor = page.cursor || undefined;
    } while (cursor);
    if (raw.length === 0) return [];
    const clientIds = new Map((await this.allOrders()).map((o) => [o.order_id, o.client_order_id]));
    return raw
      .map((f): Fill => ({
        venue: 'kalshi',
        instrumentId: `${f.market_ticker}:${f.outcome_side}`,
        clientOrderId: clientIds.get(f.order_id) ?? '',
        venueOrderId: f.order_id,
        side: f.action ?? 'buy',
        price: f.outcome_side === 'yes' ? f.yes_price_dollars : f.no_price_dollars,
        size: f.count_fp,
        fee: f.fee_cost,
        timestampMs: f.ts !== undefined ? f.ts * 1000 : Date.parse(f.created_time ?? '') || 0,
      }))
      .filter((f) => sinceMs === undefined || f.timestampMs >= Math.floor(sinceMs / 1000) * 1000);
  }

  async balance(): Promise<number> {
    const b = Balance.parse(await this.client.read(() => this.client.portfolio.getBalance()));
    return b.balance_dollars ?? b.balance / 100;
  }

  /** Kalshi holds dollars in the account itself: no address, nothing to approve. */
  async funds(): Promise<Funds> {
    return { account: null, balance: await this.balance(), allowance: null };
  }

  async positions(): Promise<Position[]> {
    const out: Position[] = [];
    let cursor: string | undefined;
    do {
      const page = PositionsPage.parse(await this.client.read(() => this.client.portfolio.getPositions(cursor, 200)));
      for (const p of page.market_positions) {
        if (p.position_fp === 0) continue;
        const size = Math.abs(p.position_fp);
        out.push({
          venue: 'kalshi',
          instrumentId: `${p.ticker}:${p.position_fp > 0 ? 'yes' : 'no'}`,
          size,
          averagePrice: round4(p.market_exposure_dollars / size),
        });
      }
      cursor = page.cursor || undefined;
    } while (cursor);
    return out;
  }

  /** Kalshi keys orders by our client_order_id: there is nothing to name before sending. */
  prepareOrder(): Promise<{ venueOrderId: null }> {
    return Promise.resolve({ venueOrderId: null });
  }

  /** What the venue knows of one of our orders, by client_order_id (reconciliation): null when it never received it. */
  async findOrder(input: OrderRequest): Promise<OrderResult | null> {
    const order = OrderRequestSchema.parse(input);
    const found = await this.findByClientOrderId(splitInstrumentId(order.instrumentId).ticker, order.clientOrderId);
    return found ? fromOrder(order, found) : null;
  }

  private async allOrders(ticker?: string, status?: string): Promise<KalshiOrder[]> {
    const out: KalshiOrder[] = [];
    let cursor: string | undefined;
    do {
      const page = OrdersPage.parse(
        await this.client.read(() =>
          this.client.orders.getOrders(ticker, undefined, undefined, undefined, status, 200, cursor),
        ),
      );
      out.push(...page.orders);
      cursor = page.cursor || undefined;
    } while (cursor);
    return out;
  }

  private async findByClientOrderId(ticker: string, clientOrderId: string): Promise<KalshiOrder | null> {
    return (await this.allOrders(ticker)).find((o) => o.client_order_id === clientOrderId) ?? null;
  }
}

function statusOf(filled: number, remaining: number, size: number): OrderResult['status'] {
  if (remaining > 0) return filled > 0 ? 'partially_filled' : 'resting';
  if (filled >= size) return 'filled';
  return filled > 0 ? 'partially_filled' : 'cancelled';
}

/** Kalshi reports an order's fills as totals: at most one Fill, at the average price, carrying all the fees. */
function aggregateFill(
  filled: number,
  averagePrice: number | null,
  fees: number,
  of: Pick<Fill, 'instrumentId' | 'clientOrderId' | 'venueOrderId' | 'side' | 'timestampMs'>,
): Fill[] {
  return filled > 0 && averagePrice !== null
    ? [{ venue: 'kalshi', ...of, price: averagePrice, size: filled, fee: fees }]
    : [];
}

function fromCreate(order: OrderRequest, r: z.infer<typeof CreateResponse>): OrderResult {
  const { side } = splitInstrumentId(order.instrumentId);
  const filled = r.fill_count;
  const avgYes = r.average_fill_price;
  const averagePrice = filled > 0 && avgYes !== undefined ? round4(side === 'yes' ? avgYes : 1 - avgYes) : null;
  const fees = filled > 0 ? round2((r.average_fee_paid ?? 0) * filled) : 0;
  return {
    clientOrderId: order.clientOrderId,
    venueOrderId: r.order_id,
    status: statusOf(filled, r.remaining_count, order.size),
    filledSize: filled,
    averagePrice,
    fees,
    fills: aggregateFill(filled, averagePrice, fees, {
      instrumentId: order.instrumentId,
      clientOrderId: order.clientOrderId,
      venueOrderId: r.order_id,
      side: order.side,
      timestampMs: r.ts_ms ?? Date.now(),
    }),
    rejectReason: null,
  };
}

/** From a listed order; `request` (when we placed it) says in which instrument's terms to report the price. */
function fromOrder(request: OrderRequest | null, o: KalshiOrder): OrderResult {
  const filled = o.fill_count_fp;
  const outcomeAvg = filled > 0 ? (o.taker_fill_cost_dollars + o.maker_fill_cost_dollars) / filled : null;
  const reqSide = request ? splitInstrumentId(request.instrumentId).side : o.outcome_side;
  const averagePrice = outcomeAvg === null ? null : round4(reqSide === o.outcome_side ? outcomeAvg : 1 - outcomeAvg);
  const fees = round2(o.taker_fees_dollars + o.maker_fees_dollars);
  const instrumentId = request?.instrumentId ?? `${o.ticker}:${o.outcome_side}`;
  const size = request?.size ?? o.initial_count_fp;
  const status = o.status === 'resting' ? (filled > 0 ? 'partially_filled' : 'resting') : statusOf(filled, 0, size);
  return {
    clientOrderId: o.client_order_id,
    venueOrderId: o.order_id,
    status,
    filledSize: filled,
    averagePrice,
    fees,
    fills: aggregateFill(filled, averagePrice, fees, {
      instrumentId,
      clientOrderId: o.client_order_id,
      venueOrderId: o.order_id,
      side: request?.side ?? 'buy',
      timestampMs: Date.parse(o.created_time ?? '') || Date.now(),
    }),
    rejectReason: null,
  };
}
